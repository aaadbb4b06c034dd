"""Notifications to users (in the app and by email) and what each user chooses to receive.

A notification is a short Vietnamese sentence and a link to the object, never a copy of the
object: what the user sees when they follow the link is decided by the object's own access
rules on that day. ``key`` makes a notification once-only (a reminder run twice the same day
notifies once): one row per user and key.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo gửi lên chờ tôi duyệt")
    REPORT_RETURNED = "report_returned", _("Báo cáo của đơn vị bị trả lại")
    REPORT_APPROVED = "report_approved", _("Báo cáo của đơn vị được duyệt")
    REPORT_DUE = "report_due", _("Báo cáo sắp đến hạn nộp, nhắc nộp")
    CASE_ESCALATED = "case_escalated", _("Vụ việc chuyển lên đơn vị tôi")
    CASE_OVERDUE = "case_overdue", _("Vụ việc quá hạn xử lý")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    text = models.CharField(_("nội dung"), max_length=300)
    link = models.CharField(_("liên kết"), max_length=300)
    key = models.CharField(max_length=160, blank=True)
    shown = models.BooleanField(_("hiện trong hộp thư"), default=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """What a user receives. Without a row: every kind in the app, no email (an address is
    optional on accounts, and officials asked not to be flooded)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    muted = models.JSONField(_("không hiện trong ứng dụng"), default=list, blank=True)
    email = models.JSONField(_("gửi thư điện tử"), default=list, blank=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)

    def shows(self, kind: str) -> bool:
        return kind not in self.muted

    def emails(self, kind: str) -> bool:
        return kind in self.email
