"""Whom a report's steps concern, and what they are told (``notify``): the approving level
when a unit submits, the unit's people when it is returned or approved, and the unit's
writers when a higher level reminds them to submit.

The approving level is the nearest level above the report's unit (on the period's last day)
that has reviewers (``access.is_reviewer``): the district's clerks for a commune before
1-7-2025, the province's after; if the district has no users, the province. The top of the
tree is approved by its own administrators. Every recipient can see the report (their
jurisdiction covers its unit on that day)."""

import datetime

from django.urls import reverse

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import Role, User
from gandan.accounts.types import Actor
from gandan.geo.models import AdminUnit
from gandan.geo.selectors import ancestors_on
from gandan.notify.models import Kind
from gandan.notify.selectors import unit_users
from gandan.notify.services import Notice, notify
from gandan.reports.access import is_reviewer
from gandan.reports.models import Report, ReportEvent

SAID = 120  # characters of a comment quoted in a notification


def _link(report: Report) -> str:
    return reverse("reports:report-detail", args=[report.pk])


def _name(report: Report) -> str:
    return f"«{report.regime.name}» {report.period_label} của {report.unit}"


def report_reviewers(report: Report) -> list[User]:
    """The users of the nearest level above the report's unit who may approve it."""
    chain = ancestors_on(report.unit, report.period_end)
    for version in chain[1:]:
        users = [u for u in unit_users([version.unit_id]) if is_reviewer(u, report)]
        if users:
            return users
    if len(chain) == 1:  # the top of the tree: its own administrators approve
        return [
            u
            for u in unit_users([report.unit_id])
            if u.role == Role.ADMIN and is_reviewer(u, report)
        ]
    return []


def report_owners(report: Report) -> list[User]:
    """The report's unit's people (and whoever created or submitted it), if they still see
    it: a 2025 commune's clerk answers for a legacy commune's report."""
    users = {u.pk: u for u in unit_users([report.unit_id], writers=False)}
    authors = set(
        ReportEvent.objects.filter(report=report, action__in=["create", "submit"])
        .exclude(actor=None)
        .values_list("actor_id", flat=True)
    )
    for user in User.objects.filter(pk__in=authors - set(users), is_active=True):
        users[user.pk] = user
    return [
        u
        for u in users.values()
        if u.is_superuser or jurisdiction_for(u).covers(report.unit_id, report.period_end)
    ]


def unit_writers(unit: AdminUnit, on: datetime.date) -> list[User]:
    """The clerks and administrators who answer for a unit's report of a period ending on
    ``on`` (their jurisdiction covers the unit on that day)."""
    return [u for u in unit_users([unit.pk]) if jurisdiction_for(u).covers(unit.pk, on)]


def report_submitted_notify(*, actor: Actor, report: Report) -> None:
    text = f"Báo cáo {_name(report)} đã gửi lên, chờ duyệt."
    notify(
        actor=actor,
        users=report_reviewers(report),
        notice=Notice(Kind.REPORT_SUBMITTED, text, _link(report)),
    )


def report_returned_notify(*, actor: Actor, report: Report, comment: str) -> None:
    said = comment if len(comment) <= SAID else comment[: SAID - 1].rstrip() + "…"
    text = f"Báo cáo {_name(report)} bị trả lại: {said}"
    notify(
        actor=actor,
        users=report_owners(report),
        notice=Notice(Kind.REPORT_RETURNED, text, _link(report)),
    )


def report_approved_notify(*, actor: Actor, report: Report) -> None:
    number = f" ({report.number_text})" if report.number_text else ""
    text = f"Báo cáo {_name(report)} đã được duyệt{number}."
    notify(
        actor=actor,
        users=report_owners(report),
        notice=Notice(Kind.REPORT_APPROVED, text, _link(report)),
    )


def report_due_notify(
    *, actor: Actor, users: list[User], report_name: str, deadline_text: str, link: str, key: str
) -> int:
    """A reminder to submit (the daily reminders and the "Nhắc nộp" button)."""
    text = f"Nhắc nộp báo cáo {report_name}: hạn nộp {deadline_text}."
    return len(notify(actor=actor, users=users, notice=Notice(Kind.REPORT_DUE, text, link, key)))
