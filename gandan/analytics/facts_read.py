"""Reading whole periods from the facts (ADR 0008).

:func:`fact_plan` splits every period into the fewest whole buckets the facts hold (years,
quarters, months, half-months) and the days at its edges, which are read from the records (a
Decree 09 month, 15th → 14th, is two half-months; a half-year two quarters). It picks, through the boundary tree, which
units' rows make up each target (the "cover", ``geo.tree.Tree.cover``). :func:`read_facts`
adds the facts and the ledger rows not yet folded into them, in one statement (one snapshot),
to the engine's cells.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from gandan.analytics.facts import Status, fact_tables, table
from gandan.analytics.figures import TOTAL, Cell
from gandan.analytics.models import GRAIN_CODES
from gandan.core.periods import Period
from gandan.geo.tree import Tree
from gandan.indicators.models import Indicator, Source
from gandan.work.models import ActivityType, LedgerActivity, LedgerPlace, LedgerValue

DAY = datetime.timedelta(days=1)
Range = tuple[datetime.date, datetime.date]


@dataclass
class FactPlan:
    tree: Tree
    boundaries: datetime.date | None
    cover: list[tuple[int, bool, int]]  # (unit whose rows count, own rows only, target)
    buckets: list[tuple[str, datetime.date, int]]  # (grain, first day, period index)
    days: list[tuple[datetime.date, datetime.date, int]]  # the buckets' days, for the ledger
    raw_ranges: list[Range]  # the edges, read from the records
    places: set[int] | None  # the units whose records may count (None: too many to list)
    tables: dict[str, str]


def _half_end(day: datetime.date) -> datetime.date:
    """The last day of the half-month that starts on ``day`` (the 1st or the 15th)."""
    if day.day == 1:
        return day.replace(day=14)
    return _month_end(day)


def _month_end(day: datetime.date, months: int = 1) -> datetime.date:
    """The last day of the ``months`` calendar months from the one holding ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1) - DAY


def _starts(grain: str, day: datetime.date) -> bool:
    """Whether a bucket of ``grain`` starts on ``day``."""
    if grain == "H":
        return day.day in (1, 15)
    months = {"Y": 12, "Q": 3, "M": 1}[grain]
    return day.day == 1 and (day.month - 1) % months == 0


def bucket_end(grain: str, first: datetime.date) -> datetime.date:
    """The last day of the bucket of ``grain`` that starts on ``first``."""
    if grain == "Y":
        return datetime.date(first.year, 12, 31)
    if grain == "Q":
        return _month_end(first, 3)
    if grain == "M":
        return _month_end(first)
    return _half_end(first)


def split(period: Period) -> tuple[list[tuple[str, datetime.date]], list[Range]]:
    """The fewest whole buckets inside ``period`` (years, then quarters, months and
    half-months: coarsest first, so a half-year is two quarters), and the days left at its
    edges."""
    buckets: list[tuple[str, datetime.date]] = []
    raw: list[Range] = []
    day = period.start
    while day <= period.end:
        grain = next(
            (g for g in GRAIN_CODES if _starts(g, day) and bucket_end(g, day) <= period.end),
            None,
        )
        if grain is not None:
            buckets.append((grain, day))
            day = bucket_end(grain, day) + DAY
            continue
        stop = day.replace(day=14) if day.day < 15 else _half_end(day.replace(day=15))
        stop = min(stop, period.end)
        if raw and raw[-1][1] + DAY == day:
            raw[-1] = (raw[-1][0], stop)
        else:
            raw.append((day, stop))
        day = stop + DAY
    return buckets, raw


def fact_plan(
    units: Sequence[int],
    periods: Sequence[Period],
    boundaries: datetime.date | None,
    *,
    status: Status,
    index: Tree,
) -> FactPlan | None:
    """What the facts answer; None when they cannot (not built yet). ``index`` is the live
    tree, which the ledger follows (the engine rekeys first when it does not)."""
    if not status.built:
        return None
    buckets: list[tuple[str, datetime.date, int]] = []
    days: list[tuple[datetime.date, datetime.date, int]] = []
    raw: list[Range] = []
    for idx, period in enumerate(periods):
        whole, edges = split(period)
        raw += edges
        for grain, first in whole:
            buckets.append((grain, first, idx))
            last = bucket_end(grain, first)
            if days and days[-1][2] == idx and days[-1][1] + DAY == first:
                days[-1] = (days[-1][0], last, idx)
            else:
                days.append((first, last, idx))
    targets = list(units)
    places = None
    if raw:
        found = index.places_under(targets, boundaries)
        places = found if len(found) <= 5000 else None
    tables = fact_tables(status.current)
    window = (min(p.start for p in periods), max(p.end for p in periods))

    def owners(above: set[int], aside: set[int]) -> tuple[set[int], set[int]]:
        """Units with records of their own, and units with any records, in the window."""
        found: list[set[int]] = []
        first, last = datetime.date(window[0].year, 1, 1), datetime.date(window[1].year, 1, 1)
        for asked, own in ((above, " AND own"), (aside, "")):
            if not asked:
                found.append(set())
                continue
            ids = ", ".join(str(int(u)) for u in sorted(asked))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT unit_id FROM {tables['activity']} WHERE unit_id IN ({ids})"  # noqa: S608
                    f"{own} AND n > 0 AND grain = 'Y' AND bucket BETWEEN %s AND %s "
                    f"UNION SELECT DISTINCT unit_id FROM {table(LedgerActivity)} "
                    f"WHERE unit_id IN ({ids}){own} AND day BETWEEN %s AND %s",
                    [first, last, window[0], window[1]],
                )
                found.append({row[0] for row in cursor.fetchall()})
        return found[0], found[1]

    cover = index.cover(targets, boundaries, owners) if buckets else []
    return FactPlan(index, boundaries, cover, buckets, days, raw, places, tables)


