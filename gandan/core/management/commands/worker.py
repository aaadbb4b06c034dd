"""``gandan worker``: run the background tasks (``core.queue``, ADR 0009).

The database worker of ``django-tasks-db`` (its ``db_worker`` options all apply), plus a
side thread that writes the worker's sign of life, recovers tasks abandoned by a worker
that died and enqueues the periodic tasks. Ctrl+C (SIGINT) or SIGTERM lets the current
task finish; a second one stops at once, and the task is taken up again when a worker starts.
"""

import logging
import os
from types import FrameType
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from gandan.core.queue import Heartbeat, worker_started, worker_stopped

logger = logging.getLogger("gandan.core.queue")


class GandanWorker(Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """A second signal during a task stops the process at once and leaves the task
        "running": the next worker to start under this id (or any worker, once this one's
        sign of life is old) takes it up again or fails it (``core.queue.tasks_recover``),
        rather than recording the stop as the task's own failure."""
        if not self.running and self.running_task:
            logger.warning("Stopping now; the running task will be taken up again.")
            os._exit(1)
        super().shutdown(signum, frame)

    def run(self) -> None:
        heartbeat: Heartbeat | None = None
        try:
            heartbeat = worker_started(self.worker_id)
            super().run()
        finally:
            worker_stopped(self.worker_id, heartbeat)


class Command(DbWorkerCommand):
    help = "Chạy các việc nền (nhập Excel, xuất văn bản lớn, xóa dữ liệu hết hạn, việc định kỳ)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queues = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues chỉ dùng cùng --queue-name='*'.")
        worker = GandanWorker(
            queue_names=queues,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the child the reloader restarts
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
