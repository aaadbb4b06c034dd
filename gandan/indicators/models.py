"""The indicator catalogue, as data. Admins can add indicators without a code change.

An indicator says what to aggregate (``source``), how (``aggregation``) and over which
activity types. The aggregation engine (``gandan.analytics.engine``) reads it; the
work app records values against it. A ratio names its numerator and denominator; a part
names its parent (a total that old reports give unsplit); a retired indicator keeps its
history and takes no data about days from ``retired_on`` on (ADR 0018). Writes go through
``indicators.services``, which keeps names unique after folding (``name_key``).
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gandan.core.numbers import Kind


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn")
    COUNT = "count", _("Đếm số bản ghi")
    DISTINCT_PLACES = "distinct_places", _("Đếm số địa bàn khác nhau")
    STOCK_AT_DATE = "stock_at_date", _("Số hiện có tại ngày")
    RATIO = "ratio", _("Tỉ lệ phần trăm (tử số / mẫu số)")


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
    MEMBERS_MINORITY = "members_minority", _("Thành viên là người dân tộc thiểu số")
    RATIO = "ratio", _("Tỉ lệ giữa hai chỉ tiêu")
    PARTS = "parts", _("Tổng các chỉ tiêu thành phần")
    PAPER = "paper", _("Chỉ có trong báo cáo giấy (số tổng hợp)")


# Sources a paper-report total may be entered for: everything but what the organisation's
# own files count (awards, grassroots cases). Stock, distinct places, ratios and parents
# are accepted as published; how they combine is the engine's rule, not an addition.
TOTAL_SOURCES = frozenset(
    {
        Source.VALUE,
        Source.ACTIVITIES,
        Source.PARTICIPANTS,
        Source.VILLAGES,
        Source.COMMUNES,
        Source.MEMBERS,
        Source.TEAMS,
        Source.VILLAGES_ASSIGNED,
        Source.MEMBERS_MINORITY,
        Source.RATIO,
        Source.PARTS,
        Source.PAPER,
    }
)


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
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("tử số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("mẫu số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chỉ tiêu tổng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_("Chỉ tiêu gộp nhận số tổng khi văn bản không tách thành phần."),
    )
    retired_on = models.DateField(_("ngừng sử dụng từ ngày"), null=True, blank=True)
    # The Vietnamese name folded (``core.text.fold``): two names that differ only in case,
    # diacritics or spacing are the same name. Set by ``indicators.services``.
    name_key = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=~Q(aggregation="distinct_places")
                | Q(source__in=["villages", "communes"]),
                name="indicator_distinct_places_source",
            ),
            models.CheckConstraint(
                condition=(
                    Q(aggregation="ratio", numerator__isnull=False, denominator__isnull=False)
                    & ~Q(numerator=F("denominator"))
                    & Q(unit="%")
                )
                | (~Q(aggregation="ratio") & Q(numerator__isnull=True, denominator__isnull=True)),
                name="indicator_ratio_terms",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="indicator_not_own_parent",
            ),
            models.UniqueConstraint(fields=["name_key"], name="indicator_name_unique"),
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

    @property
    def accepts_totals(self) -> bool:
        """Whether a paper-report total may be entered for this indicator."""
        return self.source in TOTAL_SOURCES

    @property
    def number_kind(self) -> Kind:
        """How a typed figure is read (``core.numbers.parse_number``): money is whole đồng."""
        if self.unit == "đồng":
            return Kind.MONEY
        return Kind.INTEGER if self.integer_only else Kind.DECIMAL

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == Aggregation.RATIO

    def is_open_on(self, day: datetime.date) -> bool:
        """Whether data about ``day`` may still be entered (not retired by then)."""
        return self.retired_on is None or day < self.retired_on