def _date(day: datetime.date) -> str:
    return f"DATE '{day.isoformat()}'" if connection.vendor == "postgresql" else f"'{day}'"


def _number(value: object) -> Decimal:
    if isinstance(value, float):  # SQLite sums decimals as floats
        return Decimal(repr(value)).quantize(Decimal("0.001"))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(str(value)) if value is not None else Decimal(0)


def _buckets_in(plan: FactPlan) -> str:
    """The plan's buckets as a condition on the facts (PostgreSQL), per grain, so that the
    planner estimates the rows from its statistics (a join with a list of buckets made it
    expect a handful and pick nested loops over tens of thousands)."""
    by_grain: dict[str, list[datetime.date]] = {}
    for grain, day, _idx in plan.buckets:
        by_grain.setdefault(grain, []).append(day)
    conditions = []
    for grain, days in sorted(by_grain.items()):
        first, last = min(days), max(days)
        # The range lets the index (unit, grain, bucket, …) read the question's buckets
        # only. When the list is every bucket of the range, it says nothing more, and
        # repeating it would make the planner count the same condition twice (estimates
        # 50× too low, then nested loops).
        condition = f"f.grain = '{grain}' AND f.bucket BETWEEN DATE '{first}' AND DATE '{last}'"
        if sorted(days) != _every_bucket(grain, first, last):
            listed = ",".join(sorted(day.isoformat() for day in days))
            condition += f" AND f.bucket = ANY('{{{listed}}}'::date[])"
        conditions.append(f"({condition})")
    return " OR ".join(conditions)


