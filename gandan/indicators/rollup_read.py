"""Reading whole calendar years from the analytics rollup (ADR 0006).

:func:`rollup_plan` decides what the rollup can answer (whole years, for the units of the
boundary "cover") and what is left for the records; :func:`read_rollup` adds the rollup's
sums and distinct counts to the engine's cells.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from gandan.core.periods import Period
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import default_successor_on
from gandan.indicators.figures import TOTAL, Cell, Mapper, PivotResult
from gandan.indicators.models import (
    Indicator,
    RollupActivity,
    RollupPlace,
    RollupValue,
    Source,
)
from gandan.indicators.rollup import rollup_state
from gandan.indicators.tree import Tree, tree
from gandan.work.models import ActivityType

# -- the rollup (ADR 0006): whole calendar years from the rollup tables ------------------------


@dataclass
class RollupPlan:
    tree: Tree
    boundaries: datetime.date | None
    cover: list[tuple[int, bool, int]]  # (rollup unit, own rows only, target)
    years: dict[int, str]  # a whole calendar year → the period that holds it
    raw_ranges: list[tuple[datetime.date, datetime.date]]  # the rest, read from the records
    places: set[int] | None  # the units whose records may count (None: too many to list)


def rollup_plan(
    indicators: list[Indicator],
    units: Sequence[AdminUnit],
    periods: Sequence[Period],
    boundaries: datetime.date | None,
) -> RollupPlan | None:
    """Whole calendar years come from the rollup; None when it cannot answer (not complete
    for the current tree, no whole year, or a value indicator limited to activity types)."""
    if any(i.source == Source.VALUE and i.activity_types for i in indicators):
        return None
    years: dict[int, str] = {}
    raw: list[tuple[datetime.date, datetime.date]] = []
    for period in periods:
        first = period.start.year + (period.start != datetime.date(period.start.year, 1, 1))
        last = period.end.year - (period.end != datetime.date(period.end.year, 12, 31))
        if first > last:
            raw.append((period.start, period.end))
            continue
        years.update(dict.fromkeys(range(first, last + 1), period.code))
        if period.start.year < first:
            raw.append((period.start, datetime.date(first - 1, 12, 31)))
        if period.end.year > last:
            raw.append((datetime.date(last + 1, 1, 1), period.end))
    fingerprint = rollup_state()
    if fingerprint is None:
        return None
    merged: list[tuple[datetime.date, datetime.date]] = []
    for first_day, last_day in sorted(raw):
        if merged and merged[-1][1] + datetime.timedelta(days=1) >= first_day:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last_day))
        else:
            merged.append((first_day, last_day))
    raw = merged
    index = tree(fingerprint)
    targets = [u.pk for u in units]
    places = None
    if raw:
        found = index.places_under(targets, boundaries)
        places = found if len(found) <= 5000 else None

    def owners(above: set[int], aside: set[int]) -> tuple[set[int], set[int]]:
        """Units with records of their own, and units with any records, in the years."""
        found: list[set[int]] = []
        for units_asked, own in ((above, " AND own"), (aside, "")):
            if not years or not units_asked:
                found.append(set())
                continue
            ids = ", ".join(str(int(u)) for u in sorted(units_asked))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT unit_id FROM {RollupActivity._meta.db_table} "  # noqa: S608
                    f"WHERE unit_id IN ({ids}){own} AND year BETWEEN {min(years)} AND {max(years)}"
                )
                found.append({row[0] for row in cursor.fetchall()})
        return found[0], found[1]

    cover = index.cover(targets, boundaries, owners)
    return RollupPlan(index, boundaries, cover, years, raw, places)


def _number(value: object) -> Decimal:
    if isinstance(value, float):  # SQLite sums decimals as floats
        return Decimal(repr(value)).quantize(Decimal("0.001"))
    return Decimal(str(value)) if value is not None else Decimal(0)


def read_rollup(
    indicators: list[Indicator],
    cells: dict[str, dict[tuple[int, str], Cell]],
    plan: RollupPlan,
    result: PivotResult,
) -> dict[str, dict[tuple[object, str], int]]:
    """Add the whole years from the rollup to the cells. Distinct counts over whole years
    come back as numbers per cell and total (unions counted in SQL); when part of the
    question is read from the records, the places themselves are added to the cells."""
    if not plan.cover or not plan.years:
        return {}
    codes = list(dict.fromkeys(plan.years.values()))
    position = {code: i for i, code in enumerate(codes)}
    cover = ", ".join(f"({int(u)}, {int(own)}, {int(t)})" for u, own, t in plan.cover)
    years = ", ".join(f"({int(y)}, {position[c]})" for y, c in sorted(plan.years.items()))
    unit_ids = ", ".join(str(int(u)) for u in sorted({u for u, _own, _t in plan.cover}))
    head = (
        f"WITH m(unit_id, own_only, target) AS (VALUES {cover}), y(year, idx) AS (VALUES {years})"
    )
    join = (
        "JOIN m ON r.unit_id = m.unit_id JOIN y ON r.year = y.year "
        f"WHERE (m.own_only = 0 OR r.own) AND r.unit_id IN ({unit_ids}) "
        f"AND r.year BETWEEN {min(plan.years)} AND {max(plan.years)}"
    )
    type_codes = dict(ActivityType.objects.values_list("id", "code"))
    activity_based = [i for i in indicators if i.source != Source.VALUE]
    only_types = ""  # when every indicator is limited to some activity types, only those
    if activity_based and all(i.activity_types for i in activity_based):
        wanted = {code for i in activity_based for code in i.activity_types}
        kept = [str(int(pk)) for pk, code in type_codes.items() if code in wanted]
        only_types = f" AND r.type_id IN ({', '.join(kept) or 'NULL'})"
    with connection.cursor() as cursor:
        if activity_based:
            cursor.execute(
                f"{head} SELECT m.target, y.idx, r.type_id, SUM(r.n), SUM(r.participants), "  # noqa: S608
                "SUM(r.female), SUM(r.female_n), SUM(r.minority), SUM(r.minority_n) "
                f"FROM {RollupActivity._meta.db_table} r {join}{only_types} "
                "GROUP BY m.target, y.idx, r.type_id"
            )
            rows = cursor.fetchall()
            for indicator in activity_based:
                kinds = set(indicator.activity_types)
                bucket = cells[indicator.code]
                for target, idx, type_id, n, people, female, female_n, minority, minority_n in rows:
                    if kinds and type_codes.get(type_id) not in kinds:
                        continue
                    cell = bucket[(target, codes[idx])]
                    if indicator.source == Source.ACTIVITIES:
                        cell.total += _number(n)
                    elif indicator.source == Source.PARTICIPANTS:
                        cell.total += _number(people)
                        if female_n:
                            cell.breakdown["female"] += _number(female)
                        if minority_n:
                            cell.breakdown["minority"] += _number(minority)
                    cell.records = True
        valued = {i.pk: i for i in indicators if i.source == Source.VALUE}
        if valued:
            ids = ", ".join(str(int(pk)) for pk in sorted(valued))
            cursor.execute(
                f"{head} SELECT m.target, y.idx, r.indicator_id, SUM(r.total), SUM(r.n) "  # noqa: S608
                f"FROM {RollupValue._meta.db_table} r {join} AND r.indicator_id IN ({ids}) "
                "GROUP BY m.target, y.idx, r.indicator_id"
            )
            for target, idx, indicator_id, total, n in cursor.fetchall():
                if n:
                    cell = cells[valued[indicator_id].code][(target, codes[idx])]
                    cell.total += _number(total)
                    cell.records = True
        counts: dict[str, dict[tuple[object, str], int]] = {}
        for indicator in indicators:
            if indicator.source not in {Source.VILLAGES, Source.COMMUNES}:
                continue
            kind = "v" if indicator.source == Source.VILLAGES else "p"
            kinds = set(indicator.activity_types)
            type_ids = [pk for pk, code in type_codes.items() if code in kinds]
            where = f"{join} AND r.kind = '{kind}'"
            if kinds:
                where += f" AND r.type_id IN ({', '.join(str(int(t)) for t in type_ids) or 'NULL'})"
            counted = ""
            place = "r.place_id"
            mapped = (
                plan.tree.counted_map(plan.boundaries)
                if kind == "p" and plan.boundaries is not None
                else {}
            )
            # Sets in Python where part of the question comes from the records, and on
            # SQLite, whose DISTINCT over a CTE is slower than Python's set unions.
            if plan.raw_ranges or connection.vendor != "postgresql":
                cursor.execute(
                    f"{head} SELECT m.target, y.idx, r.place_id "  # noqa: S608
                    f"FROM {RollupPlace._meta.db_table} r {where}"
                )
                bucket = cells[indicator.code]
                for target, idx, place_id in cursor.fetchall():
                    bucket[(target, codes[idx])].places.add(mapped.get(place_id, place_id))
                continue
            if mapped:
                pairs = ", ".join(f"({int(a)}, {int(b)})" for a, b in mapped.items())
                counted = f", cm(place, counted) AS (VALUES {pairs})"
                place = "COALESCE(cm.counted, r.place_id)"
                where = where.replace("WHERE", "LEFT JOIN cm ON cm.place = r.place_id WHERE", 1)
            # Unions per cell, per unit, per period and overall; with one period (or one
            # unit) the totals over periods (units) are the cells themselves.
            many_periods, many_units = len(result.periods) > 1, len(result.units) > 1
            groups = ["SELECT target, idx, COUNT(*) FROM f GROUP BY target, idx"]
            if many_periods:
                groups.append("SELECT target, -1, COUNT(DISTINCT place) FROM f GROUP BY target")
            if many_units:
                groups.append("SELECT -1, idx, COUNT(DISTINCT place) FROM f GROUP BY idx")
            if many_periods and many_units:
                groups.append("SELECT -1, -1, COUNT(DISTINCT place) FROM f")
            cursor.execute(
                f"{head}{counted}, f AS (SELECT DISTINCT m.target, y.idx, {place} AS place "  # noqa: S608
                f"FROM {RollupPlace._meta.db_table} r {where}) " + " UNION ALL ".join(groups)
            )
            units_keys = [unit.pk for unit in result.units]
            period_keys = [period.code for period in result.periods]
            found: dict[tuple[object, str], int] = {
                (u, p): 0 for u in [*units_keys, TOTAL] for p in [*period_keys, TOTAL]
            }
            for target, idx, count in cursor.fetchall():
                found[(TOTAL if target == -1 else target, TOTAL if idx == -1 else codes[idx])] = (
                    int(count)
                )
            if not many_periods:
                for u in units_keys:
                    found[(u, TOTAL)] = found[(u, period_keys[0])]
            if not many_units:
                for p in [*period_keys, TOTAL]:
                    found[(TOTAL, p)] = found[(units_keys[0], p)]
            elif not many_periods:
                found[(TOTAL, TOTAL)] = found[(TOTAL, period_keys[0])]
            counts[indicator.code] = found
    return counts


def commune_as_counted(mapper: Mapper, unit_id: int) -> int:
    """The commune a record counts as reaching: as recorded, or its successor on the date."""
    if mapper.boundaries is None:
        return unit_id
    if mapper.tree is not None and unit_id in mapper.tree.spans:
        return mapper.tree.counted_as(unit_id, mapper.boundaries)
    if unit_id not in mapper.counted:
        place = mapper.checker.unit(unit_id)
        successor = (
            None
            if place.is_valid_on(mapper.boundaries)
            else default_successor_on(place, mapper.boundaries)
        )
        mapper.counted[unit_id] = successor.pk if successor is not None else unit_id
    return mapper.counted[unit_id]
