"""Which units a user may analyse, and which units a pivot's rows are.

Built on the jurisdiction alone (``accounts.jurisdiction``), like every other gatekeeper.

- **As on a date D**, a unit counts every record of what is inside it on D, including the
  history of the legacy units merged into it. The user must hold the unit on D; whatever
  flows into it is then theirs too (a jurisdiction includes predecessors for their whole
  life). So a 2025 commune's clerk analysing their commune under 2025 boundaries sees the
  history of its legacy communes and nothing else.
- **As recorded**, a unit counts its own records through its life. The user must hold it for
  the whole part of its life that falls in the window: a commune that moved between
  districts is not shown to the clerk of the district it left.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from gandan.accounts.access import access_unit, default_unit
from gandan.accounts.jurisdiction import Jurisdiction, jurisdiction_for, jurisdiction_of_unit
from gandan.accounts.models import User
from gandan.core.dates import today, vn_date
from gandan.core.errors import DomainError
from gandan.geo.models import LEVEL_DEPTH, AdminUnit, Level, UnitVersion
from gandan.geo.selectors import ancestors_on, children_on, predecessor_ids, units_on

SELF, CHILDREN, LEGACY = "self", "children", "legacy"
DRILLS = (SELF, CHILDREN, LEGACY)
DRILLABLE = {Level.PROVINCE, Level.DISTRICT}
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scope:
    """The unit analysed, the boundaries it is analysed under, and the pivot's units."""

    unit: AdminUnit
    drill: str
    boundaries: datetime.date | None
    units: list[AdminUnit]  # none nested: the unit, its children, or it and its legacy units
    parent: AdminUnit | None  # one level up, when the user holds it too


def _life_in(
    unit: AdminUnit, start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    first = max(start, unit.valid_from or start)
    last = min(end, unit.valid_to - DAY if unit.valid_to else end)
    return (first, last) if first <= last else None


def held_throughout(
    jurisdiction: Jurisdiction, unit: AdminUnit, start: datetime.date, end: datetime.date
) -> bool:
    """Whether the user holds ``unit`` on every day of its life within [start, end]."""
    if jurisdiction.everything:
        return True
    span = jurisdiction.spans.get(unit.pk)
    if span is None:
        return False
    life = _life_in(unit, start, end)
    return life is None or span.includes(life[0], life[1] + DAY)


def _default_unit(user: User) -> AdminUnit:
    unit = default_unit(user)
    if unit is None:
        raise Http404("Tài khoản chưa được gán đơn vị.")
    return unit


def access_analysis(
    user: User,
    *,
    unit_id: int | None,
    drill: str | None,
    boundaries: datetime.date | None,
    auto_boundaries: bool,
    start: datetime.date,
    end: datetime.date,
) -> Scope:
    """The unit a user analyses over [start, end], and the units of the pivot's rows.

    404 for a unit outside the jurisdiction. A choice that cannot be answered (a village, a
    unit that did not exist on the boundary date, drilling below communes) is a
    ``DomainError`` naming the field. ``auto_boundaries``: today's boundaries when the unit
    exists today, else as recorded (a dissolved district is only seen as it was).
    """
    jurisdiction = jurisdiction_for(user)
    unit = access_unit(user, unit_id) if unit_id is not None else _default_unit(user)
    if unit.level == Level.VILLAGE:
        raise DomainError("Chọn đơn vị cấp xã trở lên để tổng hợp.", field="unit")
    if auto_boundaries:
        boundaries = today() if unit.is_valid_on(today()) else None
    if boundaries is not None:
        if not unit.is_valid_on(boundaries):
            raise DomainError(
                f"{unit} không có hiệu lực vào ngày {vn_date(boundaries)}; chọn địa giới "
                "«như khi ghi nhận» hoặc một ngày đơn vị còn hiệu lực.",
                field="boundaries",
            )
        if not jurisdiction.covers(unit.pk, boundaries):
            raise Http404("Không tìm thấy đơn vị.")
    elif not held_throughout(jurisdiction, unit, start, end):
        raise DomainError(
            f"{unit} chỉ thuộc địa bàn của bạn trong một phần của kỳ; thu hẹp kỳ hoặc chọn "
            "địa giới theo một ngày.",
            field="unit",
        )
    drill = drill or (CHILDREN if unit.level in DRILLABLE else SELF)
    units = drill_units(
        jurisdiction, unit, drill=drill, boundaries=boundaries, start=start, end=end
    )
    return Scope(unit, drill, boundaries, units, _parent(jurisdiction, unit, boundaries, end))


def drill_units(
    jurisdiction: Jurisdiction,
    unit: AdminUnit,
    *,
    drill: str,
    boundaries: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
) -> list[AdminUnit]:
    """The unit itself, its children (on the boundary date, or as recorded every unit that
    was its child during the window) or, as recorded, it and the legacy units merged into it;
    only those the user may analyse."""
    if drill == SELF:
        return [unit]
    if drill == CHILDREN:
        if unit.level not in DRILLABLE:
            raise DomainError(
                "Xã, phường là cấp thấp nhất của bảng tổng hợp; chọn «đơn vị này».", field="drill"
            )
        if boundaries is not None:
            versions = children_on(unit, boundaries).exclude(unit__level=Level.VILLAGE)
            return [v.unit for v in versions if jurisdiction.covers(v.unit_id, boundaries)]
        overlapping = (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gt=start)
        )
        ids = UnitVersion.objects.filter(overlapping, parent=unit).values("unit_id")
        candidates = AdminUnit.objects.filter(pk__in=ids).exclude(level=Level.VILLAGE)
        # Districts before the 2025 communes that replaced them under the province.
        ordered = sorted(candidates, key=lambda u: (LEVEL_DEPTH[Level(u.level)], u.sort_key, u.pk))
        return [u for u in ordered if held_throughout(jurisdiction, u, start, end)]
    if drill == LEGACY:
        if boundaries is not None:
            raise DomainError(
                "Các đơn vị cũ hợp thành chỉ xem được với địa giới «như khi ghi nhận».",
                field="drill",
            )
        legacy = AdminUnit.objects.filter(pk__in=predecessor_ids([unit.pk])).order_by(
            "valid_to", "sort_key"
        )
        return [unit] + [
            u
            for u in legacy
            if _life_in(u, start, end) and held_throughout(jurisdiction, u, start, end)
        ]
    raise DomainError(f"Cách xem đơn vị không hợp lệ: «{drill}».", field="drill")


