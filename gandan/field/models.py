"""Field capture where there is no signal: ODK Collect over OpenRosa, and the browser outbox.

- ``DevicePassword``: a password for one phone, made by the server and shown once (with a
  QR code of Collect's settings). Collect sends it with HTTP Basic; the user's own login
  password is never stored on a phone. Revoking it locks that phone out.
- ``FormVersion``: the indicators (with their units) that a version of a generated form
  carried, so that a submission from an older form can be judged (ADR 0011).
- ``Submission``: one accepted instance, keyed by its ``instanceID``: a repeat writes nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gandan.work.models import Activity, ActivityType


class DevicePassword(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_passwords"
    )
    label = models.CharField(_("tên máy"), max_length=100)
    # SHA-256 of the secret: it is random and long, so a slow hash adds nothing.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mật khẩu thiết bị")
        verbose_name_plural = _("mật khẩu thiết bị")

    def __str__(self) -> str:
        return f"{self.label} ({self.user})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class FormVersion(models.Model):
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="form_versions"
    )
    version = models.CharField(_("phiên bản"), max_length=32)
    # indicator code → its unit as the form asked for it
    indicators = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity_type_id", "-created_at", "-id"]
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = _("phiên bản biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["activity_type", "version"], name="formversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.activity_type.code} {self.version}"


class Submission(models.Model):
    class Channel(models.TextChoices):
        COLLECT = "collect", _("ODK Collect, KoboCollect")
        BROWSER = "browser", _("Trình duyệt (hàng chờ ngoại tuyến)")

    instance_id = models.CharField(_("mã bản ghi (instanceID)"), max_length=100, unique=True)
    activity = models.OneToOneField(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a record deleted later stays received: a repeat is a no-op
        related_name="field_submission",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(
        DevicePassword,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    form_id = models.CharField(max_length=64)
    form_version = models.CharField(max_length=32, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("bản ghi từ hiện trường")
        verbose_name_plural = _("bản ghi từ hiện trường")

    def __str__(self) -> str:
        return self.instance_id
