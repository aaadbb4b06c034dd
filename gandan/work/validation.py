"""Validation of activity records, shared by single entry and bulk import.

One implementation of the rules, with caches so that 100.000 imported rows cost a handful
of queries and one saved record a few: the chains of provinces, districts and communes come
from the boundary tree in memory (``geo.tree``), villages' versions from one query per batch,
indicators from one query per batch of codes.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.numbers import Kind, NumberError, parse_number
from gandan.geo.models import AdminUnit, Level, UnitVersion
from gandan.geo.tree import Tree, tree
from gandan.indicators.models import Indicator, Source
from gandan.work.models import PARTNERS, ActivityType

RECORD_SOURCES = {Source.ACTIVITIES, Source.PARTICIPANTS, Source.VILLAGES, Source.COMMUNES}
NOT_VALID = -1  # unit ids are positive
_Period = tuple[datetime.date | None, datetime.date | None, int | None]  # from, to, parent


def parse_value(indicator: Indicator, raw: object, *, field: str) -> Decimal:
    """A non-negative number for ``indicator``; an integer where the indicator requires it
    (money is an integer number of đồng). Text is read the Vietnamese way ("1.350" is one
    thousand three hundred and fifty; ``core.numbers.parse_number``); numbers stay as they are."""
    if isinstance(raw, str):
        try:
            value = parse_number(raw, kind=indicator.number_kind)
        except NumberError as error:
            raise DomainError(f"{indicator.name_vi}: {error.message}", field=field) from None
    elif isinstance(raw, int | Decimal) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        raise DomainError(f"«{raw}» không phải là số ({indicator.name_vi}).", field=field)
    if not value.is_finite():
        raise DomainError(f"«{raw}» không phải là số ({indicator.name_vi}).", field=field)
    if value < 0:
        raise DomainError(f"{indicator.name_vi} không được âm.", field=field)
    if indicator.number_kind is not Kind.DECIMAL and value != value.to_integral_value():
        raise DomainError(f"{indicator.name_vi} phải là số nguyên ({indicator.unit}).", field=field)
    if abs(value) >= Decimal(10) ** 17:
        raise DomainError(f"{indicator.name_vi}: số quá lớn.", field=field)
    return value


class Checker:
    """Caches for validating many records against the tree and the catalogue."""

    def __init__(self, tree: Tree | None = None) -> None:
        self._periods: dict[int, list[_Period]] = {}
        self._units: dict[int, AdminUnit] = {}
        self._indicators: dict[str, Indicator | None] = {}
        self._tree = tree

    # -- the tree -----------------------------------------------------------------------
    def preload(self, unit_ids: Iterable[int]) -> None:
        """Load the versions of these units and of all their ancestors: from the boundary
        tree in memory (``geo.tree``, one query to check it is current) for provinces,
        districts and communes, with one query for villages."""
        # Membership tests, not set(self._periods): this runs for every chain lookup.
        wanted = {u for u in unit_ids if u not in self._periods}
        if not wanted:
            return
        if self._tree is None:
            self._tree = tree()
        known = self._tree.versions
        while wanted:
            for unit_id in [u for u in wanted if u in known]:
                self._periods[unit_id] = list(known[unit_id])
                wanted.discard(unit_id)
            if not wanted:
                return
            found: dict[int, list[_Period]] = defaultdict(list)
            for unit_id, start, end, parent in UnitVersion.objects.filter(
                unit_id__in=wanted
            ).values_list("unit_id", "valid_from", "valid_to", "parent_id"):
                found[unit_id].append((start, end, parent))
            for unit_id in wanted:
                self._periods[unit_id] = found.get(unit_id, [])
            wanted = {
                p
                for periods in found.values()
                for _s, _e, p in periods
                if p is not None and p not in self._periods
            }

    def parent_on(self, unit_id: int, on: datetime.date) -> int | None:
        """The parent id on ``on`` (None for a province); ``NOT_VALID`` when the unit does
        not exist that day."""
        self.preload([unit_id])
        for start, end, parent in self._periods[unit_id]:
            if (start is None or start <= on) and (end is None or on < end):
                return parent
        return NOT_VALID

    def chain(self, unit_id: int, on: datetime.date) -> list[int]:
        """The unit and its ancestors on ``on`` (empty when the unit is not valid then)."""
        out: list[int] = []
        current: int | None = unit_id
        while current is not None and len(out) < 6:
            parent = self.parent_on(current, on)
            if parent == NOT_VALID:
                return out
            out.append(current)
            current = parent
        return out

    def know(self, units: Iterable[AdminUnit]) -> None:
        """Units the caller has already loaded: no query to look them up again."""
        for unit in units:
            self._units.setdefault(unit.pk, unit)

    def unit(self, unit_id: int) -> AdminUnit:
        if unit_id not in self._units:
            self._units[unit_id] = AdminUnit.objects.get(pk=unit_id)
        return self._units[unit_id]

    # -- the catalogue and paper totals ----------------------------------------------------
    def indicator(self, code: str) -> Indicator | None:
        if code not in self._indicators:
            self.indicators([code])
        return self._indicators[code]

    def indicators(self, codes: Iterable[str]) -> None:
        """Look these indicators up, in one query."""
        if wanted := {c for c in codes if c not in self._indicators}:
            found = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
            for code in wanted:
                self._indicators[code] = found.get(code)

    # -- one record -------------------------------------------------------------------------
    def check(
        self,
        *,
        type: ActivityType,
        unit_id: int,
        start: datetime.date,
        end: datetime.date,
        village_ids: list[int],
        team_active: list[tuple[str, bool]],
        partners: list[str],
        participants: int,
        female: int | None,
        minority: int | None,
        values: dict[str, object],
        status: str,
    ) -> dict[Indicator, Decimal]:
        """Raise DomainError (naming the field) for the first broken rule; return parsed values."""
        if end < start:
            raise DomainError("Ngày kết thúc phải từ ngày bắt đầu trở đi.", field="end")
        self.preload([unit_id, *village_ids])
        unit_chain = self.chain(unit_id, start)
        unit = self.unit(unit_id)
        if not unit_chain:
            raise DomainError(f"{unit} không có hiệu lực vào ngày {vn_date(start)}.", field="unit")
        if unit.valid_to is not None and end >= unit.valid_to:
            last = vn_date(unit.valid_to - datetime.timedelta(days=1))
            raise DomainError(
                f"{unit} chỉ có hiệu lực đến hết ngày {last}: hoạt động phải kết thúc trước đó.",
                field="end",
            )
        if unit.level == Level.VILLAGE:
            raise DomainError(
                "Địa bàn là xã (hoặc cấp trên); thôn, buôn chọn ở mục thôn, buôn.", field="unit"
            )
        for village_id in village_ids:
            village = self.unit(village_id)
            if village.level != Level.VILLAGE:
                raise DomainError(f"{village} không phải thôn, buôn.", field="villages")
            village_chain = self.chain(village_id, start)
            if not village_chain:
                raise DomainError(
                    f"{village} không có hiệu lực vào ngày {vn_date(start)}.", field="villages"
                )
            if unit_id not in village_chain:
                raise DomainError(
                    f"{village} không thuộc {unit} vào ngày {vn_date(start)}.", field="villages"
                )
        for name, active in team_active:
            if not active:
                raise DomainError(
                    f"{name} không hoạt động vào ngày {vn_date(start)}.", field="teams"
                )
        known = dict(PARTNERS)
        if bad := [p for p in partners if p not in known]:
            raise DomainError(f"Đơn vị phối hợp không hợp lệ: {', '.join(bad)}.", field="partners")
        if participants < 0:
            raise DomainError("Số lượt người không được âm.", field="participants")
        for label, part in (("nữ", female), ("dân tộc thiểu số", minority)):
            if part is not None and not 0 <= part <= participants:
                raise DomainError(
                    f"Số người {label} phải từ 0 đến tổng số lượt người.", field="participants"
                )
        parsed: dict[Indicator, Decimal] = {}
        self.indicators(values)
        for code, raw in values.items():
            if raw is None or str(raw).strip() == "":
                continue
            indicator = self.indicator(code)
            if indicator is None:
                raise DomainError(f"Không có chỉ tiêu mã «{code}».", field=f"values.{code}")
            if not indicator.takes_values:
                raise DomainError(
                    f"«{indicator.name_vi}» được tính từ bản ghi, không nhập trực tiếp.",
                    field=f"values.{code}",
                )
            if not indicator.is_open_on(start):
                raise DomainError(
                    f"«{indicator.name_vi}» ngừng sử dụng từ ngày {vn_date(indicator.retired_on)}: "
                    "không ghi cho hoạt động từ ngày đó.",
                    field=f"values.{code}",
                )
            parsed[indicator] = parse_value(indicator, raw, field=f"values.{code}")
        return parsed
