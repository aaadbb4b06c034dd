"""Grassroots issues (vụ việc), aggregated aspirations and inspections.

Privacy by design: a case records the issue at a place, not a file on a person. There is
no field for anyone's political or religious views. Named contacts are optional and minimal
(a name and a phone number), visible only to the case's handlers, logged on every view,
and erased automatically some months after the case closes. Aspirations are aggregates:
a topic, a count and a summary for a village, never names.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gandan.geo.models import AdminUnit
from gandan.org.models import Team


class CaseKind(models.Model):
    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn xử lý (ngày)"), default=30)

    class Meta:
        ordering = ["name"]
        verbose_name = _("loại vụ việc")
        verbose_name_plural = _("loại vụ việc")

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        ADVISING = "advising", _("Đang tham mưu, phối hợp")
        RESOLVED = "resolved", _("Đã giải quyết")
        ESCALATED = "escalated", _("Chuyển cấp trên")
        NOT_COMPETENT = "not_competent", _("Không thuộc thẩm quyền")
        PAUSED = "paused", _("Tạm dừng")

    class Source(models.TextChoices):
        CAMPAIGN = "campaign", _("Đợt phát động quần chúng")
        HOME_VISIT = "home_visit", _("Thăm hộ")
        BRIEFING = "briefing", _("Họp giao ban")
        OTHER = "other", _("Khác")

    kind = models.ForeignKey(
        CaseKind, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("Xã nơi phát sinh vụ việc, theo địa giới ngày tiếp nhận."),
    )
    village = models.ForeignKey(
        AdminUnit,
        verbose_name=_("thôn, buôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_cases",
    )
    handler = models.ForeignKey(
        AdminUnit,
        verbose_name=_("đơn vị đang xử lý"),
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    received_on = models.DateField(_("ngày tiếp nhận"), db_index=True)
    source = models.CharField(
        _("nguồn"), max_length=16, choices=Source.choices, default=Source.CAMPAIGN
    )
    description = models.TextField(_("nội dung"))
    households = models.PositiveIntegerField(_("số hộ liên quan"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    deadline = models.DateField(_("hạn xử lý"))
    agencies = models.JSONField(_("phối hợp với"), default=list, blank=True)
    advice = models.TextField(_("nội dung tham mưu"), blank=True)
    outcome = models.TextField(_("kết quả, chuyển đến"), blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")

    def __str__(self) -> str:
        return f"{self.kind} · {self.unit} · {self.received_on:%d/%m/%Y}"


class CaseContact(models.Model):
    """A minimal named contact on a case. Erased on request or after the retention period."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("người liên hệ")
        verbose_name_plural = _("người liên hệ")

    def __str__(self) -> str:
        return "(đã xóa)" if self.erased_at else self.name


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day the step took effect (received, advised, escalated …), as the clerk gives it;
    # ``at`` is when it was recorded. Steps are entered in order, so ``on`` never goes back.
    on = models.DateField(_("ngày"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.to_status}"


class Aspiration(models.Model):
    """Tâm tư nguyện vọng, aggregated: a topic raised in a village over a period."""

    village = models.ForeignKey(
        AdminUnit,
        verbose_name=_("thôn, buôn"),
        on_delete=models.PROTECT,
        related_name="aspirations",
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    topic = models.CharField(_("chủ đề"), max_length=200)
    households = models.PositiveIntegerField(_("số hộ, người nêu"))
    summary = models.TextField(_("tóm tắt"))
    response = models.TextField(_("đã làm gì"), blank=True)

    class Meta:
        ordering = ["-period_end", "topic"]
        verbose_name = _("tâm tư nguyện vọng")
        verbose_name_plural = _("tâm tư nguyện vọng")

    def __str__(self) -> str:
        return f"{self.topic} ({self.households})"


class Inspection(models.Model):
    """A planned inspection (kiểm tra, giám sát) of a team, and its result."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Hoàn thành xuất sắc")
        GOOD = "good", _("Hoàn thành tốt")
        DONE = "done", _("Hoàn thành")
        NOT_DONE = "not_done", _("Chưa hoàn thành")

    team = models.ForeignKey(
        Team,
        verbose_name=_("đội được kiểm tra"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspector = models.CharField(_("đoàn kiểm tra"), max_length=200)
    planned_on = models.DateField(_("ngày dự kiến"))
    content = models.TextField(_("nội dung"))
    held_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    findings = models.TextField(_("kết quả"), blank=True)
    rating = models.CharField(_("xếp loại"), max_length=16, choices=Rating.choices, blank=True)
    recommendations = models.TextField(_("kiến nghị"), blank=True)

    class Meta:
        ordering = ["-planned_on", "id"]
        verbose_name = _("kiểm tra, giám sát")
        verbose_name_plural = _("kiểm tra, giám sát")

    def __str__(self) -> str:
        return f"{self.inspector} → {self.team} ({self.planned_on:%d/%m/%Y})"


class FollowUp(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("việc cần làm"), max_length=300)
    owner = models.CharField(_("người, đơn vị thực hiện"), max_length=200)
    deadline = models.DateField(_("hạn"))
    done_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("việc sau kiểm tra")
        verbose_name_plural = _("việc sau kiểm tra")

    def __str__(self) -> str:
        return self.action
