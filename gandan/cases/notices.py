"""Whom a case concerns, and what they are told (``notify``): the writers of the unit now
handling it, when it is escalated to them and when it passes its deadline. They are the
people ``access.is_handler`` lets act on it."""

from django.urls import reverse

from gandan.accounts.models import User
from gandan.accounts.types import Actor
from gandan.cases.access import holds_handler_unit
from gandan.cases.models import Case
from gandan.core.dates import vn_date
from gandan.notify.models import Kind
from gandan.notify.selectors import unit_users
from gandan.notify.services import Notice, notify


def case_handlers(case: Case) -> list[User]:
    """Clerks and administrators of the handling unit (or of the unit it merged into)."""
    return [u for u in unit_users([case.handler_id]) if holds_handler_unit(u, case)]


def _link(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.pk])


def case_escalated_notify(*, actor: Actor, case: Case) -> None:
    text = (
        f"Vụ việc «{case.kind}» tại {case.unit} được chuyển lên {case.handler}, "
        f"hạn xử lý {vn_date(case.deadline)}."
    )
    notify(
        actor=actor,
        users=case_handlers(case),
        notice=Notice(Kind.CASE_ESCALATED, text, _link(case)),
    )


def case_overdue_notify(*, actor: Actor, case: Case) -> int:
    """Once per case and deadline (a new deadline after escalation is a new notice)."""
    text = f"Vụ việc «{case.kind}» tại {case.unit} đã quá hạn xử lý ({vn_date(case.deadline)})."
    key = f"case_overdue:{case.pk}:{case.deadline.isoformat()}"
    notice = Notice(Kind.CASE_OVERDUE, text, _link(case), key)
    return len(notify(actor=actor, users=case_handlers(case), notice=notice))
