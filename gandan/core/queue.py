"""The background task queue (ADR 0009): Django's tasks API (the ``django-tasks`` backport)
with its database backend (``django-tasks-db``), on SQLite and PostgreSQL alike, run by
``gandan worker``. No extra server.

Define a task with :func:`background` in the module that owns the work, at module level
(the worker finds it again by its dotted path), and enqueue it inside the transaction that
makes it necessary, so that the task row commits (or rolls back) with the change::

    from gandan.core.queue import background

    @background(attempts=2)
    def rollup_rebuild_task() -> int:
        return rollup_rebuild()

    rollup_rebuild_task.enqueue()  # returns a TaskResult; keep its ``id`` to follow it

Arguments and return values must be JSON: pass ids, not objects.

What the library does not do, this module adds:

- **A worker that died** (a restart, a crash, ``kill -9``) leaves its task "running"
  forever. Every worker writes a sign of life (:class:`~gandan.core.models.WorkerBeat`)
  every :data:`BEAT_EVERY` seconds from a side thread; :func:`tasks_recover` finds running
  tasks whose worker is silent for :data:`BEAT_TIMEOUT` (or is the worker now starting
  under the same id) and puts them back in the queue while they have attempts left
  (``attempts``, counted by the worker ids the library records), otherwise marks them
  failed with :data:`INTERRUPTED` and sends ``task_finished``, so that the owner of the work
  (an import job, say) can record the failure for its users.
- **Periodic tasks**: ``settings.GANDAN_PERIODIC_TASKS`` lists them; the worker's side
  thread enqueues each when it is due (:func:`periodic_enqueue`). The due time is moved
  forward with a guarded UPDATE, so that with several workers exactly one enqueues it.
"""

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar, overload

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from gandan.core.models import PeriodicRun, WorkerBeat

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

BEAT_EVERY = 5.0  # seconds between two signs of life of a worker
BEAT_TIMEOUT = datetime.timedelta(seconds=60)  # silent this long: the worker died
RECOVER_EVERY = 30.0  # seconds between two looks for abandoned tasks
PROGRESS_KEPT = 6 * 3600  # seconds a task's progress stays in the cache
INTERRUPTED = (
    "Việc chạy nền bị gián đoạn (tiến trình xử lý đã dừng hoặc khởi động lại) "
    "và không được chạy lại."
)

_ATTEMPTS: dict[str, int] = {}


class TaskInterrupted(Exception):
    """Recorded on a task whose worker died and which has no attempts left."""


@overload
def background(
    *,
    attempts: int = 1,
    queue_name: str = "default",
    priority: int = 0,
    takes_context: Literal[False] = False,
) -> Callable[[Callable[P, T]], Task[P, T]]: ...


@overload
def background(
    *,
    attempts: int = 1,
    queue_name: str = "default",
    priority: int = 0,
    takes_context: Literal[True],
) -> Callable[[Callable[Concatenate[TaskContext, P], T]], Task[P, T]]: ...


def background(
    *,
    attempts: int = 1,
    queue_name: str = "default",
    priority: int = 0,
    takes_context: bool = False,
) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    """Make a function a task. ``attempts`` is how many times it may be started in all when
    its worker dies under it: more than 1 only for work that is all-or-nothing or
    idempotent (an import in one transaction, a rebuild). With ``takes_context`` the
    function gets a ``TaskContext`` first (its ``task_result.id`` is the task's id, for
    :func:`progress_report`)."""

    def wrap(function: Callable[..., Any]) -> Task[Any, Any]:
        created: Task[Any, Any] = task(
            function, queue_name=queue_name, priority=priority, takes_context=takes_context
        )
        _ATTEMPTS[created.module_path] = attempts
        return created

    return wrap


def attempts_of(task_path: str) -> int:
    if task_path not in _ATTEMPTS:
        try:
            import_string(task_path)  # registers it
        except ImportError:
            return 1
    return _ATTEMPTS.get(task_path, 1)


# Progress. ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskProgress:
    done: int
    total: int
    step: str

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _progress_key(task_id: str) -> str:
    return f"queue:progress:{task_id}"


def progress_report(task_id: str, *, done: int, total: int, step: str = "") -> None:
    """A running task says how far it is. Kept in the cache, not the database: a task inside
    a long transaction could not make it visible there (and on SQLite could not write)."""
    state = {"done": max(0, min(done, total)), "total": total, "step": step[:100]}
    cache.set(_progress_key(task_id), state, timeout=PROGRESS_KEPT)


def progress_of(task_id: str) -> TaskProgress | None:
    state = cache.get(_progress_key(task_id))
    return TaskProgress(state["done"], state["total"], state["step"]) if state else None


# Signs of life. -----------------------------------------------------------------------------------


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )


