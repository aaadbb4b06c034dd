"""Reading the rows of the field-work workbook into checked, resolved values.

Names and codes resolve through caches built once per import, one query per kind and never
one per row: units by official code, villages by name under their commune on the date,
types, teams, movements. Each problem becomes a :class:`RowError` naming the row and the
column; the rules that need the tree and the paper totals are the services' (``Checker``).
"""

import datetime
import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from gandan.accounts.jurisdiction import Jurisdiction
from gandan.core import xlsx
from gandan.core.dates import vn_date
from gandan.core.numbers import Kind, NumberError, parse_number
from gandan.core.text import fold
from gandan.core.xlsx import RowError, cell_text
from gandan.geo.models import KIND_PREFIX, VILLAGE_KINDS, AdminUnit, Level, UnitVersion
from gandan.indicators.models import Indicator
from gandan.org.models import Team
from gandan.work import excel_sheet as layout
from gandan.work.excel_sheet import Catalogue, indicator_header, partner_labels, qualifier_labels
from gandan.work.models import ActivityType, Movement, Qualifier

T = TypeVar("T")
CHUNK = 2000  # ids per IN (…): well under SQLite's limit on query parameters
MAX_COUNT = 2_147_483_647  # the database's integer
MAX_VALUE = Decimal(10) ** 17  # as ``validation.parse_value``
_SPLIT = re.compile(r"[;\n]")
_THOUSANDTH = Decimal("0.001")
_LEVEL_ORDER: dict[str, int] = {Level.COMMUNE: 0, Level.DISTRICT: 1, Level.PROVINCE: 2}
key_of = functools.lru_cache(maxsize=1 << 16)(fold)  # names repeat across rows
_Span = tuple[int, datetime.date | None, datetime.date | None]  # (unit or parent, from, to)


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterable[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def valid(start: datetime.date | None, end: datetime.date | None, on: datetime.date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


def content_key(parts: tuple[object, ...]) -> str:
    """A stable key for a row without "Mã dòng": a hash of its normalised content (ints,
    strings, dates and tuples of them, whose ``repr`` does not change)."""
    return "h:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def plain(value: Decimal) -> str:
    """15000000 for 15000000.000 and 1.5E+7 alike."""
    return format(value.normalize(), "f")


class Cells(xlsx.Cells):
    def __init__(
        self,
        line: int,
        values: dict[str, object],
        *,
        required: Collection[str],
        sheet: str | None = None,
    ) -> None:
        super().__init__(line, values, sheet=sheet)
        self.required = required

    def number(
        self, column: str, *, kind: Kind, unit: str = "", maximum: Decimal = MAX_VALUE
    ) -> Decimal | None:
        """A number cell as it is; a text cell read the Vietnamese way ("1.350" is 1350;
        ``core.numbers.parse_number``), refused with the reason when it would be a guess."""
        raw = self.values.get(column)
        if type(raw) is int and 0 <= raw < maximum:  # the usual case, made cheap
            return Decimal(raw)
        if xlsx.is_blank(raw):
            if column in self.required:
                self.error(column, "không được để trống.")
            return None
        value: Decimal | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = Decimal(raw)
        elif isinstance(raw, Decimal) and raw.is_finite():
            value = raw
        elif isinstance(raw, float) and raw == raw and abs(raw) != float("inf"):
            value = Decimal(repr(raw))
        elif isinstance(raw, str):
            try:
                value = parse_number(raw, kind=kind)
            except NumberError as error:
                self.error(column, error.message)
                return None
        shown = cell_text(raw)
        integer = kind is not Kind.DECIMAL
        if value is None:
            self.error(column, f"«{shown}» không phải là số.")
        elif value < 0:
            self.error(column, f"«{shown}»: không được âm.")
        elif value >= maximum:
            self.error(column, f"«{shown}»: số quá lớn.")
        elif integer and value != value.to_integral_value():
            self.error(column, f"«{shown}» phải là số nguyên" + (f" ({unit})." if unit else "."))
        elif abs(value - (rounded := value.quantize(_THOUSANDTH))) > Decimal("1e-9"):
            self.error(column, f"«{shown}»: tối đa 3 chữ số thập phân.")
        else:
            return rounded if not integer else value.to_integral_value()
        return None

    def count(self, column: str) -> int | None:
        raw = self.values.get(column)
        if type(raw) is int and 0 <= raw <= MAX_COUNT:
            return raw
        value = self.number(column, kind=Kind.INTEGER, maximum=Decimal(MAX_COUNT))
        return None if value is None else int(value)

    def names(self, column: str) -> tuple[str, ...]:
        if self.values.get(column) is None:
            return ()
        return _names(self.text(column, max_length=4000))

    def pick(
        self, column: str, options: Mapping[str, T | None], what: str, text: str | None = None
    ) -> T | None:
        """The option named by the cell (or by ``text``, one of its names)."""
        text = self.text(column) if text is None else text
        if not text:
            return None
        key = key_of(text)
        if key not in options:
            self.error(column, f"không có {what} «{text}»; chọn trong danh sách thả xuống.")
        elif (found := options[key]) is None:
            self.error(
                column, f"có nhiều {what} tên «{text}»; ghi đúng tên đầy đủ trong danh sách."
            )
        else:
            return found
        return None


@functools.lru_cache(maxsize=1 << 14)
def _names(text: str) -> tuple[str, ...]:
    """ "A; B;; a" → ("A", "B", "a"): the names of a cell, in order, once each."""
    return tuple(dict.fromkeys(part for part in (p.strip() for p in _SPLIT.split(text)) if part))


def options(items: Iterable[tuple[Iterable[str], T]]) -> dict[str, T | None]:
    """Folded name → item; a name shared by two items maps to None (ambiguous)."""
    found: dict[str, T | None] = {}
    for names, item in items:
        for name in {key_of(n) for n in names if n}:
            found[name] = item if found.get(name, item) is item else None
    return found


class Places:
    """Units by official code and villages by name, loaded once for the whole file."""

    def __init__(self, codes: Collection[str]) -> None:
        self.by_code: dict[str, list[AdminUnit]] = defaultdict(list)
        for some in chunks(sorted(codes)):
            for unit in AdminUnit.objects.filter(code__in=some).exclude(level=Level.VILLAGE):
                self.by_code[unit.code].append(unit)
        communes = [u.pk for us in self.by_code.values() for u in us if u.level == Level.COMMUNE]
        self.named: dict[int, dict[str, list[_Span]]] = defaultdict(lambda: defaultdict(list))
        self.under: dict[int, list[_Span]] = defaultdict(list)
        for batch in chunks(communes):
            versions = UnitVersion.objects.filter(parent_id__in=batch, kind__in=VILLAGE_KINDS)
            for unit_id, parent_id, start, end, name, kind in versions.values_list(
                "unit_id", "parent_id", "valid_from", "valid_to", "name", "kind"
            ):
                self.under[unit_id].append((parent_id, start, end))
                for key in {key_of(f"{KIND_PREFIX[kind]} {name}"), key_of(name)}:
                    self.named[parent_id][key].append((unit_id, start, end))
        self.everywhere: (
            dict[str, list[tuple[int, int, datetime.date | None, datetime.date | None]]] | None
        ) = None

    def unit(self, code: str, on: datetime.date) -> AdminUnit | None:
        found = [u for u in self.by_code.get(code, ()) if u.is_valid_on(on)]
        return min(found, key=lambda u: _LEVEL_ORDER.get(u.level, 9), default=None)

    def unit_problem(self, code: str, on: datetime.date) -> str:
        known = sorted(self.by_code.get(code, ()), key=lambda u: u.valid_from or datetime.date.min)
        if not known:
            return f"không có đơn vị mã «{code}»."
        spans = "; ".join(
            f"{u}"
            + (f" từ {vn_date(u.valid_from)}" if u.valid_from else "")
            + (f" đến hết {vn_date(u.valid_to - datetime.timedelta(days=1))}" if u.valid_to else "")
            for u in known
        )
        return f"không có đơn vị mã «{code}» vào ngày {vn_date(on)}; mã này là của {spans}."

    def village(self, commune: AdminUnit, name: str, on: datetime.date) -> int | str:
        """The id of the village named ``name`` in ``commune`` on ``on``, or a message."""
        versions = self.named[commune.pk].get(key_of(name), [])
        if len(versions) == 1 and valid(versions[0][1], versions[0][2], on):
            return versions[0][0]  # the usual case
        exact = {unit for unit, start, end in versions if valid(start, end, on)}
        # A village renamed later may be written under another of its names.
        known = exact or {
            unit
            for unit, _s, _e in versions
            if any(p == commune.pk and valid(s, e, on) for p, s, e in self.under[unit])
        }
        if len(known) == 1:
            return known.pop()
        if known:
            return f"{commune} có {len(known)} thôn, buôn tên «{name}» vào ngày {vn_date(on)}; ghi đủ tên, ví dụ «Thôn {name}» hay «Buôn {name}»."
        elsewhere = {parent for _u, parent, s, e in self._everywhere(name) if valid(s, e, on)}
        if elsewhere:
            others = ", ".join(sorted(str(u) for u in AdminUnit.objects.filter(pk__in=elsewhere)))
            return f"«{name}» không thuộc {commune} vào ngày {vn_date(on)} (thuộc {others})."
        if versions:
            return f"«{name}» của {commune} không có hiệu lực vào ngày {vn_date(on)}."
        return f"{commune} không có thôn, buôn «{name}» vào ngày {vn_date(on)}."

    def _everywhere(
        self, name: str
    ) -> list[tuple[int, int, datetime.date | None, datetime.date | None]]:
        """Every village version by name: loaded once, and only to explain a bad row."""
        if self.everywhere is None:
            self.everywhere = defaultdict(list)
            versions = UnitVersion.objects.filter(kind__in=VILLAGE_KINDS, parent__isnull=False)
            for unit_id, parent_id, start, end, text, kind in versions.values_list(
                "unit_id", "parent_id", "valid_from", "valid_to", "name", "kind"
            ):
                for key in {key_of(f"{KIND_PREFIX[kind]} {text}"), key_of(text)}:
                    self.everywhere[key].append((unit_id, parent_id, start, end))
        return self.everywhere.get(key_of(name), [])

    @staticmethod
    def villages(ids: Iterable[int]) -> dict[int, AdminUnit]:
        found: dict[int, AdminUnit] = {}
        for batch in chunks(sorted(set(ids))):
            found.update(AdminUnit.objects.in_bulk(batch))
        return found


@dataclass(slots=True)
class ParsedActivity:
    line: int
    key: str
    type: ActivityType
    unit: AdminUnit
    start: datetime.date
    end: datetime.date
    village_ids: list[int]
    teams: list[Team]
    movements: list[Movement]
    partners: list[str]
    participants: int
    female: int | None
    minority: int | None
    values: dict[str, Decimal]
    title: str
    notes: str

    def content_key(self) -> str:
        return content_key(
            (
                self.type.code,
                self.unit.pk,
                self.start,
                self.end,
                sorted(self.village_ids),
                sorted(t.pk for t in self.teams),
                sorted(m.code for m in self.movements),
                sorted(self.partners),
                self.participants,
                self.female,
                self.minority,
                sorted((code, plain(value)) for code, value in self.values.items()),
                self.title,
                self.notes,
            )
        )


@dataclass(slots=True)
class ParsedAggregate:
    line: int
    indicator: Indicator
    unit: AdminUnit
    start: datetime.date
    end: datetime.date
    label: str
    value: Decimal
    qualifier: str
    source_number: str
    source_date: datetime.date
    source_title: str

    def content_key(self) -> str:
        return content_key(
            (
                self.indicator.code,
                self.unit.pk,
                self.start,
                self.end,
                self.label,
                plain(self.value),
                self.qualifier,
                self.source_number,
                self.source_date,
                self.source_title,
            )
        )


class RowReader:
    """Parses the rows of both sheets against the catalogue, the places and a jurisdiction."""

    def __init__(self, catalogue: Catalogue, places: Places, scope: Jurisdiction) -> None:
        self.places, self.scope = places, scope
        self.types = options(([t.name, t.code], t) for t in catalogue.types)
        self.movements = options(([m.name, m.code], m) for m in catalogue.movements)
        self.partners = options(([label, key], key) for key, label in partner_labels())
        self.qualifiers = options(([label, key], key) for key, label in qualifier_labels())
        self.indicators = options(
            ([indicator_header(i), f"{i.name_vi} ({i.unit})", i.name_vi, i.code], i)
            for i in catalogue.all_total_indicators
        )
        self.indicator_codes = {i.code: i for i in catalogue.all_total_indicators}
        self.teams: dict[str, list[Team]] = defaultdict(list)
        for team in catalogue.teams:
            self.teams[key_of(team.name)].append(team)
        self.values = catalogue.value_columns()

    def _unit(self, cells: Cells, column: str, on: datetime.date | None) -> AdminUnit | None:
        code = cells.text(column, max_length=16)
        if not code or on is None:
            return None
        unit = self.places.unit(code, on)
        if unit is None:
            cells.error(column, self.places.unit_problem(code, on))
        elif not self.scope.covers(unit.pk, on):
            cells.error(
                column, f"{unit} (mã {code}) không thuộc địa bàn của bạn vào ngày {vn_date(on)}."
            )
        else:
            return unit
        return None

    def _team(self, cells: Cells, name: str, on: datetime.date) -> Team | None:
        named = self.teams.get(key_of(name), [])
        active = [t for t in named if t.is_active_on(on)]
        mine = [t for t in active if self.scope.covers(t.unit_id, on)]
        if len(active) == 1 or len(mine) == 1:
            return active[0] if len(active) == 1 else mine[0]
        if not named:
            cells.error(layout.TEAMS, f"không có đội «{name}».")
        elif not active:
            cells.error(layout.TEAMS, f"đội «{name}» không hoạt động vào ngày {vn_date(on)}.")
        else:
            cells.error(
                layout.TEAMS,
                f"có {len(active)} đội tên «{name}» cùng hoạt động; hãy đặt tên khác nhau.",
            )
        return None

    def activity(
        self, line: int, values: dict[str, object]
    ) -> tuple[ParsedActivity | None, list[RowError]]:
        cells = Cells(line, values, required=(layout.TYPE, layout.COMMUNE, layout.START))
        key = cells.text(layout.KEY, max_length=64)
        kind = cells.pick(layout.TYPE, self.types, "loại hoạt động")
        start = cells.date(layout.START)
        end = start if xlsx.is_blank(values.get(layout.END)) else cells.date(layout.END)
        if start and end and end < start:
            cells.error(
                layout.END, f"ngày kết thúc {vn_date(end)} trước ngày bắt đầu {vn_date(start)}."
            )
        unit = self._unit(cells, layout.COMMUNE, start)
        village_ids: list[int] = []
        if unit is not None and start is not None:
            names = cells.names(layout.VILLAGES)
            if names and unit.level != Level.COMMUNE:
                cells.error(
                    layout.VILLAGES,
                    f"chỉ ghi thôn, buôn khi địa bàn là xã; {unit} là cấp {unit.get_level_display().lower()}.",
                )
                names = ()
            for name in names:
                found = self.places.village(unit, name, start)
                if isinstance(found, str):
                    cells.error(layout.VILLAGES, found)
                elif found not in village_ids:
                    village_ids.append(found)
        teams = [
            t
            for name in cells.names(layout.TEAMS)
            if start and (t := self._team(cells, name, start))
        ]
        movements = [
            m
            for name in cells.names(layout.MOVEMENTS)
            if (m := cells.pick(layout.MOVEMENTS, self.movements, "phong trào", name))
        ]
        partners = [
            p
            for name in cells.names(layout.PARTNERS_COLUMN)
            if (p := cells.pick(layout.PARTNERS_COLUMN, self.partners, "đơn vị phối hợp", name))
        ]
        people = cells.count(layout.PEOPLE) or 0
        female, minority = cells.count(layout.FEMALE), cells.count(layout.MINORITY)
        for column, part in ((layout.FEMALE, female), (layout.MINORITY, minority)):
            if part is not None and part > people:
                cells.error(column, f"{part} lớn hơn tổng số lượt người ({people}).")
        amounts: dict[str, Decimal] = {}
        for header in values:
            if (indicator := self.values.get(header)) is not None:
                amount = cells.number(header, kind=indicator.number_kind, unit=indicator.unit)
                if amount is not None:
                    amounts[indicator.code] = amount
        title, notes = (
            cells.text(layout.TITLE, max_length=300),
            cells.text(layout.NOTES, max_length=5000),
        )
        if cells.errors or kind is None or unit is None or start is None or end is None:
            return None, cells.errors
        row = ParsedActivity(
            line,
            key,
            kind,
            unit,
            start,
            end,
            village_ids,
            teams,
            movements,
            partners,
            people,
            female,
            minority,
            amounts,
            title,
            notes,
        )
        return row, []

    def aggregate(
        self, line: int, values: dict[str, object]
    ) -> tuple[ParsedAggregate | None, list[RowError]]:
        cells = Cells(
            line, values, required=layout.AGGREGATE_REQUIRED, sheet=layout.AGGREGATE_SHEET
        )
        named = cells.text(layout.INDICATOR)  # by the code in it first: names change
        indicator = self.indicator_codes.get(layout.code_in(named) or "") or cells.pick(
            layout.INDICATOR, self.indicators, "chỉ tiêu nhận số tổng hợp", named
        )
        start, end = cells.date(layout.START), cells.date(layout.END)
        if start and end and end < start:
            cells.error(layout.END, f"cuối kỳ {vn_date(end)} trước đầu kỳ {vn_date(start)}.")
        unit = self._unit(cells, layout.UNIT, start)
        label = cells.text(layout.LABEL, max_length=100)
        kind = indicator.number_kind if indicator else Kind.DECIMAL
        value = cells.number(layout.VALUE, kind=kind, unit=indicator.unit if indicator else "")
        qualifier = cells.pick(layout.QUALIFIER, self.qualifiers, "mức độ") or Qualifier.EXACT
        number, dated = cells.text(layout.DOC_NUMBER, max_length=64), cells.date(layout.DOC_DATE)
        title = cells.text(layout.DOC_TITLE, max_length=300)
        if cells.errors or not (
            indicator and unit and start and end and value is not None and dated
        ):
            return None, cells.errors
        row = ParsedAggregate(
            line, indicator, unit, start, end, label, value, qualifier, number, dated, title
        )
        return row, []
