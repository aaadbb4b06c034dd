"""Field work exported to Excel in the import layout (see :mod:`gandan.work.excel`): each
record carries its import key (or ``#<id>`` for records entered on the web), so importing the
file back changes nothing."""

import datetime
from typing import Any

from django.db.models import Prefetch

from gandan.accounts.jurisdiction import jurisdiction_for, jurisdiction_of_unit
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.geo.models import UnitVersion
from gandan.work.excel_rows import chunks, key_of, valid
from gandan.work.excel_sheet import (
    Catalogue,
    indicator_header,
    partner_labels,
    qualifier_labels,
    write_workbook,
)
from gandan.work.models import Activity, ActivityValue, AggregateEntry


def work_export(*, actor: Actor, unit: Any, start: datetime.date, end: datetime.date) -> bytes:
    """The records and paper totals of ``unit`` starting within [start, end], in the import
    layout, so that importing the file back changes nothing.

    "Of ``unit``" is everything inside it through time, the units merged into it included,
    each record on the unit (and villages, by name) as they were on its date. ``actor``
    sees only their jurisdiction; None is the operator at the command line. Drafts are not
    exported: an import records. The export is audited.
    """
    inside = jurisdiction_of_unit(unit)
    records, totals = (
        inside.filter_dated("unit_id", "start"),
        inside.filter_dated("unit_id", "period_start"),
    )
    if actor is not None:
        mine = jurisdiction_for(actor)
        records &= mine.filter_dated("unit_id", "start")
        totals &= mine.filter_dated("unit_id", "period_start")
    ids = list(
        Activity.objects.filter(records, status=Activity.Status.RECORDED, start__range=(start, end))
        .order_by("start", "id")
        .values_list("pk", flat=True)
    )
    entries = list(
        AggregateEntry.objects.filter(totals, period_start__range=(start, end))
        .select_related("indicator", "unit")
        .order_by("period_start", "indicator__position", "indicator__code", "unit__code", "id")
    )
    audit_log(
        actor=actor,
        action="work.excel_export",
        target=unit,
        message=f"Xuất {len(ids)} hoạt động và {len(entries)} số tổng hợp của {unit} "
        f"từ {vn_date(start)} đến {vn_date(end)} ra Excel",
        data={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "activities": len(ids),
            "totals": len(entries),
        },
    )
    catalogue = Catalogue.load(with_retired_data=True)
    activity_rows = (row for batch in chunks(ids) for row in _activity_rows(batch, catalogue))
    return write_workbook(catalogue, activity_rows, [_total_row(entry) for entry in entries])


def _number(value: Any) -> int | Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _activity_rows(ids: list[int], catalogue: Catalogue) -> list[list[Any]]:
    activities = list(
        Activity.objects.filter(pk__in=ids)
        .select_related("type", "unit")
        .prefetch_related(
            "villages",
            "teams",
            "movements",
            Prefetch(
                "values",
                queryset=ActivityValue.objects.only("activity_id", "indicator_id", "value"),
            ),
        )
        .order_by("start", "id")
    )
    versions: dict[int, list[UnitVersion]] = {}
    village_ids = {v.pk for a in activities for v in a.villages.all()}
    for version in UnitVersion.objects.filter(unit_id__in=village_ids):
        versions.setdefault(version.unit_id, []).append(version)
    partners = dict(partner_labels())
    rows = []
    for a in activities:
        names = sorted(
            next(
                (
                    v.full_name
                    for v in versions.get(village.pk, [])
                    if valid(v.valid_from, v.valid_to, a.start)
                ),
                village.full_name,
            )
            for village in a.villages.all()
        )
        values = {value.indicator_id: value.value for value in a.values.all()}
        rows.append(
            [
                a.import_key or f"#{a.pk}",
                a.type.name,
                a.unit.code,
                "; ".join(sorted(names, key=key_of)),
                vn_date(a.start),
                vn_date(a.end),
                "; ".join(sorted(t.name for t in a.teams.all())),
                "; ".join(m.name for m in a.movements.all()),
                "; ".join(partners.get(p, p) for p in a.partners),
                a.participants,
                a.participants_female,
                a.participants_minority,
                *(_number(values.get(i.pk)) for i in catalogue.value_indicators),
                a.title,
                a.notes,
            ]
        )
    return rows


def _total_row(entry: AggregateEntry) -> list[Any]:
    qualifiers = dict(qualifier_labels())
    return [
        indicator_header(entry.indicator),
        entry.unit.code,
        vn_date(entry.period_start),
        vn_date(entry.period_end),
        entry.period_label,
        _number(entry.value),
        qualifiers.get(entry.qualifier, entry.qualifier),
        entry.source_number,
        vn_date(entry.source_date),
        entry.source_title,
    ]
