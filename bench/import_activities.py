"""Benchmark: import N activity rows from Excel into a fresh SQLite or PostgreSQL database.

    GANDAN_ALLOW_INSECURE_KEY=1 DATABASE_URL=sqlite:///var/bench/import.sqlite3 \\
        .venv/bin/python bench/import_activities.py --rows 100000 [--ledger on|off|both]
    GANDAN_ALLOW_INSECURE_KEY=1 DATABASE_URL=postgres://gandan@127.0.0.1:5432/gandan_import_bench \\
        .venv/bin/python bench/import_activities.py --rows 100000 [--ledger on|off|both]

On PostgreSQL the database is dropped and created again, so its name must hold "bench".

Set-up (not timed): the database file is deleted and migrated, the real units of Đắk Lắk
are loaded, three villages are created in every legacy commune of Đắk Lắk that exists
through 2010–2024, and a workbook of N valid rows is written in the import layout (half
the rows with a "Mã dòng", half identified by content; 1–3 villages, participants, money,
land, labour-days, compost, teams, movements, partners). Timed: ``work_import`` as the
command line runs it: reading the workbook, checking every row, writing in one
transaction, with the analytics ledger on (ADR 0008; ``--ledger off`` suspends it, ``both``
imports into two fresh databases, off then on, for the ratio). The split comes from the
progress callback's stages. ``--profile`` prints
the 25 most expensive functions (cProfile).
"""

import argparse
import cProfile
import datetime
import os
import platform
import pstats
import random
import re
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
FIRST, LAST = datetime.date(2010, 1, 1), datetime.date(2024, 12, 31)
VILLAGE_NAMES = ["Buôn Akŏ Dhŏng", "Thôn Hòa Bình", "Buôn Ea Kmăt"]


