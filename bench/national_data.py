"""The synthetic national dataset of the analytics benchmark (issue 5), for bench/national.py.

Geography, as ``geo.importers.units_load_province`` represents it: legacy provinces,
districts and communes valid "since before records began"; a few commune merges on
1-11-2024 (like NQ 1193, the merged commune's villages re-parented); on 1-7-2025 every
live legacy commune merges into (or, 2 %, splits between) communes of its 2025 province,
one ``UnitChange`` per legacy commune, villages re-parented to the default successor, the
districts abolished and the provinces that do not continue merged into the 2025 province.
The 2025 province continues the first legacy province of its group, except for a few new
ones, as in the real data. Written with ``bulk_create`` (about 160.000 rows at full scale).

Records: activities, their village links and their indicator values are generated inside
the database (``generate_series`` on PostgreSQL, a recursive CTE on SQLite), one chunk of
activities at a time: a random legacy commune slot and day in 2006–2025; the record's
place is the commune valid on that day (the legacy commune, its 2024 merger target, or
its 2025 default successor), with one or two of the slot's villages; four values each.
"""

import datetime
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

FIRST = datetime.date(2006, 1, 1)
LAST = datetime.date(2025, 12, 31)
MERGE_2024 = datetime.date(2024, 11, 1)
REFORM = datetime.date(2025, 7, 1)


