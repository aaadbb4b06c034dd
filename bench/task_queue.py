"""Benchmark: the task queue (ADR 0009). django-tasks' database backend on SQLite and on
PostgreSQL, and procrastinate on PostgreSQL, side by side in one run.

    GANDAN_ALLOW_INSECURE_KEY=1 .venv/bin/python bench/task_queue.py --tasks 300 \\
        --postgres postgres://gandan@127.0.0.1:5432/gandan_bench \\
        --procrastinate-python /tmp/pcvenv/bin/python

Each backend gets a fresh database (the SQLite file is deleted; the PostgreSQL database's
tables are dropped and migrated again). Timed: N enqueues, each in its own transaction as a
page does it, then one worker draining the queue of no-op tasks (claim, run, record the
result): the queue's own overhead per task, which is what differs between the two libraries
(a real task, an import, takes seconds). procrastinate needs its own environment
(``python -m venv /tmp/pcvenv && /tmp/pcvenv/bin/pip install procrastinate psycopg[binary]``;
it is not a dependency of the project) and runs this same file with ``--procrastinate``.
"""

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def noop(n: int) -> int:
    return n


def django_tasks_run(url: str, count: int) -> tuple[float, float]:
    """In a child process per database: Django can be set up once per process."""
    code = f"""
import os, sys, time
sys.path.insert(0, {str(ROOT)!r})
os.environ["DATABASE_URL"] = {url!r}
os.environ["DJANGO_SETTINGS_MODULE"] = "gandan.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
call_command("migrate", verbosity=0)
from gandan.core.tests.tasks import patient_task
from gandan.tests.queue import worker
from django_tasks_db.utils import exclusive_transaction
start = time.perf_counter()
for _ in range({count}):
    with transaction.atomic():
        patient_task.enqueue()
enqueued = time.perf_counter() - start
runner = worker("bench")
start = time.perf_counter()
while True:
    with exclusive_transaction():
        row = DBTaskResult.objects.ready().get_locked()
        if row is not None:
            row.claim("bench")
    if row is None:
        break
    runner.run_task(row)
ran = time.perf_counter() - start
if DBTaskResult.objects.filter(status="SUCCESSFUL").count() != {count}:
    sys.exit("a task did not run")
print(enqueued, ran)
"""
    out = subprocess.run(  # noqa: S603 - this interpreter, this file's own code
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def procrastinate_run(url: str, count: int) -> tuple[float, float]:
    import procrastinate  # the separate environment's
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=url))
    task = app.task(name="noop")(noop)
    with app.open():
        app.schema_manager.apply_schema()
        start = time.perf_counter()
        for n in range(count):
            task.defer(n=n)
        enqueued = time.perf_counter() - start
    worker_app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
    worker_app.task(name="noop")(noop)
    with worker_app.open():
        start = time.perf_counter()
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
        ran = time.perf_counter() - start
    with psycopg.connect(url) as conn:
        done = conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'")
        if done.fetchone() != (count,):
            sys.exit("procrastinate did not run every task")
    return enqueued, ran


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--postgres", required=True, help="a database this bench may wipe")
    parser.add_argument("--procrastinate-python", help="python of an env with procrastinate")
    parser.add_argument("--procrastinate", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.procrastinate:
        print(*procrastinate_run(options.postgres, options.tasks))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite:///{tmp}/queue.sqlite3"
        rows.append(("django-tasks-db, SQLite", *django_tasks_run(sqlite, options.tasks)))
    rows.append(("django-tasks-db, PostgreSQL", *django_tasks_run(options.postgres, options.tasks)))
    if options.procrastinate_python:
        command = [options.procrastinate_python, __file__, "--procrastinate"]
        command += ["--postgres", options.postgres, "--tasks", str(options.tasks)]
        run = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
        out = run.stdout.split()
        rows.append(("procrastinate, PostgreSQL", float(out[-2]), float(out[-1])))
    machine = platform.processor() or platform.machine()
    print(f"{options.tasks} no-op tasks, {machine}, Python {platform.python_version()}")
    print(f"{'backend':30} {'enqueue ms/task':>16} {'run ms/task':>12}")
    for name, enqueued, ran in rows:
        print(
            f"{name:30} {1000 * enqueued / options.tasks:16.2f} {1000 * ran / options.tasks:12.2f}"
        )


if __name__ == "__main__":
    main()
