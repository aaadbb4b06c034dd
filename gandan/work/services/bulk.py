"""Activity records written in bulk (the Excel import, the demo): every row checked as single
entry checks it, then plain multi-row INSERTs, or nothing."""

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.bulk_insert import insert_many, insert_returning_ids
from gandan.core.errors import DomainError
from gandan.core.text import clean
from gandan.indicators.models import Indicator
from gandan.work.ledger import ledger_added
from gandan.work.models import (
    Activity,
    ActivityValue,
)
from gandan.work.services.records import ActivityInput, _validate
from gandan.work.validation import Checker

_ACTIVITY_COLUMNS = [
    "type",
    "status",
    "unit",
    "start",
    "end",
    "partners",
    "participants",
    "participants_female",
    "participants_minority",
    "title",
    "notes",
    "import_key",
    "origin",
    "created_by",
    "created_at",
    "updated_at",
]


class BulkRejected(DomainError):
    """A batch with bad rows: nothing was written. ``errors`` is [(row index, error)]."""

    def __init__(self, errors: list[tuple[int, DomainError]]) -> None:
        super().__init__(f"{len(errors)} dòng không hợp lệ; không ghi dòng nào.")
        self.errors = errors


@transaction.atomic
def activities_bulk_create(
    *,
    actor: Actor,
    rows: Sequence[ActivityInput],
    label: str,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 2000,
) -> list[int]:
    """Validate every row with the same rules as single entry, then write all of them, or
    none: any bad row raises :class:`BulkRejected` listing every bad row. Returns the new
    activities' ids, in the order of ``rows``.

    The rows are written as plain multi-row INSERTs (``core.bulk_insert``), not through
    ``bulk_create``: preparing 100.000 model instances was most of an import's time."""
    checker = Checker()
    checker.preload({r.unit.pk for r in rows} | {v.pk for r in rows for v in r.villages})
    parsed: list[dict[Indicator, Decimal]] = []
    errors: list[tuple[int, DomainError]] = []
    for index, row in enumerate(rows):
        try:
            parsed.append(_validate(row, checker, actor=actor))
        except DomainError as error:
            errors.append((index, error))
            parsed.append({})
        if progress and index % batch_size == 0:
            progress(index, len(rows) * 2)
    if errors:
        raise BulkRejected(errors)
    creator_id = actor.pk if actor is not None and actor.pk else None
    now = timezone.now()
    created: list[int] = []
    for offset in range(0, len(rows), batch_size):
        chunk = rows[offset : offset + batch_size]
        ids = insert_returning_ids(
            Activity,
            _ACTIVITY_COLUMNS,
            [
                (
                    r.type.pk,
                    r.status,
                    r.unit.pk,
                    r.start,
                    r.end,
                    sorted(set(r.partners)),
                    r.participants,
                    r.participants_female,
                    r.participants_minority,
                    clean(r.title),
                    r.notes.strip(),
                    r.import_key,
                    Activity.Origin.IMPORT,
                    creator_id,
                    now,
                    now,
                )
                for r in chunk
            ],
        )
        pairs = list(zip(ids, chunk, strict=True))
        insert_many(
            Activity.villages.through,
            ["activity", "adminunit"],
            ((pk, v.pk) for pk, r in pairs for v in r.villages),
        )
        insert_many(
            Activity.teams.through,
            ["activity", "team"],
            ((pk, t.pk) for pk, r in pairs for t in r.teams),
        )
        insert_many(
            Activity.movements.through,
            ["activity", "movement"],
            ((pk, m.pk) for pk, r in pairs for m in r.movements),
        )
        insert_many(
            ActivityValue,
            ["activity", "indicator", "value"],
            (
                (pk, indicator.pk, value)
                for pk, values in zip(ids, parsed[offset : offset + batch_size], strict=True)
                for indicator, value in values.items()
            ),
        )
        created.extend(ids)
        if progress:
            progress(len(rows) + offset + len(chunk), len(rows) * 2)
    ledger_added(created)
    audit_log(
        actor=actor,
        action="work.activity_bulk_create",
        message=f"Nhập {len(created)} hoạt động ({label})",
    )
    return created
