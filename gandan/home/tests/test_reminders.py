"""The daily reminders: reports due within three days that their unit has not sent, and
cases that became overdue in the past week. Idempotent: a second run (the same day, or the
next) tells nobody again; through the task queue and the command alike."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from gandan.cases.models import CaseKind
from gandan.cases.services import case_receive
from gandan.core.models import AuditEntry
from gandan.home.reminders import reminders_send
from gandan.home.tasks import reminders_task
from gandan.notify.models import Kind, Notification
from gandan.reports.models import Regime
from gandan.reports.services import report_create, report_submit

pytestmark = pytest.mark.django_db

# Under the Decree 09 cut-off, December 2026, Q4, H2 and the year 2026 all end on 14-12-2026;
# a commune's deadline is one day later. On 12-12 all four are within three days.
DAY = datetime.date(2026, 12, 12)


def _due(user):
    return Notification.objects.filter(kind=Kind.REPORT_DUE, user=user)


def test_a_commune_is_reminded_of_each_report_due_once(cast):
    sent = reminders_send(day=DAY)

    texts = sorted(_due(cast["commune_clerk"]).values_list("text", flat=True))
    assert len(texts) == 4
    assert all("hạn nộp 15/12/2026" in t for t in texts)
    assert sent.reports == 4  # the province's deadline (+5 days) is not yet near; Lắk ended

    again = reminders_send(day=DAY)
    following = reminders_send(day=DAY + datetime.timedelta(days=1))

    assert again.reports == following.reports == 0
    assert _due(cast["commune_clerk"]).count() == 4


def test_a_report_already_sent_is_not_reminded(cast, places):
    yearly = Regime.objects.get(code="yearly")
    report = report_create(actor=None, regime=yearly, unit=places.lien_son_lak, period="2026")
    report_submit(actor=cast["commune_clerk"], report=report, allow_empty_sections=True)

    reminders_send(day=DAY)

    assert _due(cast["commune_clerk"]).count() == 3
    assert not _due(cast["commune_clerk"]).filter(text__contains="«Báo cáo năm»").exists()


def test_nothing_due_far_from_a_deadline(cast):
    assert reminders_send(day=datetime.date(2026, 12, 1)).reports == 0


def test_a_case_overdue_this_week_is_reminded_once(cast, places):
    land = CaseKind.objects.get(code="tranh_chap_dat")
    long_ago = datetime.date(2019, 3, 4)
    case_receive(
        actor=None, kind=land, unit=places.yang_tao, received_on=long_ago, description="Cũ"
    )
    new = case_receive(
        actor=None,
        kind=land,
        unit=places.lien_son_lak,
        received_on=datetime.date(2025, 8, 4),
        description="Tranh chấp ranh giới rẫy",
    )
    day = new.deadline + datetime.timedelta(days=2)

    first = reminders_send(day=day)
    second = reminders_send(day=day)

    overdue = Notification.objects.filter(kind=Kind.CASE_OVERDUE)
    assert first.cases == 1  # the 2025 case; the 2019 one is long overdue, on the home page
    assert second.cases == 0
    assert [n.user for n in overdue] == [cast["commune_clerk"]]


def test_the_run_is_audited(cast):
    reminders_send(day=DAY)

    entry = AuditEntry.objects.get(action="notify.reminders")
    assert entry.actor_id is None
    assert entry.data["reports"] == 4


def test_the_task_runs_the_reminders(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    result = reminders_task.enqueue(DAY.isoformat())

    assert result.return_value == {"reports": 4, "cases": 0}


def test_the_command_runs_or_queues(cast):
    out = StringIO()
    call_command("remind", "--day", DAY.isoformat(), stdout=out)
    call_command("remind", "--day", DAY.isoformat(), stdout=out)

    assert "4 thông báo báo cáo" in out.getvalue()
    assert "0 thông báo báo cáo" in out.getvalue()
