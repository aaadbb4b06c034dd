"""One transition engine for every workflow (ADR 0014): reports, cases.

A :class:`Workflow` is a table of :class:`Transition` s over one model's status field. The
same table answers "which steps are possible now" (pages and API list them) and guards the
step itself: :meth:`Workflow.move` refuses a step the current status does not allow, then
changes the status with a guarded ``UPDATE … WHERE status = <the status read>`` (two people
approving at once: one wins, the other is told to reload), and hands the change to the
workflow's recorder, which writes the event row and the audit entry. Callers run it inside
their service's transaction, after checking the step's own fields.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models

from gandan.core.audit import AuditActor
from gandan.core.errors import DomainError

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    action: str  # the step's name in URLs, the API and event rows: "submit"
    sources: frozenset[str]  # statuses it may start from
    target: str
    verb: str = ""  # the step in Vietnamese, for messages: "gửi"


def transition(action: str, sources: Iterable[str], target: str, verb: str = "") -> Transition:
    return Transition(action, frozenset(sources), target, verb)


# What the recorder gets: the object (already moved), the actor, the step, the status it
# left, and whatever the service passes for the event (a comment, a note and a day).
Recorder = Callable[..., None]


class Workflow(Generic[M]):
    def __init__(
        self,
        model: type[M],
        transitions: Iterable[Transition],
        *,
        record: Recorder,
        refused: Callable[[M, Transition], str],
        busy: str,
        field: str = "status",
    ) -> None:
        self.model, self.field, self.record = model, field, record
        self.refused, self.busy = refused, busy
        self.table: Mapping[str, Transition] = {t.action: t for t in transitions}

    def __getitem__(self, action: str) -> Transition:
        return self.table[action]

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.table.values())

    def allowed(self, status: str) -> list[str]:
        """The steps possible from ``status``, in the table's order."""
        return [t.action for t in self.table.values() if status in t.sources]

    def guard(self, obj: M, action: str) -> Transition:
        """Refuse (DomainError) a step the object's current status does not allow."""
        step = self.table[action]
        if getattr(obj, self.field) not in step.sources:
            raise DomainError(self.refused(obj, step))
        return step

    def move(
        self,
        obj: M,
        action: str,
        *,
        actor: AuditActor,
        fields: Mapping[str, Any] | None = None,
        **event: Any,
    ) -> M:
        """Take the step: guard, guarded UPDATE (with ``fields``), event and audit."""
        step = self.guard(obj, action)
        before = getattr(obj, self.field)
        changed = self.model._default_manager.filter(pk=obj.pk, **{self.field: before}).update(
            **{self.field: step.target}, **(fields or {})
        )
        if changed != 1:
            raise DomainError(self.busy)
        obj.refresh_from_db()
        self.record(obj, actor, step, before, **event)
        return obj
