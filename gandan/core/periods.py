"""Reporting periods: calendar periods and the Decree 09/2019/NĐ-CP cut-off periods.

A period is an inclusive date range with a Vietnamese label. Text forms, as on the CLI:
``2019``, ``2019-H1``, ``2019-Q3``, ``2019-09``, ``2019-W37`` and ``2004-07-05..2019-09-10``;
and as officials write them: "Quý 3/2025", "quý III năm 2025", "Q3/2025", "tháng 9/2025",
"6 tháng đầu năm 2025", "năm 2025", "từ 05/7/2004 đến 10/9/2019" (``_code_of_words``).

Under the Decree 09 cut-off ("chốt số liệu"), a month runs from the 15th of the previous
month to the 14th; a quarter, half-year and year likewise (the year from 15/12 of the year
before to 14/12).
"""

import datetime
import re
from dataclasses import dataclass

from gandan.core.errors import DomainError
from gandan.core.text import fold

CALENDAR, CUTOFF = "calendar", "nd09"
KINDS = ("year", "half", "quarter", "month", "week", "range")


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str
    label: str
    code: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _calendar(year: int, first_month: int, months: int) -> tuple[datetime.date, datetime.date]:
    last_month = first_month + months - 1
    return datetime.date(year, first_month, 1), _month_end(year, last_month)


def _cutoff(year: int, first_month: int, months: int) -> tuple[datetime.date, datetime.date]:
    """15th of the month before the first month → 14th of the last month."""
    start_year, start_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    return datetime.date(start_year, start_month, 15), datetime.date(
        year, first_month + months - 1, 14
    )


def _bounds(
    regime: str, year: int, first_month: int, months: int
) -> tuple[datetime.date, datetime.date]:
    return (_cutoff if regime == CUTOFF else _calendar)(year, first_month, months)


_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"), "range"),
]


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DAY = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_YEAR = r"\s*(?:/|-|nam|\s)\s*(\d{4})"
_WORDS = [
    (re.compile(r"^(?:quy|q)\s*(\d|i{1,3}|iv)" + _YEAR + "$"), "quarter"),
    (re.compile(r"^(?:thang|t)\s*(\d{1,2})" + _YEAR + "$"), "month"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "month"),
    (re.compile(r"^6 thang (dau|cuoi)(?: nam)?\s*(\d{4})$"), "half"),
    (re.compile(r"^(?:nam)\s*(\d{4})$"), "year"),
    (re.compile(r"^tuan\s*(\d{1,2})" + _YEAR + "$"), "week"),
    (
        re.compile(r"^(?:tu(?: ngay)?\s*)?" + _DAY + r"\s*(?:den(?: ngay)?|-|–|→)\s*" + _DAY + "$"),
        "range",
    ),
]


def _code_of_words(value: str) -> str | None:
    """The code of a period written in words ("Quý 3/2025" → 2025-Q3), or None."""
    words = re.sub(r"\s+", " ", fold(value)).strip()
    for pattern, kind in _WORDS:
        match = pattern.match(words)
        if match is None:
            continue
        parts = match.groups()
        if kind == "quarter":
            number = int(parts[0]) if parts[0].isdigit() else _ROMAN[parts[0]]
            return f"{parts[1]}-Q{number}" if 1 <= number <= 4 else None
        if kind == "month":
            return f"{parts[1]}-{int(parts[0]):02d}"
        if kind == "half":
            return f"{parts[1]}-H{1 if parts[0] == 'dau' else 2}"
        if kind == "year":
            return parts[0]
        if kind == "week":
            return f"{parts[1]}-W{int(parts[0]):02d}"
        day, month, year, day2, month2, year2 = (int(p) for p in parts)
        return f"{year:04d}-{month:02d}-{day:02d}..{year2:04d}-{month2:02d}-{day2:02d}"
    return None


def parse_period(text: str, *, regime: str = CALENDAR) -> Period:
    """A period from its code or from words as officials write it ("Quý 3/2025");
    a clear Vietnamese error otherwise. The period's code is always the canonical code."""
    value = text.strip()
    value = _code_of_words(value) or value
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if match is None:
            continue
        if kind == "range":
            try:
                start = datetime.date.fromisoformat(match.group(1))
                end = datetime.date.fromisoformat(match.group(2))
            except ValueError:
                break
            if end < start:
                raise DomainError(f"Kỳ «{text}»: ngày cuối trước ngày đầu.", field="period")
            label = f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
            return Period(start, end, kind, label, value)
        year = int(match.group(1))
        if kind == "year":
            start, end = _bounds(regime, year, 1, 12)
            return Period(start, end, kind, f"năm {year}", value)
        number = int(match.group(2))
        if kind == "half":
            start, end = _bounds(regime, year, 1 + 6 * (number - 1), 6)
            label = f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
            return Period(start, end, kind, label, value)
        if kind == "quarter":
            start, end = _bounds(regime, year, 1 + 3 * (number - 1), 3)
            return Period(
                start, end, kind, f"quý {['I', 'II', 'III', 'IV'][number - 1]} năm {year}", value
            )
        if kind == "month":
            if not 1 <= number <= 12:
                break
            start, end = _bounds(regime, year, number, 1)
            return Period(start, end, kind, f"tháng {number} năm {year}", value)
        try:
            start = datetime.date.fromisocalendar(year, number, 1)
        except ValueError:
            break
        return Period(
            start, start + datetime.timedelta(days=6), kind, f"tuần {number} năm {year}", value
        )
    raise DomainError(
        f"Kỳ không hợp lệ: «{text}». Viết như «quý 3/2025», «tháng 9/2025», «6 tháng đầu năm 2025», "
        f"«năm 2025», «từ 05/7/2004 đến 10/9/2019», hoặc mã 2025-Q3, 2025-09, 2025-H1, 2025.",
        field="period",
    )


def periods_between(
    start: datetime.date, end: datetime.date, kind: str, *, regime: str = CALENDAR
) -> list[Period]:
    """The periods of ``kind`` (year, half, quarter, month) that cover [start, end], clipped to it."""
    codes: list[str] = []
    for year in range(start.year, end.year + 2):
        if kind == "year":
            codes.append(f"{year}")
        elif kind == "half":
            codes += [f"{year}-H1", f"{year}-H2"]
        elif kind == "quarter":
            codes += [f"{year}-Q{q}" for q in range(1, 5)]
        elif kind == "month":
            codes += [f"{year}-{m:02d}" for m in range(1, 13)]
        else:
            raise DomainError(f"Không chia kỳ theo «{kind}».", field="period")
    out = []
    for code in codes:
        period = parse_period(code, regime=regime)
        if period.end < start or period.start > end:
            continue
        clipped_start, clipped_end = max(period.start, start), min(period.end, end)
        out.append(Period(clipped_start, clipped_end, period.kind, period.label, period.code))
    return out
