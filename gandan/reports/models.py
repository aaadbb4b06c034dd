"""Periodic reports: regimes (as data), report instances, their workflow and numbering.

Workflow: Nháp → Đã gửi → (Bị trả lại → Nháp …) → Đã duyệt. An approved report is locked
and keeps a snapshot of its figures; every transition is a ``ReportEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gandan.geo.models import AdminUnit


class DocumentStyle(models.TextChoices):
    PARTY = "party", _("Văn bản của Đảng (Hướng dẫn 36-HD/VPTW)")
    STATE = "state", _("Văn bản hành chính (Nghị định 30/2020/NĐ-CP)")


class Regime(models.Model):
    """A reporting regime: which period, which figures and sections, who submits and when."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    period_kind = models.CharField(
        _("loại kỳ"), max_length=16
    )  # week, month, quarter, half, year, range
    period_regime = models.CharField(
        _("cách tính kỳ"), max_length=16, default="calendar"
    )  # calendar, nd09
    indicator_codes = models.JSONField(_("chỉ tiêu"), default=list)
    sections = models.JSONField(_("đề mục"), default=list)  # [[key, title], ...]
    levels = models.JSONField(_("cấp báo cáo"), default=list)  # ["commune", "district", "province"]
    deadlines = models.JSONField(_("hạn nộp (số ngày sau kỳ)"), default=dict)  # {"commune": 2, ...}
    style = models.CharField(_("thể thức"), max_length=8, choices=DocumentStyle.choices)
    document_type = models.CharField(_("loại văn bản"), max_length=8, default="BC")
    title = models.CharField(_("tên loại, trích yếu"), max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        APPROVED = "approved", _("Đã duyệt")

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    period_code = models.CharField(_("kỳ"), max_length=32)
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(_("kỳ báo cáo"), max_length=100)
    boundaries = models.DateField(_("địa giới ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    sections = models.JSONField(_("nội dung các đề mục"), default=dict)
    snapshot = models.JSONField(_("số liệu khi duyệt"), default=dict, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_text = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "unit_id", "id"]
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "unit", "period_code"], name="report_one_per_unit_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regime.name} {self.period_label} · {self.unit}"

    @property
    def locked(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED}


class Adjustment(models.Model):
    """A manual correction of one figure, with its reason (shown in the document)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="adjustments")
    indicator_code = models.SlugField(max_length=64)
    value = models.DecimalField(max_digits=20, decimal_places=3)
    reason = models.CharField(_("lý do"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "indicator_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator_code"], name="adjustment_one_per_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}={self.value}"


class ReportEvent(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class NumberSequence(models.Model):
    """The last number given per issuing unit, document type, style and scope (the calendar
    year for state documents, the Party committee's term for Party documents). Numbers are
    taken under a row lock and never reused."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=8)
    style = models.CharField(max_length=8, choices=DocumentStyle.choices)
    scope = models.CharField(max_length=16)  # "2019" or "2015-2020"
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["unit_id", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "document_type", "style", "scope"], name="number_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(last__gte=0), name="number_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.scope}: {self.last}"
