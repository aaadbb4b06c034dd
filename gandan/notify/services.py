"""Writes: notify users (in the app, and by email for those who chose it), mark as read,
and save a user's choices.

Notifying is a consequence of a step that its own service audits (a report submitted, a
case escalated, a reminder sent), so a notification is not audited again; a change of
choices is.
"""

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gandan.accounts.models import User
from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.errors import DomainError
from gandan.notify.models import Kind, Notification, Preference

SUBJECT_PREFIX = "[Gần Dân] "
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """What to tell: a kind, a short Vietnamese sentence, a link (a path of the site) and,
    for a notice that must go out once only, a key."""

    kind: str
    text: str
    link: str
    key: str = ""


def _email_later(notifications: list[Notification], users: dict[int, User]) -> None:
    def send() -> None:
        site = getattr(settings, "GANDAN_SITE_URL", "").rstrip("/")
        for notification in notifications:
            user = users[notification.user_id]
            body = f"{notification.text}\n\n{site}{notification.link}\n"
            try:
                send_mail(SUBJECT_PREFIX + notification.text[:120], body, None, [user.email])
            except (OSError, smtplib.SMTPException):  # the inbox still has it
                logger.warning("Email of notification %s not sent", notification.pk)

    if notifications:
        transaction.on_commit(send)


@transaction.atomic
def notify(*, actor: Actor, users: Iterable[User], notice: Notice) -> list[Notification]:
    """Tell each user once (never the actor who caused it; with a key, never twice): a row
    in their inbox, unless they muted the kind (then kept, not shown, so the key still
    holds), and an email after the commit for those who chose email and have an address."""
    if notice.kind not in Kind.values:
        raise DomainError(f"Loại thông báo không hợp lệ: «{notice.kind}».", field="kind")
    actor_id = getattr(actor, "pk", None)
    recipients = {u.pk: u for u in users if u.pk != actor_id and u.is_active}
    if notice.key:
        told = Notification.objects.filter(user_id__in=recipients, key=notice.key)
        for user_id in told.values_list("user_id", flat=True):
            recipients.pop(user_id, None)
    choices = {p.user_id: p for p in Preference.objects.filter(user_id__in=recipients)}
    created, mailed = [], []
    for user_id, user in recipients.items():
        choice = choices.get(user_id) or Preference(user=user)
        notification = Notification.objects.create(
            user=user,
            kind=notice.kind,
            text=notice.text[:300],
            link=notice.link[:300],
            key=notice.key,
            shown=choice.shows(notice.kind),
        )
        created.append(notification)
        if choice.emails(notice.kind) and user.email:
            mailed.append(notification)
    _email_later(mailed, recipients)
    return created


@transaction.atomic
def notification_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (the view reached it by ``access``)."""
    if notification.user_id != user.pk:
        raise DomainError("Không phải thông báo của bạn.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_save(
    *, actor: Actor, user: User, shown: Iterable[str], email: Iterable[str]
) -> Preference:
    """A user's own choices: the kinds shown in the app and the kinds sent by email."""
    shown, email = set(shown), set(email)
    if unknown := (shown | email) - set(Kind.values):
        raise DomainError(f"Loại thông báo không hợp lệ: {', '.join(sorted(unknown))}.")
    if email and not user.email:
        raise DomainError(
            "Tài khoản chưa có địa chỉ thư điện tử; nhờ quản trị cập nhật trước khi chọn nhận thư.",
            field="email",
        )
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.muted = sorted(set(Kind.values) - shown)
    preference.email = sorted(email)
    preference.save()
    audit_log(
        actor=actor,
        action="notify.preference",
        target=preference,
        message=f"Chọn nhận thông báo của {user}: thư điện tử {len(email)} loại, "
        f"tắt trong ứng dụng {len(preference.muted)} loại",
    )
    return preference
