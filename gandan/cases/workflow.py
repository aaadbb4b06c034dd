"""The case workflow as one table (``core.transitions``, ADR 0014): received → advising →
resolved, escalated (to the higher level's queue), referred or paused; an escalated or
paused case is advised again. The services take the steps; ``access.allowed_actions`` lists
them from the same table."""

import datetime

from gandan.accounts.types import Actor
from gandan.cases.models import Case, CaseEvent
from gandan.core.audit import audit_log
from gandan.core.transitions import Transition, Workflow, transition

S = Case.Status


def case_event(
    case: Case, actor: Actor, action: str, before: str, *, note: str, on: datetime.date
) -> None:
    """The timeline row and the audit entry of a step (and of the reception)."""
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=before,
        to_status=case.status,
        unit=case.handler,
        note=note,
        on=on,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(
        actor=actor,
        action=f"cases.{action}",
        target=case,
        message=f"{case.get_status_display()}: {case.kind} tại {case.unit} ({case.handler} xử lý)",
    )


def _record(
    case: Case, actor: Actor, step: Transition, before: str, *, note: str, on: datetime.date
) -> None:
    case_event(case, actor, step.action, before, note=note, on=on)


def _refused(case: Case, step: Transition) -> str:
    return f"Không thể chuyển vụ việc đang «{case.get_status_display()}» sang bước này."


WORKFLOW = Workflow(
    Case,
    [
        transition("advise", {S.RECEIVED, S.ESCALATED, S.PAUSED}, S.ADVISING, "tham mưu"),
        transition("resolve", {S.ADVISING}, S.RESOLVED, "giải quyết"),
        transition("escalate", {S.ADVISING}, S.ESCALATED, "chuyển lên cấp trên"),
        transition("refer", {S.ADVISING}, S.NOT_COMPETENT, "chuyển cơ quan có thẩm quyền"),
        transition("pause", {S.ADVISING}, S.PAUSED, "tạm dừng"),
    ],
    record=_record,
    refused=_refused,
    busy="Vụ việc vừa được người khác cập nhật; hãy tải lại trang.",
)
