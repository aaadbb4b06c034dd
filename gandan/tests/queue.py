"""Run the queue's tasks in tests: :func:`run_tasks` inside a test's transaction, as
``gandan worker`` does but without its loop (which closes the connection between tasks, and
with it the test's transaction); :func:`worker_thread` for transactional (browser) tests, the
real loop in a thread."""

import contextlib
import threading
from collections.abc import Iterator

from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from gandan.core.management.commands.worker import GandanWorker
from gandan.core.queue import beat, tasks_recover


def worker(worker_id: str = "test-worker") -> GandanWorker:
    return GandanWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_tasks(worker_id: str = "test-worker", *, limit: int = 100) -> int:
    """Start a worker (sign of life, recovery of abandoned tasks), then claim and run the
    ready tasks one by one until none is left. Returns how many ran."""
    runner = worker(worker_id)
    beat(worker_id)
    tasks_recover(starting=worker_id)
    ran = 0
    while ran < limit:
        with transaction.atomic():
            row = DBTaskResult.objects.ready().get_locked()
            if row is not None:
                row.claim(worker_id)
        if row is None:
            break
        runner.run_task(row)
        ran += 1
    return ran


@contextlib.contextmanager
def worker_thread(worker_id: str = "browser-worker") -> Iterator[GandanWorker]:
    """A worker polling every 0,1 s in a thread, for tests whose writes commit (browser
    tests). It takes the write lock only when a task is ready: the test database is
    SQLite in shared memory, where a writer makes concurrent page reads fail at once
    (a file database in WAL mode, as in production, lets them read)."""
    runner = worker(worker_id)
    stop = threading.Event()

    def loop() -> None:
        try:
            beat(worker_id)
            while not stop.wait(0.1):
                if DBTaskResult.objects.ready().exists():
                    run_tasks(worker_id, limit=1)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name=worker_id, daemon=True)
    thread.start()
    try:
        yield runner
    finally:
        stop.set()
        thread.join(timeout=30)
