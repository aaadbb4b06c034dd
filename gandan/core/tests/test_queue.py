"""The task queue (ADR 0009): tasks stored in the database and run by a worker, progress,
abandoned tasks recovered after a restart, periodic tasks enqueued once when due."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gandan.core import queue
from gandan.core.models import PeriodicRun, WorkerBeat
from gandan.core.tests.tasks import counting_task, failing_task, patient_task
from gandan.tests.queue import run_tasks

pytestmark = pytest.mark.django_db


def _status(result):
    return DBTaskResult.objects.get(pk=result.id).status


def test_an_enqueued_task_waits_for_a_worker_and_reports_its_progress():
    # given a task in the queue
    result = counting_task.enqueue(4)
    assert _status(result) == "READY"

    # when a worker runs it
    assert run_tasks() == 1

    # then it succeeded, and what it read of its own progress while running went up
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == [25, 50, 75, 100]
    assert queue.progress_of(str(result.id)) == queue.TaskProgress(4, 4, "Bước 4")
    assert row.worker_ids == ["test-worker"]


def test_a_failing_task_is_failed_with_its_traceback():
    result = failing_task.enqueue()

    run_tasks()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert "ValueError: hỏng" in row.traceback


def _abandoned(task, worker_ids):
    """A task a worker claimed and then died under (as a restart leaves it)."""
    result = task.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    for worker_id in worker_ids:
        row.claim(worker_id)
    return row


def test_a_task_whose_worker_died_runs_again_while_it_has_attempts():
    row = _abandoned(patient_task, ["dead-1"])

    ran = run_tasks("fresh")

    row.refresh_from_db()
    assert (ran, row.status, row.return_value) == (1, "SUCCESSFUL", "xong")
    assert row.worker_ids == ["dead-1", "fresh"]


def test_a_task_whose_worker_died_with_no_attempts_left_is_failed_with_a_clear_message():
    row = _abandoned(failing_task, ["dead-1"])
    finished = []
    from django_tasks.signals import task_finished

    def listen(sender, task_result, **kwargs):
        finished.append(task_result)

    task_finished.connect(listen)
    try:
        ran = run_tasks("fresh")
    finally:
        task_finished.disconnect(listen)

    row.refresh_from_db()
    assert (ran, row.status) == (0, "FAILED")
    assert row.traceback == queue.INTERRUPTED
    assert [r.id for r in finished] == [str(row.pk)]
    assert queue.task_failure_message(finished[0]) == queue.INTERRUPTED


def test_a_task_of_a_live_worker_is_left_alone_and_a_silent_one_is_recovered():
    row = _abandoned(patient_task, ["busy"])
    queue.beat("busy")

    assert queue.tasks_recover() == queue.Recovered([], [])
    later = timezone.now() + queue.BEAT_TIMEOUT + datetime.timedelta(seconds=1)
    assert queue.tasks_recover(now=later) == queue.Recovered([str(row.pk)], [])
    row.refresh_from_db()
    assert row.status == "READY"


def test_a_worker_restarting_under_its_own_id_takes_back_what_it_was_running():
    row = _abandoned(patient_task, ["make-run"])
    queue.beat("make-run")  # the sign of life of the process that was killed

    assert queue.tasks_recover(starting="make-run") == queue.Recovered([str(row.pk)], [])


def test_a_stopped_worker_removes_its_sign_of_life():
    heartbeat = queue.worker_started("w1")
    assert WorkerBeat.objects.filter(worker_id="w1").exists()
    assert queue.workers_alive()

    queue.worker_stopped("w1", None)  # (the thread is not started in this test's process)
    heartbeat.stopped.set()

    assert not WorkerBeat.objects.filter(worker_id="w1").exists()
    assert not queue.workers_alive()


def test_task_status_of_unknown_or_foreign_ids_is_none():
    assert queue.task_status("not-a-uuid") is None
    assert queue.task_status("00000000-0000-0000-0000-000000000000") is None


# Periodic tasks. ----------------------------------------------------------------------------------


def _local(*args):
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


def test_the_daily_erasure_is_enqueued_once_at_half_past_two(settings):
    erase = "gandan.cases.tasks.contacts_erase_task"
    settings.GANDAN_PERIODIC_TASKS = [
        p for p in settings.GANDAN_PERIODIC_TASKS if p["task"] == erase
    ]
    tasks = DBTaskResult.objects.filter(task_path=erase)

    # a worker starting in the afternoon schedules it for the night
    assert queue.periodic_enqueue(now=_local(2026, 3, 2, 15, 0)) == []
    assert timezone.localtime(PeriodicRun.objects.get().next_at) == _local(2026, 3, 3, 2, 30)
    # at 2:30 one worker enqueues it; a second worker looking at the same moment does not
    assert queue.periodic_enqueue(now=_local(2026, 3, 3, 2, 30)) == ["cases.erase_contacts"]
    assert queue.periodic_enqueue(now=_local(2026, 3, 3, 2, 30)) == []
    assert tasks.count() == 1
    # after three days without a worker it runs once, not three times
    assert queue.periodic_enqueue(now=_local(2026, 3, 6, 9, 0)) == ["cases.erase_contacts"]
    assert timezone.localtime(PeriodicRun.objects.get().next_at) == _local(2026, 3, 7, 2, 30)
    assert tasks.count() == 2
