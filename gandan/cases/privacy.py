"""Named contacts on cases: who may see them, logging each view, erasure and export.

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15: contacts are kept minimal, shown only to the
case's handlers, every view is audited, they are erased automatically a configurable number
of months after the case closes, and a data subject may ask for an export or erasure.
"""

import datetime
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gandan.accounts.models import User
from gandan.accounts.types import Actor
from gandan.cases.access import holds_handler_unit, is_handler
from gandan.cases.models import Case, CaseContact
from gandan.core.audit import audit_log
from gandan.core.dates import today
from gandan.core.text import clean, fold

ERASED = "(đã xóa)"
_NOT_DIGIT = re.compile(r"\D")


def _digits(phone: str) -> str:
    """A phone number compared by its digits: "0905 123 456" is "0905.123.456"."""
    return _NOT_DIGIT.sub("", phone)


def may_see_contacts(user: User, case: Case) -> bool:
    """Handlers only (``access.is_handler``: a writer whose jurisdiction holds the unit now
    handling the case), or a read-only user granted ``cases.view_casecontact`` whose
    jurisdiction holds it. Everyone else, a leader included, sees only how many there are."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_handler(user, case):
        return True
    return bool(user.has_perm("cases.view_casecontact")) and holds_handler_unit(user, case)


def contacts_view(user: User, case: Case) -> list[CaseContact] | None:
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


def _matching(name: str, phone: str, within: QuerySet[Case] | None) -> QuerySet[CaseContact]:
    """Contacts with this name (ignoring case and diacritics) and, if given, this phone,
    on the cases ``within`` (the requesting administrator's jurisdiction; None: all)."""
    contacts = CaseContact.objects.filter(erased_at__isnull=True)
    if within is not None:
        contacts = contacts.filter(case__in=within)
    wanted = fold(name)
    if not wanted:
        return CaseContact.objects.none()
    ids = [
        c.pk
        for c in contacts
        if fold(c.name) == wanted and (not _digits(phone) or _digits(c.phone) == _digits(phone))
    ]
    return CaseContact.objects.filter(pk__in=ids)


def subject_export(
    *, actor: Actor, name: str, phone: str = "", within: QuerySet[Case] | None = None
) -> dict[str, Any]:
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
        for c in _matching(name, phone, within).select_related("case", "case__kind", "case__unit")
    ]
    audit_log(
        actor=actor,
        action="cases.subject_export",
        message=f"Xuất dữ liệu theo yêu cầu của chủ thể dữ liệu ({len(items)} mục)",
    )
    return {"subject": {"name": clean(name), "phone": clean(phone)}, "records": items}


@transaction.atomic
def subject_erase(
    *, actor: Actor, name: str, phone: str = "", within: QuerySet[Case] | None = None
) -> int:
    """Erase a data subject's contact entries (name and phone); the cases and figures stay."""
    erased = _erase(_matching(name, phone, within))
    audit_log(
        actor=actor,
        action="cases.subject_erase",
        message=f"Xóa {erased} mục người liên hệ theo yêu cầu của chủ thể dữ liệu",
    )
    return erased