def beat_end(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Recovered:
    retried: list[str]
    failed: list[str]


def tasks_recover(
    *, starting: str | None = None, now: datetime.datetime | None = None
) -> Recovered:
    """Put back in the queue, or fail, the running tasks whose worker died. ``starting`` is
    the id of a worker that is starting: whatever still runs under its id was interrupted."""
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(seen_at__gt=now - BEAT_TIMEOUT).values_list(
            "worker_id", flat=True
        )
    )
    alive.discard(starting or "")
    retried, failed = [], []
    for row in DBTaskResult.objects.running().order_by("started_at"):
        ids = list(row.worker_ids or [])
        if ids and ids[-1] in alive:
            continue
        guard = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(ids) < attempts_of(row.task_path):
            if guard.update(status=TaskResultStatus.READY):
                logger.warning("Task %s (%s) interrupted; queued again", row.pk, row.task_path)
                retried.append(str(row.pk))
            continue
        moved = guard.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{TaskInterrupted.__module__}.{TaskInterrupted.__qualname__}",
            traceback=INTERRUPTED,
        )
        if moved:
            logger.warning("Task %s (%s) interrupted; failed", row.pk, row.task_path)
            failed.append(str(row.pk))
            row.refresh_from_db()
            try:
                result = row.task_result
            except ImportError:
                continue
            task_finished.send(sender=DatabaseBackend, task_result=result)
    return Recovered(retried, failed)


# Periodic tasks. ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Periodic:
    """A task enqueued every ``every``; with ``at``, first at that local time of day."""

    name: str
    task: str
    every: datetime.timedelta
    at: datetime.time | None = None

    def first_due(self, now: datetime.datetime) -> datetime.datetime:
        if self.at is None:
            return now
        local = timezone.localtime(now)
        due = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return due if due > local else due + datetime.timedelta(days=1)

    def due_after(self, due: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
        """The next due time after a run; runs missed while no worker ran are not made up."""
        following = due + self.every
        if following <= now:
            missed = (now - following) // self.every + 1
            following += missed * self.every
        return following


def periodic_tasks() -> list[Periodic]:
    return [Periodic(**entry) for entry in getattr(settings, "GANDAN_PERIODIC_TASKS", [])]


def periodic_enqueue(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the periodic tasks that are due; return their names."""
    now = now or timezone.now()
    enqueued = []
    for periodic in periodic_tasks():
        row, _created = PeriodicRun.objects.get_or_create(
            name=periodic.name, defaults={"next_at": periodic.first_due(now)}
        )
        if row.next_at > now:
            continue
        with transaction.atomic():
            moved = PeriodicRun.objects.filter(name=periodic.name, next_at=row.next_at).update(
                next_at=periodic.due_after(row.next_at, now), last_enqueued_at=now
            )
            if moved:
                import_string(periodic.task).enqueue()
                enqueued.append(periodic.name)
    return enqueued


# The worker's side thread. ------------------------------------------------------------------------


class Heartbeat(threading.Thread):
    """Beats, recovers abandoned tasks and enqueues periodic ones, beside the worker's main
    loop (which may be busy with one long task). On SQLite a long write elsewhere can make
    a beat wait or fail; the next one makes up for it (:data:`BEAT_TIMEOUT` is generous)."""

    def __init__(self, worker_id: str, *, every: float = BEAT_EVERY) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.every = worker_id, every
        self.stopped = threading.Event()
        self.last_recover = 0.0

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                self.tick()
        finally:
            connection.close()

    def tick(self) -> None:
        try:
            beat(self.worker_id)
            now = timezone.now().timestamp()
            if now - self.last_recover >= RECOVER_EVERY:
                self.last_recover = now
                tasks_recover()
            periodic_enqueue()
        except DatabaseError:
            logger.warning("Worker %s: database busy, will try again", self.worker_id)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.every + 25)


def worker_started(worker_id: str) -> Heartbeat:
    """Called by ``gandan worker`` before its loop: announce, recover, start beating."""
    beat(worker_id)
    recovered = tasks_recover(starting=worker_id)
    if recovered.retried or recovered.failed:
        logger.warning(
            "Worker %s: %d interrupted task(s) queued again, %d failed",
            worker_id,
            len(recovered.retried),
            len(recovered.failed),
        )
    periodic_enqueue()
    heartbeat = Heartbeat(worker_id)
    heartbeat.start()
    return heartbeat


def worker_stopped(worker_id: str, heartbeat: Heartbeat | None) -> None:
    if heartbeat is not None:
        heartbeat.stop()
    try:
        beat_end(worker_id)
    except DatabaseError:
        logger.warning("Worker %s: could not remove its sign of life", worker_id)


def task_failure_message(result: Any) -> str:
    """What a failed task's owner tells people: the interruption, or a generic failure."""
    errors = getattr(result, "errors", [])
    if errors and errors[-1].exception_class_path.endswith(TaskInterrupted.__qualname__):
        return INTERRUPTED
    return "Có lỗi khi chạy việc nền."


def task_status(task_id: str) -> str | None:
    """The status of a task stored by the database backend (READY, RUNNING, FAILED,
    SUCCESSFUL); None when it is not stored there (run immediately, or pruned)."""
    try:
        return DBTaskResult.objects.filter(pk=task_id).values_list("status", flat=True).first()
    except (ValidationError, ValueError):
        return None


def workers_alive(*, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return WorkerBeat.objects.filter(seen_at__gt=now - BEAT_TIMEOUT).exists()
