"""Named contacts on cases: who may see them, logging each view, erasure and export.

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: contacts are kept minimal, shown only to the
case's handlers, every view is audited, they are erased automatically a configurable number
of months after the case closes, and a data subject may ask for an export or erasure.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.cases.models import Case, CaseContact
from gandan.core.audit import audit_log
from gandan.core.dates import today
from gandan.core.text import clean, fold

ERASED = "(đã xóa)"


def may_see_contacts(user: Any, case: Case) -> bool:
    """Handlers only: a writer of the unit now handling the case (or a superuser), or a
    user explicitly granted the permission to view contacts, in jurisdiction."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    in_reach = jurisdiction_for(user).covers(case.handler_id, today()) or jurisdiction_for(
        user
    ).covers(case.handler_id)
    if not in_reach:
        return False
    return bool(user.can_write or user.has_perm("cases.view_casecontact"))


def contacts_view(user: Any, case: Case) -> list[CaseContact] | None:
    """The case's contacts for a handler, with an audit entry; None for anyone else."""
    if not may_see_contacts(user, case):
        return None
    contacts = list(case.contacts.filter(erased_at__isnull=True))
    audit_log(
        actor=user,
        action="cases.view_contacts",
        target=case,
        message=f"{user} xem người liên hệ của vụ việc #{case.pk}",
    )
    return contacts


def _erase(contacts: QuerySet[CaseContact]) -> int:
    return contacts.filter(erased_at__isnull=True).update(
        name=ERASED, phone="", erased_at=timezone.now()
    )


@transaction.atomic
def contacts_erase_expired(*, on: datetime.date | None = None, months: int | None = None) -> int:
    """Erase contacts of cases closed more than ``months`` ago (setting
    ``CASE_CONTACT_RETENTION_MONTHS``). Figures are untouched: cases stay, names go."""
    day = on or today()
    keep = months if months is not None else settings.CASE_CONTACT_RETENTION_MONTHS
    year, month = divmod(day.year * 12 + day.month - 1 - keep, 12)
    cutoff = datetime.date(year, month + 1, min(day.day, 28))
    erased = _erase(
        CaseContact.objects.filter(case__closed_on__isnull=False, case__closed_on__lte=cutoff)
    )
    if erased:
        audit_log(
            actor=None,
            action="cases.erase_expired",
            message=f"Tự động xóa {erased} người liên hệ của vụ việc đã kết thúc trước {cutoff:%d/%m/%Y}",
        )
    return erased


def _matching(name: str, phone: str) -> QuerySet[CaseContact]:
    contacts = CaseContact.objects.filter(erased_at__isnull=True).select_related(
        "case", "case__kind", "case__unit"
    )
    wanted = fold(name)
    ids = [
        c.pk
        for c in contacts
        if fold(c.name) == wanted and (not phone or clean(c.phone) == clean(phone))
    ]
    return CaseContact.objects.filter(pk__in=ids)


def subject_export(*, actor: Any, name: str, phone: str = "") -> dict[str, Any]:
    """Everything held on a named contact (a data subject's request), audited."""
    items = [
        {
            "name": c.name,
            "phone": c.phone,
            "case": c.case_id,
            "kind": str(c.case.kind),
            "commune": str(c.case.unit),
            "received_on": c.case.received_on.isoformat(),
            "status": c.case.get_status_display(),
        }
        for c in _matching(name, phone).select_related("case", "case__kind", "case__unit")
    ]
    audit_log(
        actor=actor,
        action="cases.subject_export",
        message=f"Xuất dữ liệu theo yêu cầu của chủ thể dữ liệu ({len(items)} mục)",
    )
    return {"subject": {"name": clean(name), "phone": clean(phone)}, "records": items}


@transaction.atomic
def subject_erase(*, actor: Any, name: str, phone: str = "") -> int:
    erased = _erase(_matching(name, phone))
    audit_log(
        actor=actor,
        action="cases.subject_erase",
        message=f"Xóa {erased} mục người liên hệ theo yêu cầu của chủ thể dữ liệu",
    )
    return erased
