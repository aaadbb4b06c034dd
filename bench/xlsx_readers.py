"""Benchmark: reading the 100.000-row import workbook, the hand-written expat reader (kept
as bench/xlsx_reader_expat.py) against python-calamine (Rust) raw and as the project's
``core.xlsx_reader`` uses it, side by side in one run (ADR 0019).

    GANDAN_ALLOW_INSECURE_KEY=1 DATABASE_URL=sqlite:///var/bench/import.sqlite3 \\
        .venv/bin/python bench/xlsx_readers.py --rows 100000 --repeat 3

The workbook is the one ``bench/import_activities.py`` imports (made here the same way when
``var/bench/activities-N.xlsx`` is missing: that needs the database set-up, not timed).
Timed, alternately, ``--repeat`` times each: every row of the activity sheet as Python
values, from the bytes in memory, as the importer gets them (calamine's cells converted
the way the importer would need them: numbers to int or an exact Decimal). Both readers'
values are compared cell by cell first.
"""

import argparse
import datetime
import io
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
SHEET = "Hoạt động"


def expat_rows(data: bytes) -> list[dict[int, object]]:
    from xlsx_reader_expat import XlsxReader  # the reader calamine replaced, kept in bench/

    return [cells for _line, cells in XlsxReader(data).rows(SHEET)]


def project_rows(data: bytes) -> list[dict[int, object]]:
    from gandan.core.xlsx_reader import XlsxReader  # python-calamine since issue 12

    return [cells for _line, cells in XlsxReader(data).rows(SHEET)]


def _value(value: object) -> object:
    if isinstance(value, float):  # calamine gives every number as a float
        return int(value) if value.is_integer() else Decimal(repr(value))
    if value == "":
        return None
    return value


def calamine_rows(data: bytes) -> list[dict[int, object]]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(SHEET)
    rows = []
    for row in sheet.iter_rows():
        cells = {i: v for i, raw in enumerate(row) if (v := _value(raw)) is not None}
        if cells:
            rows.append(cells)
    return rows


def workbook(rows: int) -> bytes:
    path = ROOT / "var" / "bench" / f"activities-{rows}.xlsx"
    if not path.exists():
        import django
        import import_activities

        db = import_activities.database_path()
        db.parent.mkdir(parents=True, exist_ok=True)
        for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        django.setup()
        path.write_bytes(import_activities.workbook(rows, import_activities.set_up()))
    return path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    data = workbook(options.rows)

    ours, theirs = expat_rows(data), calamine_rows(data)
    if len(ours) != len(theirs):
        sys.exit(f"row counts differ: {len(ours)} against {len(theirs)}")
    differ = sum(1 for a, b in zip(ours, theirs, strict=True) if _normal(a) != _normal(b))
    readers = {
        "expat (the old reader)": expat_rows,
        "python-calamine": calamine_rows,
        "core.xlsx_reader (calamine)": project_rows,
    }
    times: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(options.repeat):
        for name, read in readers.items():
            start = time.perf_counter()
            read(data)
            times[name].append(time.perf_counter() - start)
    load = os.getloadavg()[0]
    print(
        f"{options.rows} rows, {len(data) / 2**20:.1f} MB, {os.cpu_count()} cores (load {load:.1f}), "
        f"{platform.machine()}, Python {platform.python_version()}; rows that differ: {differ}"
    )
    base = statistics.median(times["expat (the old reader)"])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:26s} median {median:6.2f} s  best {min(values):6.2f} s  {median / base:4.2f}×"
        )


def _normal(cells: dict[int, object]) -> dict[int, object]:
    """Dates compare as dates (calamine gives a date where a cell holds no time)."""
    return {
        i: v.date() if isinstance(v, datetime.datetime) and v.time() == datetime.time() else v
        for i, v in cells.items()
    }


if __name__ == "__main__":
    main()