def _parent(
    jurisdiction: Jurisdiction,
    unit: AdminUnit,
    boundaries: datetime.date | None,
    end: datetime.date,
) -> AdminUnit | None:
    on = boundaries or min(end, unit.valid_to - DAY if unit.valid_to else end)
    chain = ancestors_on(unit, on)
    if len(chain) < 2:
        return None
    parent = chain[1].unit
    return parent if jurisdiction.covers(parent.pk, on) else None


def unit_choices(user: User, scope: Scope, end: datetime.date) -> list[tuple[int, str]]:
    """Units for the form's list: those the user holds on the boundary date (as recorded, on
    the last day of the analysed unit within the window), and the analysed unit itself."""
    unit = scope.unit
    on = scope.boundaries or min(end, unit.valid_to - DAY if unit.valid_to else end)
    ids = jurisdiction_for(user).unit_ids(on)
    versions = units_on(on).exclude(unit__level=Level.VILLAGE)
    if ids is not None:
        versions = versions.filter(unit_id__in=ids)
    indent: dict[str, str] = {Level.DISTRICT: "\u00a0" * 4, Level.COMMUNE: "\u00a0" * 8}
    choices = [(v.unit_id, f"{indent.get(v.unit.level, '')}{v.full_name}") for v in versions]
    if unit.pk not in {pk for pk, _label in choices}:
        choices.insert(0, (unit.pk, str(unit)))
    return choices


def comparison_units(
    user: User, scope: Scope, start: datetime.date, end: datetime.date
) -> tuple[list[AdminUnit], datetime.date | None]:
    """Units to compare on the dashboard, with the boundaries to compare them under: the
    children of a province or district; for a commune, it and its legacy units as recorded."""
    jurisdiction = jurisdiction_for(user)
    if scope.unit.level in DRILLABLE:
        children = drill_units(
            jurisdiction,
            scope.unit,
            drill=CHILDREN,
            boundaries=scope.boundaries,
            start=start,
            end=end,
        )
        return children, scope.boundaries
    if scope.boundaries is None or held_throughout(jurisdiction, scope.unit, start, end):
        legacy = drill_units(
            jurisdiction, scope.unit, drill=LEGACY, boundaries=None, start=start, end=end
        )
        return (legacy, None) if len(legacy) > 1 else ([], None)
    return [], None


def map_units(
    user: User, scope: Scope, start: datetime.date, end: datetime.date
) -> list[AdminUnit]:
    """The communes that make up the unit: on the boundary date, or as recorded every
    commune that was inside it (or merged into it) during the window."""
    jurisdiction = jurisdiction_for(user)
    unit, on = scope.unit, scope.boundaries
    if on is not None:
        if unit.level == Level.COMMUNE:
            communes = [unit]
        else:
            communes = [v.unit for v in units_on(on, level=Level.COMMUNE, within=unit)]
        found = [c for c in communes if jurisdiction.covers(c.pk, on)]
    else:
        inside = jurisdiction_of_unit(unit).spans
        candidates = AdminUnit.objects.filter(pk__in=list(inside), level=Level.COMMUNE)
        found = [
            c
            for c in candidates.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=end),
                Q(valid_to__isnull=True) | Q(valid_to__gt=start),
            )
            if held_throughout(jurisdiction, c, start, end)
        ]
    return found
