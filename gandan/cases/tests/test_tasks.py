"""The cases' tasks run on the queue (core.queue, ADR 0009)."""

import pytest
from django_tasks_db.models import DBTaskResult

from gandan.cases.tasks import contacts_erase_task
from gandan.tests.queue import run_tasks

pytestmark = pytest.mark.django_db


def test_the_erasure_task_erases_through_the_worker(settings):
    settings.GANDAN_PERIODIC_TASKS = []
    result = contacts_erase_task.enqueue()
    run_tasks()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", 0)
