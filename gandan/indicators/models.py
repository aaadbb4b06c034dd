"""The indicator catalogue, as data. Admins can add indicators without a code change.

An indicator says what to aggregate (``source``), how (``aggregation``) and over which
activity types. The aggregation engine (``gandan.indicators.aggregation``) reads it; the
work app records values against it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn")
    COUNT = "count", _("Đếm số bản ghi")
    DISTINCT_PLACES = "distinct_places", _("Đếm số địa bàn khác nhau")
    STOCK_AT_DATE = "stock_at_date", _("Số hiện có tại ngày")


class Source(models.TextChoices):
    VALUE = "value", _("Giá trị ghi cho chỉ tiêu")
    ACTIVITIES = "activities", _("Số hoạt động")
    PARTICIPANTS = "participants", _("Lượt người tham gia hoạt động")
    VILLAGES = "villages", _("Thôn, buôn có hoạt động")
    COMMUNES = "communes", _("Xã, phường có hoạt động")
    MEMBERS = "members", _("Thành viên Đội công tác")
    TEAMS = "teams", _("Đội, tổ công tác")
    VILLAGES_ASSIGNED = "villages_assigned", _("Thôn, buôn được phân công")
    AWARDS_COLLECTIVE = "awards_collective", _("Khen thưởng tập thể")
    AWARDS_INDIVIDUAL = "awards_individual", _("Khen thưởng cá nhân")
    CASES_RECEIVED = "cases_received", _("Vụ việc tiếp nhận")
    CASES_RESOLVED = "cases_resolved", _("Vụ việc đã giải quyết")


class Group(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức")
    MOBILISATION = "mobilisation", _("Phát động quần chúng")
    PRODUCTION = "production", _("Sản xuất, đời sống")
    NEW_RURAL = "new_rural", _("Xây dựng nông thôn mới")
    SOCIETY = "society", _("Giáo dục, xã hội")
    POLITICAL = "political", _("Hệ thống chính trị cơ sở")
    GRASSROOTS = "grassroots", _("Vụ việc ở cơ sở")
    AWARDS = "awards", _("Khen thưởng")


class Indicator(models.Model):
    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    unit = models.CharField(_("đơn vị tính"), max_length=64)
    group = models.CharField(_("nhóm"), max_length=16, choices=Group.choices)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=16, choices=Aggregation.choices)
    source = models.CharField(
        _("nguồn số liệu"), max_length=24, choices=Source.choices, default=Source.VALUE
    )
    activity_types = models.JSONField(
        _("loại hoạt động"),
        default=list,
        blank=True,
        help_text=_("Mã loại hoạt động; để trống là mọi loại."),
    )
    breakdowns = models.JSONField(
        _("phân tổ"),
        default=list,
        blank=True,
        help_text=_("gender (giới tính), minority (dân tộc thiểu số)"),
    )
    integer_only = models.BooleanField(_("chỉ nhận số nguyên"), default=True)
    active_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    active_to = models.DateField(_("áp dụng đến trước"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=~Q(aggregation="distinct_places")
                | Q(source__in=["villages", "communes"]),
                name="indicator_distinct_places_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.unit})"

    @property
    def name(self) -> str:
        """The name in the page's language: English when the page is English and the
        indicator has an English name, Vietnamese otherwise (documents always use name_vi)."""
        if self.name_en and (get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name_vi

    @property
    def takes_values(self) -> bool:
        """Whether records and aggregate entries carry a number for this indicator."""
        return self.source == Source.VALUE


# -- The analytics rollup (ADR 0006) --------------------------------------------------------
# Per calendar year, what the recorded activities whose place is ``unit`` (``own``) or lies
# below ``unit`` on the activity's date (not ``own``) add up to. Kept in the same
# transaction as the record writes by ``gandan.indicators.rollup.rollup_apply``; read by the
# aggregation engine only while ``RollupState`` says it is complete for the current tree.


class RollupActivity(models.Model):
    unit_id = models.IntegerField()
    own = models.BooleanField()
    year = models.SmallIntegerField()
    type_id = models.IntegerField()
    n = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    female = models.BigIntegerField(default=0)
    female_n = models.IntegerField(default=0)
    minority = models.BigIntegerField(default=0)
    minority_n = models.IntegerField(default=0)

    class Meta:
        ordering = ["unit_id", "year", "type_id", "own"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "year", "type_id", "own"], name="rollupactivity_key"
            )
        ]
        # Which units have records of their own (few above the communes): see Tree.cover.
        indexes = [
            models.Index(fields=["unit_id", "year"], condition=Q(own=True), name="rollup_own")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.type_id}: {self.n}"


class RollupValue(models.Model):
    unit_id = models.IntegerField()
    own = models.BooleanField()
    year = models.SmallIntegerField()
    indicator_id = models.IntegerField()
    total = models.DecimalField(max_digits=28, decimal_places=3, default=0)
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["unit_id", "year", "indicator_id", "own"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "year", "indicator_id", "own"], name="rollupvalue_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.indicator_id}: {self.total}"


class RollupPlace(models.Model):
    """A place reached: a village (kind "v") or the recording unit itself (kind "p")."""

    unit_id = models.IntegerField()
    own = models.BooleanField()
    year = models.SmallIntegerField()
    type_id = models.IntegerField()
    kind = models.CharField(max_length=1)
    place_id = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["unit_id", "year", "type_id", "kind", "place_id", "own"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "year", "type_id", "kind", "place_id", "own"],
                name="rollupplace_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.kind}{self.place_id}"


class RollupState(models.Model):
    """The fill-state bookmark: the rollup is complete for the tree with this fingerprint."""

    key = models.CharField(max_length=16, unique=True, default="main")
    fingerprint = models.CharField(max_length=100)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.fingerprint}"
