"""The daily reminders (run on the task queue, ``tasks.reminders_task``, or by ``gandan
remind``): reports whose deadline comes within three days and that their unit has not sent,
and cases that passed their deadline in the last week. Each notice has a key (the report's
regime, unit and period; the case and its deadline), so running twice the same day, or on
the next days, tells each person once."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from gandan.accounts.models import Role
from gandan.cases.models import Case
from gandan.cases.notices import case_overdue_notify
from gandan.cases.selectors import OPEN
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.geo.models import AdminUnit
from gandan.reports.deadlines import units_dues
from gandan.reports.notices import report_due_notify, unit_writers

AHEAD = datetime.timedelta(days=3)
OVERDUE_WITHIN = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Sent:
    reports: int  # people told about a report due
    cases: int  # people told about an overdue case


@transaction.atomic
def reminders_send(*, day: datetime.date) -> Sent:
    """Remind, for ``day``, the units' writers of the reports they owe within three days
    and the handlers of cases that became overdue this past week. Idempotent."""
    units = AdminUnit.objects.filter(
        users__is_active=True, users__role__in=[Role.ADMIN, Role.CLERK]
    ).distinct()
    told_reports = 0
    for due in units_dues(units, first=day, last=day + AHEAD):
        if due.sent:
            continue
        told_reports += report_due_notify(
            actor=None,
            users=unit_writers(due.unit, due.period.end),
            report_name=due.name,
            deadline_text=vn_date(due.deadline),
            link=due.link,
            key=due.key,
        )
    late = Case.objects.filter(
        status__in=OPEN, deadline__lt=day, deadline__gte=day - OVERDUE_WITHIN
    ).select_related("kind", "unit", "handler")
    told_cases = sum(case_overdue_notify(actor=None, case=case) for case in late)
    audit_log(
        actor=None,
        action="notify.reminders",
        message=f"Nhắc việc ngày {vn_date(day)}: {told_reports} thông báo báo cáo sắp đến hạn, "
        f"{told_cases} thông báo vụ việc quá hạn",
        data={"day": day.isoformat(), "reports": told_reports, "cases": told_cases},
    )
    return Sent(reports=told_reports, cases=told_cases)