def _every_bucket(grain: str, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    found = []
    while first <= last:
        found.append(first)
        first = bucket_end(grain, first) + DAY
    return found


def _bucket_index(plan: FactPlan) -> str:
    """The period index of a fact's bucket (PostgreSQL), without a join: the periods do not
    overlap and hold their buckets, so a bucket belongs to the period of the latest first
    bucket on or before it (``width_bucket`` finds it by bisection)."""
    first: dict[int, datetime.date] = {}
    for _grain, day, idx in plan.buckets:
        first[idx] = min(day, first.get(idx, day))
    starts = sorted((day, idx) for idx, day in first.items())
    days = ",".join(day.isoformat() for day, _idx in starts)
    indexes = ", ".join(str(int(idx)) for _day, idx in starts)
    return f"(ARRAY[{indexes}])[width_bucket(f.bucket, '{{{days}}}'::date[])] AS idx"


def _union(plan: FactPlan, kind: str, columns: str, where: str = "") -> str:
    """The facts of the plan's buckets and the ledger rows of their days, as one relation
    (unit_id, own, idx, columns…), limited to the cover's units."""
    units = ", ".join(str(int(u)) for u in sorted({u for u, _own, _t in plan.cover}))
    ledger = {"activity": LedgerActivity, "value": LedgerValue, "place": LedgerPlace}[kind]
    if connection.vendor == "postgresql":
        facts = (
            f"SELECT f.unit_id, f.own, {_bucket_index(plan)}, {columns.format(t='f')} "  # noqa: S608
            f"FROM {plan.tables[kind]} f WHERE f.unit_id IN ({units}) AND ({_buckets_in(plan)})"
            f"{where.format(t='f')}"
        )
    else:
        facts = (
            f"SELECT f.unit_id, f.own, b.idx, {columns.format(t='f')} FROM {plan.tables[kind]} f "  # noqa: S608
            f"JOIN b ON f.grain = b.grain AND f.bucket = b.bucket WHERE f.unit_id IN ({units}){where.format(t='f')}"
        )
    recent = (
        f"SELECT l.unit_id, l.own, d.idx, {columns.format(t='l')} FROM {table(ledger)} l "  # noqa: S608
        f"JOIN d ON l.day >= d.first AND l.day <= d.last WHERE l.unit_id IN ({units}){where.format(t='l')}"
    )
    return f"{facts} UNION ALL {recent}"


def _head(plan: FactPlan) -> str:
    cover = ", ".join(f"({int(u)}, {int(own)}, {int(t)})" for u, own, t in plan.cover)
    buckets = ", ".join(f"('{g}', {_date(day)}, {idx})" for g, day, idx in plan.buckets)
    days = ", ".join(f"({_date(a)}, {_date(b)}, {idx})" for a, b, idx in plan.days)
    return (
        f"WITH m(unit_id, own_only, target) AS (VALUES {cover}), "
        f"b(grain, bucket, idx) AS (VALUES {buckets}), d(first, last, idx) AS (VALUES {days})"
    )


ACTIVITY_SUMS = ("n", "participants", "female", "female_n", "minority", "minority_n")


def _quoted(kinds: Iterable[str]) -> str:
    return ", ".join("'" + code.replace("'", "''") + "'" for code in sorted(kinds))


def _of_types(kinds: frozenset[str]) -> str:
    """An aggregate's filter to the activity types an indicator counts (all when none)."""
    return f" FILTER (WHERE t.code IN ({_quoted(kinds)}))" if kinds else ""


def _and_types(kinds: Sequence[str]) -> str:
    return f" AND t.code IN ({_quoted(kinds)})" if kinds else ""


def read_facts(
    indicators: list[Indicator],
    cells: dict[str, dict[tuple[int, str], Cell]],
    plan: FactPlan,
    units: Sequence[int],
    periods: Sequence[Period],
    *,
    need_sets: bool = False,
) -> dict[str, dict[tuple[object, str], int]]:
    """Add the plan's whole buckets to the cells. Distinct counts come back as numbers per
    cell and total (unions counted in SQL) when nothing else is needed; otherwise the places
    themselves are added to the cells."""
    if not plan.cover or not plan.buckets:
        return {}
    codes = [p.code for p in periods]
    head = _head(plan)
    join = "JOIN m ON r.unit_id = m.unit_id AND (m.own_only = 0 OR r.own)"
    types = table(ActivityType)
    counts: dict[str, dict[tuple[object, str], int]] = {}
    with connection.cursor() as cursor:
        # Counts and participants; places reached also learn here which cells have records.
        # One row per (target, period): each set of activity types the indicators ask for is
        # a group of filtered sums, so no row per type comes back to Python.
        activity_based = [
            i
            for i in indicators
            if i.source
            in (Source.ACTIVITIES, Source.PARTICIPANTS, Source.VILLAGES, Source.COMMUNES)
        ]
        if activity_based:
            groups: dict[frozenset[str], int] = {}
            for indicator in activity_based:
                groups.setdefault(frozenset(indicator.activity_types), len(groups))
            sums = ", ".join(
                f"SUM(r.{column}){_of_types(kinds)}" for kinds in groups for column in ACTIVITY_SUMS
            )
            relation = _union(
                plan,
                "activity",
                "{t}.type_id, " + ", ".join(f"{{t}}.{column}" for column in ACTIVITY_SUMS),
            )
            cursor.execute(
                f"{head} SELECT m.target, r.idx, {sums} "  # noqa: S608
                f"FROM ({relation}) r {join} JOIN {types} t ON t.id = r.type_id "
                "GROUP BY m.target, r.idx"
            )
            width = len(ACTIVITY_SUMS)
            for target, idx, *found in cursor.fetchall():
                for indicator in activity_based:
                    first = groups[frozenset(indicator.activity_types)] * width
                    n, people, female, female_n, minority, minority_n = found[first : first + width]
                    if not n:
                        continue
                    cell = cells[indicator.code][(target, codes[idx])]
                    if indicator.source == Source.ACTIVITIES:
                        cell.total += _number(n)
                    elif indicator.source == Source.PARTICIPANTS:
                        cell.total += _number(people)
                        if female_n:
                            cell.breakdown["female"] += _number(female)
                        if minority_n:
                            cell.breakdown["minority"] += _number(minority)
                    # places reached are counted below, as unions
                    cell.records = True
        valued = {i.pk: i for i in indicators if i.source == Source.VALUE}
        if valued:
            ids = ", ".join(str(int(pk)) for pk in sorted(valued))
            relation = _union(
                plan,
                "value",
                "{t}.type_id, {t}.indicator_id, {t}.total, {t}.n",
                f" AND {{t}}.indicator_id IN ({ids})",
            )
            # Each indicator with its own activity types: the rows of other types are left out
            # in SQL, so one row per (target, period, indicator) comes back.
            wanted = " OR ".join(
                f"(r.indicator_id = {int(pk)}{_and_types(i.activity_types)})"
                for pk, i in sorted(valued.items())
            )
            cursor.execute(
                f"{head} SELECT m.target, r.idx, r.indicator_id, SUM(r.total), SUM(r.n) "  # noqa: S608
                f"FROM ({relation}) r {join} JOIN {types} t ON t.id = r.type_id "
                f"WHERE {wanted} GROUP BY m.target, r.idx, r.indicator_id"
            )
            for target, idx, indicator_id, total, n in cursor.fetchall():
                if not n:
                    continue
                cell = cells[valued[indicator_id].code][(target, codes[idx])]
                cell.total += _number(total)
                cell.records = True
        for indicator in indicators:
            if indicator.source not in {Source.VILLAGES, Source.COMMUNES}:
                continue
            counts_of = _places(
                cursor, indicator, cells, plan, units, codes, head, join, types, need_sets
            )
            if counts_of is not None:
                counts[indicator.code] = counts_of
    return counts


def _places(
    cursor: object,
    indicator: Indicator,
    cells: dict[str, dict[tuple[int, str], Cell]],
    plan: FactPlan,
    units: Sequence[int],
    codes: list[str],
    head: str,
    join: str,
    types: str,
    need_sets: bool,
) -> dict[tuple[object, str], int] | None:
    """Distinct places reached: unions, never sums."""
    kind = "v" if indicator.source == Source.VILLAGES else "p"
    kinds = set(indicator.activity_types)
    where = f" AND {{t}}.kind = '{kind}'"
    if kinds:
        where += f" AND {{t}}.type_id IN (SELECT id FROM {types} WHERE code IN ({_quoted(kinds)}))"  # noqa: S608
    relation = _union(plan, "place", "{t}.place_id, {t}.n", where)
    mapped = (
        plan.tree.counted_map(plan.boundaries)
        if kind == "p" and plan.boundaries is not None
        else {}
    )
    # Present where the facts and the ledger together still count the place.
    present = (
        f"SELECT m.target, r.idx, r.place_id FROM ({relation}) r {join} "  # noqa: S608
        "GROUP BY m.target, r.idx, r.place_id HAVING SUM(r.n) > 0"
    )
    if plan.raw_ranges or need_sets or connection.vendor != "postgresql":
        cursor.execute(f"{head} {present}")  # type: ignore[attr-defined]
        bucket = cells[indicator.code]
        for target, idx, place_id in cursor.fetchall():  # type: ignore[attr-defined]
            bucket[(target, codes[idx])].places.add(mapped.get(place_id, place_id))
        return None
    place = "p.place_id"
    extra = ""
    if mapped:
        pairs = ", ".join(f"({int(a)}, {int(b)})" for a, b in mapped.items())
        extra = f", cm(place, counted) AS (VALUES {pairs})"
        place = "COALESCE(cm.counted, p.place_id)"
    source = f"present p{' LEFT JOIN cm ON cm.place = p.place_id' if mapped else ''}"
    many_periods, many_units = len(codes) > 1, len(units) > 1
    groups = ["SELECT target, idx, COUNT(DISTINCT place) FROM f GROUP BY target, idx"]
    if many_periods:
        groups.append("SELECT target, -1, COUNT(DISTINCT place) FROM f GROUP BY target")
    if many_units:
        groups.append("SELECT -1, idx, COUNT(DISTINCT place) FROM f GROUP BY idx")
    if many_periods and many_units:
        groups.append("SELECT -1, -1, COUNT(DISTINCT place) FROM f")
    cursor.execute(  # type: ignore[attr-defined]
        f"{head}{extra}, present AS ({present}), "  # noqa: S608
        f"f AS (SELECT DISTINCT p.target, p.idx, {place} AS place FROM {source}) "
        + " UNION ALL ".join(groups)
    )
    unit_keys = list(units)
    found: dict[tuple[object, str], int] = {
        (u, p): 0 for u in [*unit_keys, TOTAL] for p in [*codes, TOTAL]
    }
    for target, idx, count in cursor.fetchall():  # type: ignore[attr-defined]
        found[(TOTAL if target == -1 else target, TOTAL if idx == -1 else codes[idx])] = int(count)
    if not many_periods:
        for u in unit_keys:
            found[(u, TOTAL)] = found[(u, codes[0])]
    if not many_units:
        for p in [*codes, TOTAL]:
            found[(TOTAL, p)] = found[(unit_keys[0], p)]
    elif not many_periods:
        found[(TOTAL, TOTAL)] = found[(TOTAL, codes[0])]
    return found