def database_path() -> Path | None:
    """The SQLite file to start afresh, or None for a PostgreSQL database named *bench*."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and "bench" in url.rsplit("/", 1)[-1]:
        return None
    if not url.startswith("sqlite:///"):
        sys.exit(
            "Đặt DATABASE_URL=sqlite:///var/bench/import.sqlite3 hoặc "
            "postgres://…/gandan_import_bench (cơ sở dữ liệu sẽ bị xoá và tạo lại)."
        )
    path = Path(url.removeprefix("sqlite:///"))
    return path if path.is_absolute() else ROOT / path


def set_up() -> list[tuple[str, list[str]]]:
    """A fresh database with the real units and villages; (commune code, village names)."""
    from django.core.management import call_command
    from django.db.models import F

    from gandan.geo.importers import units_load_province
    from gandan.geo.models import AdminUnit, Kind, Level
    from gandan.geo.selectors import ancestors_on
    from gandan.geo.services import village_create
    from gandan.org.services import team_create

    call_command("migrate", verbosity=0)
    units_load_province(province_code="66")
    dak_lak = set(
        AdminUnit.objects.filter(code="66", level=Level.PROVINCE).values_list("pk", flat=True)
    )
    communes = []
    for commune in AdminUnit.objects.filter(level=Level.COMMUNE).order_by("code"):
        lasting = (commune.valid_from is None or commune.valid_from <= FIRST) and (
            commune.valid_to is None or commune.valid_to > LAST
        )
        chain = ancestors_on(commune, FIRST) if lasting else []
        if chain and chain[-1].unit_id in dak_lak:
            for name in VILLAGE_NAMES:
                kind = Kind.BUON if name.startswith("Buôn") else Kind.THON
                village_create(actor=None, commune=commune, name=name, kind=kind, valid_from=FIRST)
            communes.append((commune.code, VILLAGE_NAMES))
    for index, (code, _names) in enumerate(communes[:20]):
        unit = (
            AdminUnit.objects.filter(code=code, level=Level.COMMUNE)
            .order_by(F("valid_from").asc(nulls_first=True))
            .first()
        )
        team_create(
            actor=None, name=f"Đội công tác số {index + 1}", unit=unit, established_on=FIRST
        )
    return communes


def workbook(rows: int, communes: list[tuple[str, list[str]]]) -> bytes:
    from gandan.core.dates import vn_date
    from gandan.work.excel_sheet import Catalogue, partner_labels, write_workbook

    catalogue = Catalogue.load()
    columns = catalogue.activity_columns()
    types = [t.name for t in catalogue.types]
    movements = [m.name for m in catalogue.movements]
    partners = [label for _key, label in partner_labels()]
    pick = random.Random(20040705)
    span = (LAST - FIRST).days

    def row(number: int) -> list[object]:
        code, names = pick.choice(communes)
        start = FIRST + datetime.timedelta(days=pick.randrange(span))
        people = pick.randrange(20, 500)
        cells: dict[str, object] = {
            "Mã dòng": f"B-{number:06d}" if number % 2 else None,
            "Loại hoạt động": pick.choice(types),
            "Mã xã": code,
            "Thôn, buôn": "; ".join(pick.sample(names, pick.randint(1, len(names)))),
            "Từ ngày": vn_date(start),
            "Đến ngày": vn_date(start + datetime.timedelta(days=pick.randrange(3))),
            "Đội": f"Đội công tác số {communes.index((code, names)) + 1}"
            if communes.index((code, names)) < 20 and pick.random() < 0.5
            else None,
            "Phong trào": pick.choice(movements) if pick.random() < 0.2 else None,
            "Phối hợp": "; ".join(pick.sample(partners, 2)) if pick.random() < 0.4 else None,
            "Lượt người": people,
            "trong đó nữ": pick.randrange(people + 1),
            "trong đó DTTS": pick.randrange(people + 1),
            "Tiền nhân dân đóng góp xây dựng nông thôn mới (đồng)": pick.randrange(10**5, 10**9)
            if pick.random() < 0.5
            else None,
            "Đất hiến (m²)": pick.randrange(10, 5000) if pick.random() < 0.3 else None,
            "Ngày công lao động (ngày công)": pick.randrange(5, 900)
            if pick.random() < 0.3
            else None,
            "Phân vi sinh (tấn)": round(pick.uniform(0.1, 20), 1) if pick.random() < 0.1 else None,
            "Nội dung": f"Hoạt động số {number}",
        }
        # Indicator columns carry their code in brackets ("… (đồng) [money_vnd]").
        return [cells.get(re.sub(r"\s*\[[^\]]+\]$", "", column)) for column in columns]

    return write_workbook(catalogue, (row(n) for n in range(1, rows + 1)), [])


def fresh_database(path: Path | None) -> None:
    from django.db import connections

    connections.close_all()
    if path is None:  # PostgreSQL: drop and create it from the maintenance database
        import psycopg

        name = connections["default"].settings_dict["NAME"]
        params = {k: v for k, v in connections["default"].get_connection_params().items()
                  if k in ("host", "port", "user", "password")}  # fmt: skip
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{name}"')
        return
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def run_import(data: bytes, rows: int, *, ledger: bool, profile: bool) -> float:
    """One timed import into the database as it is; returns the wall time."""
    from contextlib import nullcontext

    from gandan.core.numbers import format_number
    from gandan.work.excel import work_import
    from gandan.work.ledger import suspended
    from gandan.work.models import Activity, ActivityValue, LedgerActivity

    stages: dict[str, tuple[float, float]] = {}  # first report of a stage: (wall, CPU)

    def progress(_percent: int, message: str) -> None:
        stages.setdefault(message, (time.perf_counter(), time.process_time()))

    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    with nullcontext() if ledger else suspended():
        result = work_import(actor=None, data=data, progress=progress)
    if profiler:
        profiler.disable()
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    if not result.ok:
        sys.exit("\n".join(result.report()[:20]))
    assert Activity.objects.count() == rows  # noqa: S101 - a benchmark's sanity check

    names = ("Kiểm tra từng dòng", "Kiểm tra quy tắc", "Ghi")
    marks = [(start, cpu), *(stages.get(m, (start, cpu)) for m in names), (start + total, cpu + total_cpu)]  # fmt: skip
    load = os.getloadavg()[0]
    print(f"Sổ ghi phân tích (ADR 0008): {'BẬT' if ledger else 'TẮT'} ({LedgerActivity.objects.count()} dòng sổ ghi hoạt động chưa gộp sau khi nhập)")  # fmt: skip
    print(f"Máy: {os.cpu_count()} lõi (dùng chung; tải trung bình 1 phút lúc kết thúc {load:.1f}), "
          f"{platform.machine()}, Python {platform.python_version()}, {database_version()}")  # fmt: skip
    n = format_number
    print(f"Nhập {n(rows)} dòng trong {n(total, 1)} s: {n(round(rows / total))} dòng/giây "
          f"(CPU của tiến trình {n(total_cpu, 1)} s; {n(ActivityValue.objects.count())} giá trị chỉ tiêu).")  # fmt: skip
    labels = ("đọc tệp Excel", "đọc, tra mã và tên từng dòng", "kiểm tra quy tắc (Checker)", "ghi và commit")  # fmt: skip
    print(f"  {'giai đoạn':32s} {'thời gian':>9s} {'CPU':>7s}")
    for label, (wall0, cpu0), (wall1, cpu1) in zip(labels, marks, marks[1:], strict=False):
        print(
            f"  {label:32s} {n(wall1 - wall0, 1):>7s} s {n(cpu1 - cpu0, 1):>5s} s  {100 * (wall1 - wall0) / total:3.0f}%"
        )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the import")
    parser.add_argument(
        "--ledger", choices=["on", "off", "both"], default="on",
        help="the analytics ledger during the import; both: off, then on, each on a fresh database",
    )  # fmt: skip
    options = parser.parse_args()

    path = database_path()
    saved = ROOT / "var" / "bench"
    saved.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from gandan.core.numbers import format_number

    modes = {"on": [True], "off": [False], "both": [False, True]}[options.ledger]
    data = b""
    totals: dict[bool, float] = {}
    for ledger in modes:
        fresh_database(path)
        began = time.perf_counter()
        communes = set_up()
        if not data:
            data = workbook(options.rows, communes)
            (saved / f"activities-{options.rows}.xlsx").write_bytes(data)
        print(f"Chuẩn bị: {len(communes)} xã, {3 * len(communes)} thôn, buôn; tệp {format_number(len(data) / 2**20, 1)} MB "
              f"({time.perf_counter() - began:.0f} s, không tính vào kết quả).")  # fmt: skip
        totals[ledger] = run_import(data, options.rows, ledger=ledger, profile=options.profile)
    if len(totals) == 2:
        print(f"Sổ ghi bật / tắt: {totals[True] / totals[False]:.2f}×")
    worst = max(totals.values()) * 100_000 / options.rows
    print(
        f"Quy ra 100.000 dòng: {format_number(worst, 1)} s (mục tiêu issue 11: dưới 30 s với sổ ghi bật)."
    )


if __name__ == "__main__":
    main()
