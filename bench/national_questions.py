"""The questions of the national benchmark (``bench/national.py``) and how to ask the engine."""

import datetime
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "national-province.sqlite3"
B2025 = datetime.date(2025, 7, 1)
B2019 = datetime.date(2019, 1, 1)
T0 = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f} s] {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


# -- the questions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    name: str
    units: str  # see units_for()
    by: str  # range, year, half, quarter, month, nd09-year
    start: datetime.date
    end: datetime.date
    indicators: tuple[str, ...]
    boundaries: datetime.date | None


ADD = ("campaigns", "participants", "money_vnd")
D = datetime.date
# fmt: off
QUESTIONS = [
    Question("tỉnh 2025 × năm", "provinces", "year", D(2006, 1, 1), D(2025, 12, 31), ADD, B2025),
    Question("tỉnh cũ × năm (như ghi nhận)", "legacy_provinces", "year", D(2006, 1, 1), D(2024, 12, 31), ADD, None),
    Question("tỉnh cũ × năm (địa giới 2019)", "legacy_provinces", "year", D(2010, 1, 1), D(2019, 12, 31), ADD, B2019),
    Question("tỉnh 2025 × chỉ tiêu, 20 năm", "provinces", "range", D(2006, 1, 1), D(2025, 12, 31), ("campaigns", "participants", "propaganda_sessions", "money_vnd", "land_m2", "labour_days"), B2025),
    Question("toàn quốc, thôn đã đến 2016–2020", "provinces", "range", D(2016, 1, 1), D(2020, 12, 31), ("campaigns", "villages_reached", "communes_reached"), B2025),
    Question("huyện × chỉ tiêu, thôn khác nhau, 2004–2019 (tỉnh A)", "districts_a", "range", D(2004, 1, 1), D(2019, 12, 31), ("campaigns", "villages_reached", "communes_reached", "participants"), None),
    Question("huyện × chỉ tiêu, thôn khác nhau, 2004–2019 (tỉnh B)", "districts_b", "range", D(2004, 1, 1), D(2019, 12, 31), ("campaigns", "villages_reached", "participants"), None),
    Question("huyện × năm, thôn khác nhau (tỉnh A)", "districts_a", "year", D(2006, 1, 1), D(2019, 12, 31), ("villages_reached", "campaigns"), None),
    Question("xã 2025 × chỉ tiêu từ 2015 (tỉnh A)", "communes_2025_a", "range", D(2015, 1, 1), D(2025, 12, 31), ("campaigns", "participants", "money_vnd", "villages_reached"), B2025),
    Question("xã 2025 × năm từ 2015 (tỉnh B)", "communes_2025_b", "year", D(2015, 1, 1), D(2025, 12, 31), ADD, B2025),
    Question("xã 2025 từ 2015 đến nay (tỉnh A)", "communes_2025_a", "range", D(2015, 1, 1), D(2026, 11, 29), ADD, B2025),
    Question("một xã 2025, chuỗi tháng 2015–2025", "commune_2025", "month", D(2015, 1, 1), D(2025, 12, 31), ADD, B2025),
    Question("một xã cũ, chuỗi tháng 2010–2019", "commune_legacy", "month", D(2010, 1, 1), D(2019, 12, 31), ADD, None),
    Question("một xã 2025 × quý 2024–2025", "commune_2025", "quarter", D(2024, 1, 1), D(2025, 12, 31), ("campaigns", "villages_reached"), B2025),
    Question("xã của một huyện × năm (như ghi nhận)", "communes_district_a", "year", D(2006, 1, 1), D(2024, 12, 31), ("campaigns", "villages_reached", "participants"), None),
    Question("một huyện, năm NĐ 09 2015–2019", "district_a", "nd09-year", D(2014, 12, 15), D(2019, 12, 14), ADD, None),
    Question("một huyện × tháng 2018", "district_a", "month", D(2018, 1, 1), D(2018, 12, 31), ADD, None),
    Question("một tỉnh 2025, mọi chỉ tiêu bản ghi, 20 năm", "province_a", "range", D(2006, 1, 1), D(2025, 12, 31), ("campaigns", "villages_reached", "communes_reached", "participants", "propaganda_sessions", "trainings", "training_participants", "summer_classes", "money_vnd", "land_m2", "labour_days", "roads_km", "wells", "leaflets", "bulletins"), B2025),
    Question("một tỉnh 2025 × năm, thôn và xã đã đến", "province_a", "year", D(2006, 1, 1), D(2025, 12, 31), ("villages_reached", "communes_reached"), B2025),
    Question("tỉnh 2025 × năm 2021–2025, tập huấn", "provinces", "year", D(2021, 1, 1), D(2025, 12, 31), ("trainings", "training_participants", "summer_classes"), B2025),
    Question("tỉnh cũ × chỉ tiêu 2011–2015", "legacy_provinces", "range", D(2011, 1, 1), D(2015, 12, 31), ("campaigns", "participants", "money_vnd", "wells"), None),
    Question("xã 2025 × năm, thôn khác nhau (tỉnh A)", "communes_2025_a", "year", D(2016, 1, 1), D(2025, 12, 31), ("villages_reached",), B2025),
    # The shapes issue 11 added: months, quarters, half-years, part-years, places reached.
    Question("34 tỉnh × 24 tháng 2024–2025", "provinces", "month", D(2024, 1, 1), D(2025, 12, 31), ADD, B2025),
    Question("tỉnh cũ × quý 2018–2019, thôn đã đến (như ghi nhận)", "legacy_provinces", "quarter", D(2018, 1, 1), D(2019, 12, 31), ("campaigns", "villages_reached"), None),
    Question("34 tỉnh × nửa năm 2020–2025", "provinces", "half", D(2020, 1, 1), D(2025, 12, 31), ADD, B2025),
    Question("34 tỉnh, nửa đầu năm 2025", "provinces", "range", D(2025, 1, 1), D(2025, 6, 30), ADD, B2025),
    Question("34 tỉnh, 10-3 → 20-9-2024 (một phần năm)", "provinces", "range", D(2024, 3, 10), D(2024, 9, 20), ("campaigns", "participants", "money_vnd", "villages_reached"), B2025),
    Question("một tỉnh 2025 × tháng 2025, thôn và xã đã đến", "province_a", "month", D(2025, 1, 1), D(2025, 12, 31), ("campaigns", "villages_reached", "communes_reached"), B2025),
    Question("tỉnh cũ × nửa năm 2019 (địa giới 2019)", "legacy_provinces", "half", D(2019, 1, 1), D(2019, 12, 31), ADD, B2019),
]
# fmt: on


def units_for(which: str) -> list[Any]:
    from gandan.geo.models import Level
    from gandan.geo.selectors import children_on, units_on

    provinces = [v.unit for v in units_on(B2025, level=Level.PROVINCE)]
    legacy = [v.unit for v in units_on(B2019, level=Level.PROVINCE)]
    # Province A: a 2025 province formed from several legacy provinces; B: the second one.
    a, b = provinces[0], provinces[1 % len(provinces)]
    a_legacy = [u for u in legacy if u.pk == a.pk] or legacy[:1]
    districts_a = [v.unit for v in children_on(a_legacy[0], B2019)]
    b_legacy = [u for u in legacy if u.pk == b.pk] or legacy[-1:]
    if which == "provinces":
        return provinces
    if which == "legacy_provinces":
        return legacy
    if which == "province_a":
        return [a]
    if which == "districts_a":
        return districts_a
    if which == "districts_b":
        return [v.unit for v in children_on(b_legacy[0], B2019)]
    if which == "district_a":
        return districts_a[:1]
    if which == "communes_district_a":
        return [v.unit for v in children_on(districts_a[0], B2019)]
    if which == "communes_2025_a":
        return [v.unit for v in children_on(a, B2025, level=Level.COMMUNE)]
    if which == "communes_2025_b":
        return [v.unit for v in children_on(b, B2025, level=Level.COMMUNE)]
    if which == "commune_2025":
        return [v.unit for v in children_on(a, B2025, level=Level.COMMUNE)][:1]
    if which == "commune_legacy":
        return [v.unit for v in children_on(districts_a[0], B2019)][:1]
    raise ValueError(which)


def periods_for(question: Question) -> list[Any]:
    from gandan.core.periods import CUTOFF, parse_period, periods_between

    if question.by == "range":
        return [parse_period(f"{question.start}..{question.end}")]
    if question.by == "nd09-year":
        return periods_between(question.start, question.end, "year", regime=CUTOFF)
    return periods_between(question.start, question.end, question.by)


# -- (a) the engine ---------------------------------------------------------------------------


def ask_engine(question: Question, engine: str = "auto") -> tuple[float, Any]:
    from gandan.analytics.engine import pivot
    from gandan.analytics.selectors import indicators_by_code

    began = time.perf_counter()
    result = pivot(
        units=units_for(question.units),
        periods=periods_for(question),
        indicators=indicators_by_code(question.indicators),
        boundaries=question.boundaries,
        engine=engine,
    )
    return time.perf_counter() - began, result