@dataclass
class Shape:
    new_provinces: int
    legacy_provinces: int
    districts: int
    communes: int
    new_communes: int
    villages: int
    activities: int

    @classmethod
    def national(cls, scale: float) -> "Shape":
        return cls(
            34,
            63,
            max(63, round(705 * scale)),
            max(189, round(10_035 * scale)),
            max(34, round(3_321 * scale)),
            max(189, round(60_000 * scale)),
            max(1_000, round(10_000_000 * scale)),
        )

    @classmethod
    def province(cls, scale: float) -> "Shape":
        """One 2025 province (two legacy provinces): 1/34 of the national shape."""
        whole = cls.national(scale)
        return cls(
            1,
            2,
            max(2, whole.districts // 34),
            max(6, whole.communes // 34),
            max(2, whole.new_communes // 34),
            max(6, whole.villages // 34),
            max(100, whole.activities // 34),
        )


@dataclass
class Geo:
    new_provinces: list[int]
    legacy_provinces: list[int]
    districts: list[int]  # index → id
    communes: list[int]  # legacy, index → id
    new_communes: list[int]
    villages: int
    village_base: int  # id of village (slot c, k) = village_base + c + communes * k
    slots: list[tuple[int, int, int, int, int]]  # c, unit_old, unit_2024, unit_new, villages


def vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _names(kind: str, i: int) -> tuple[str, str, str]:
    name = f"{kind} {i + 1}"
    return name, name.lower(), f"{name.lower()}|{i:08d}"


def build_geo(shape: Shape, say: Callable[[str], None]) -> Geo:
    """Write the geography with bulk_create; return the ids the record generator needs."""
    from gandan.geo.models import AdminUnit, Kind, Level, Succession, UnitChange, UnitVersion

    next_id = {
        "unit": (AdminUnit.objects.order_by("-id").values_list("id", flat=True).first() or 0)
    }
    units: list[AdminUnit] = []
    versions: list[UnitVersion] = []
    changes: list[UnitChange] = []
    successions: list[Succession] = []

    def unit(code, level, kind, label, i, valid_from=None, valid_to=None):
        next_id["unit"] += 1
        name, search, sort = _names(label, i)
        units.append(
            AdminUnit(
                id=next_id["unit"], code=code, level=level, kind=kind, name=name,
                search_name=search, sort_key=sort, valid_from=valid_from, valid_to=valid_to,
                source="bench/national_data.py",
            )
        )  # fmt: skip
        return next_id["unit"]

    def version(unit_id, label, i, kind, parent, valid_from, valid_to):
        name, search, sort = _names(label, i)
        versions.append(
            UnitVersion(
                unit_id=unit_id, name=name, kind=kind, parent_id=parent, valid_from=valid_from,
                valid_to=valid_to, search_name=search, sort_key=sort,
            )
        )  # fmt: skip

    change_id = [UnitChange.objects.order_by("-id").values_list("id", flat=True).first() or 0]

    def change(kind, subject, on, parts):
        change_id[0] += 1
        changes.append(UnitChange(id=change_id[0], type=kind, subject_id=subject, effective_on=on))
        for successor, share, default in parts:
            successions.append(
                Succession(
                    change_id=change_id[0], predecessor_id=subject, successor_id=successor,
                    share=share, is_default=default,
                )
            )  # fmt: skip

    n_new = shape.new_provinces
    fresh = set(range(n_new - min(4, n_new // 8), n_new))  # 2025 provinces that are new units
    group = [lp if lp < n_new else (lp - n_new) % n_new for lp in range(shape.legacy_provinces)]
    legacy_p = [
        unit(f"{lp + 1:02d}", Level.PROVINCE, Kind.TINH, "Tỉnh cũ", lp, None,
             None if (lp < n_new and lp not in fresh) else REFORM)
        for lp in range(shape.legacy_provinces)
    ]  # fmt: skip
    new_p = [
        unit(f"{90 + p}", Level.PROVINCE, Kind.TINH, "Tỉnh mới", p, REFORM) if p in fresh
        else legacy_p[p]
        for p in range(n_new)
    ]  # fmt: skip
    for lp, uid in enumerate(legacy_p):
        continuing = uid in new_p
        version(uid, "Tỉnh cũ", lp, Kind.TINH, None, None, None if continuing else REFORM)
    for p in fresh:
        version(new_p[p], "Tỉnh mới", p, Kind.TINH, None, REFORM, None)
    districts = [
        unit(f"{d + 1:03d}", Level.DISTRICT, Kind.HUYEN, "Huyện", d, None, REFORM)
        for d in range(shape.districts)
    ]
    for d, uid in enumerate(districts):
        version(uid, "Huyện", d, Kind.HUYEN, legacy_p[d % shape.legacy_provinces], None, REFORM)
    n_c, n_d = shape.communes, shape.districts
    merged_2024 = {
        c: c + n_d for c in range(n_c) if c % 101 == 7 and c + n_d < n_c and (c + n_d) % 101 != 7
    }
    communes = [
        unit(f"{c + 1:05d}", Level.COMMUNE, Kind.XA, "Xã", c, None,
             MERGE_2024 if c in merged_2024 else REFORM)
        for c in range(n_c)
    ]  # fmt: skip
    for c, uid in enumerate(communes):
        version(
            uid, "Xã", c, Kind.XA, districts[c % n_d], None,
            MERGE_2024 if c in merged_2024 else REFORM,
        )  # fmt: skip
    new_c = [
        unit(f"{n + 1:05d}", Level.COMMUNE, Kind.PHUONG if n % 5 == 0 else Kind.XA, "Xã mới", n,
             REFORM)
        for n in range(shape.new_communes)
    ]  # fmt: skip
    by_province: dict[int, list[int]] = defaultdict(list)
    for n, uid in enumerate(new_c):
        version(uid, "Xã mới", n, Kind.XA, new_p[n % n_new], REFORM, None)
        by_province[n % n_new].append(uid)

    # 1-11-2024: a few communes merge into a neighbour of the same district.
    for c, target in merged_2024.items():
        change(UnitChange.Type.MERGE, communes[c], MERGE_2024, [(communes[target], 1, True)])
    # 1-7-2025: every live legacy commune merges into, or splits between, 2025 communes.
    successor: dict[int, int] = {}
    seen: dict[int, int] = defaultdict(int)
    for c in range(n_c):
        if c in merged_2024:
            continue
        province = group[(c % n_d) % shape.legacy_provinces]
        choices = by_province[province]
        j = seen[province]
        seen[province] += 1
        successor[c] = choices[j % len(choices)]
        if c % 53 == 11 and len(choices) > 1:
            other = choices[(j + 1) % len(choices)]
            change(
                UnitChange.Type.SPLIT, communes[c], REFORM,
                [(successor[c], None, True), (other, None, False)],
            )  # fmt: skip
        else:
            change(UnitChange.Type.MERGE, communes[c], REFORM, [(successor[c], 1, True)])
    for c, target in merged_2024.items():
        successor[c] = successor[target]
    for uid in districts:
        change(UnitChange.Type.ABOLISH, uid, REFORM, [])
    for lp, uid in enumerate(legacy_p):
        if uid not in new_p:
            change(UnitChange.Type.MERGE, uid, REFORM, [(new_p[group[lp]], 1, True)])

    # Villages: village v belongs to legacy commune slot v % communes; re-parented with it.
    village_base = next_id["unit"] + 1
    for v in range(shape.villages):
        c = v % n_c
        uid = unit("", Level.VILLAGE, Kind.THON if v % 3 else Kind.BUON, "Thôn", v)
        if c in merged_2024:
            version(uid, "Thôn", v, units[-1].kind, communes[c], None, MERGE_2024)
            version(uid, "Thôn", v, units[-1].kind, communes[merged_2024[c]], MERGE_2024, REFORM)
        else:
            version(uid, "Thôn", v, units[-1].kind, communes[c], None, REFORM)
        version(uid, "Thôn", v, units[-1].kind, successor[c], REFORM, None)
    say(
        f"địa giới: {vn(len(units))} đơn vị, {vn(len(versions))} giai đoạn, "
        f"{vn(len(changes))} thay đổi, {vn(len(successions))} kế thừa"
    )
    AdminUnit.objects.bulk_create(units, batch_size=5000)
    UnitVersion.objects.bulk_create(versions, batch_size=5000)
    UnitChange.objects.bulk_create(changes, batch_size=5000)
    Succession.objects.bulk_create(successions, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (AdminUnit, UnitChange):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
    per_slot = [shape.villages // n_c + (1 if c < shape.villages % n_c else 0) for c in range(n_c)]
    slots = [
        (
            c,
            communes[c],
            communes[merged_2024.get(c, c)],
            successor[c],
            per_slot[c],
        )
        for c in range(n_c)
    ]
    return Geo(new_p, legacy_p, districts, communes, new_c, shape.villages, village_base, slots)


# -- records, inside the database -----------------------------------------------------------

LOADED = ("work_activity", "work_activity_villages", "work_activityvalue")


def _drop_constraints() -> list[str]:
    """Drop the indexes and foreign keys of the record tables; return the DDL to restore."""
    restore: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u')",
            [list(LOADED)],
        )
        for table, name, definition, kind in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            suffix = " NOT VALID" if kind == "f" else ""
            restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}{suffix}')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT LIKE '%%_pkey'",
            [list(LOADED)],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(definition)
    return restore


def _random(pg: bool) -> str:
    return "random()" if pg else "((abs(random()) % 1000000) / 1000000.0)"


def _int(expr: str, pg: bool) -> str:
    return f"floor({expr})::int" if pg else f"CAST({expr} AS INTEGER)"


def build_records(
    shape: Shape, geo: Geo, say: Callable[[str], None], *, chunk: int = 500_000
) -> dict[str, float]:
    """Activities, village links and values, generated in SQL; returns timings (s)."""
    from gandan.indicators.models import Indicator, Source
    from gandan.work.models import ActivityType

    pg = connection.vendor == "postgresql"
    types = list(ActivityType.objects.order_by("id").values_list("id", flat=True))
    valued = list(
        Indicator.objects.filter(source=Source.VALUE).order_by("id").values_list("id", flat=True)
    )
    days = (LAST - FIRST).days + 1
    n_c = shape.communes
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        for table in ("bench_slot", "bench_type", "bench_valued", "bench_j"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            "CREATE TABLE bench_slot (c integer PRIMARY KEY, unit_old integer, "
            "unit_2024 integer, unit_new integer, nv integer)"
        )
        cursor.executemany("INSERT INTO bench_slot VALUES (%s, %s, %s, %s, %s)", geo.slots)
        cursor.execute("CREATE TABLE bench_type (k integer PRIMARY KEY, type_id integer)")
        cursor.executemany("INSERT INTO bench_type VALUES (%s, %s)", list(enumerate(types)))
        cursor.execute("CREATE TABLE bench_valued (k integer PRIMARY KEY, indicator_id integer)")
        cursor.executemany("INSERT INTO bench_valued VALUES (%s, %s)", list(enumerate(valued)))
        cursor.execute("CREATE TABLE bench_j (j integer PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_j VALUES (%s)", [(0,), (1,), (2,), (3,)])
        restore = _drop_constraints() if pg else []
        start_id = 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM work_activity")
        start_id = cursor.fetchone()[0] + 1
        rnd = _random(pg)
        began = time.perf_counter()
        for offset in range(0, shape.activities, chunk):
            first, last = start_id + offset, start_id + min(offset + chunk, shape.activities) - 1
            cursor.execute("DROP TABLE IF EXISTS bench_src")
            series = (
                f"generate_series({first}, {last}) AS g(i)"
                if pg
                else f"(WITH RECURSIVE g(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM g "  # noqa: S608
                f"WHERE i < {last}) SELECT i FROM g) g"
            )
            day = (
                f"(DATE '{FIRST}' + {_int(f'{rnd} * {days}', pg)})"
                if pg
                else f"date('{FIRST}', '+' || {_int(f'{rnd} * {days}', pg)} || ' days')"
            )
            # Two steps: SQLite would evaluate random() again for each use of a column.
            cursor.execute("DROP TABLE IF EXISTS bench_raw")
            cursor.execute(
                f"CREATE TEMPORARY TABLE bench_raw AS "  # noqa: S608
                f"SELECT i, {_int(f'{rnd} * {n_c}', pg)} AS c, {day} AS day, "
                f"{_int(f'{rnd} * {len(types)}', pg)} AS ty, {_int(f'{rnd} * 200', pg)} AS p, "
                f"{rnd} AS rf, {rnd} AS rm FROM {series}"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE bench_src AS SELECT i, c, day, ty, p, "  # noqa: S608
                f"CASE WHEN rf < 0.7 THEN {_int('p * rf', pg)} END AS f, "
                f"CASE WHEN rm < 0.6 THEN {_int('p * rm', pg)} END AS m FROM bench_raw"
            )
            cursor.execute("DROP TABLE bench_raw")
            now = "now()" if pg else "datetime('now')"
            cursor.execute(
                'INSERT INTO work_activity (id, type_id, status, unit_id, start, "end", '  # noqa: S608
                "partners, participants, participants_female, participants_minority, title, "
                "notes, import_key, created_by_id, created_at, updated_at) "
                f"SELECT s.i, t.type_id, 'recorded', CASE WHEN s.day >= '{REFORM}' THEN "
                f"b.unit_new WHEN s.day >= '{MERGE_2024}' THEN b.unit_2024 ELSE b.unit_old END, "
                f"s.day, s.day, '[]', s.p, s.f, s.m, '', '', '', NULL, {now}, {now} "
                "FROM bench_src s JOIN bench_slot b ON b.c = s.c JOIN bench_type t ON t.k = s.ty"
            )
            cursor.execute(
                "INSERT INTO work_activity_villages (activity_id, adminunit_id) "  # noqa: S608
                f"SELECT s.i, {geo.village_base} + s.c + {n_c} * (s.i % b.nv) FROM bench_src s "
                "JOIN bench_slot b ON b.c = s.c WHERE b.nv > 0 UNION ALL "
                f"SELECT s.i, {geo.village_base} + s.c + {n_c} * ((s.i + 1) % b.nv) "
                "FROM bench_src s JOIN bench_slot b ON b.c = s.c WHERE b.nv > 1 AND s.i % 2 = 1"
            )
            cursor.execute(
                "INSERT INTO work_activityvalue (activity_id, indicator_id, value) "  # noqa: S608
                f"SELECT s.i, v.indicator_id, ((s.i % 100003) * 7919 + j.j * 104729) % 100000 "
                f"FROM bench_src s CROSS JOIN bench_j j "
                f"JOIN bench_valued v ON v.k = (s.i + j.j * 6) % {len(valued)}"
            )
            done = min(offset + chunk, shape.activities)
            rate = done / (time.perf_counter() - began)
            say(
                f"bản ghi {vn(done)}/{vn(shape.activities)} ({vn(round(rate))}/s), "
                f"{vn(4 * done)} giá trị"
            )
        timings["records"] = time.perf_counter() - began
        cursor.execute("DROP TABLE IF EXISTS bench_src")
        if pg:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('work_activity', 'id'), "
                "(SELECT MAX(id) FROM work_activity))"
            )
            began = time.perf_counter()
            for i, statement in enumerate(restore, 1):
                say(f"khôi phục chỉ mục, ràng buộc {i}/{len(restore)}")
                cursor.execute(statement)
            timings["indexes"] = time.perf_counter() - began
        began = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - began
    return timings
