"""Teams, their members through time, village assignments and awards.

Periods are half-open like units: a membership is held on D when ``start <= D < end``.
A transfer on D ends the old membership at D and starts the new one on D, so the person is
counted once; a person who leaves on D (their last working day) gets ``end = D + 1``.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gandan.core.models import LegalDocument
from gandan.geo.models import AdminUnit


class TeamLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Team(models.Model):
    class Kind(models.TextChoices):
        DOI = "doi", _("Đội")
        TO = "to", _("Tổ")

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices, default=Kind.DOI)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="teams"
    )
    level = models.CharField(_("cấp"), max_length=16, choices=TeamLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đội cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    established_on = models.DateField(_("ngày thành lập"))
    established_basis = models.ForeignKey(
        LegalDocument,
        verbose_name=_("căn cứ thành lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dissolved_on = models.DateField(_("giải thể từ ngày"), null=True, blank=True)
    dissolved_basis = models.ForeignKey(
        LegalDocument,
        verbose_name=_("căn cứ giải thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False)

    class Meta:
        ordering = ["level", "sort_key", "id"]
        verbose_name = _("đội công tác")
        verbose_name_plural = _("đội công tác")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gt=models.F("established_on")),
                name="team_period_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, on: datetime.date) -> bool:
        return self.established_on <= on and (self.dissolved_on is None or on < self.dissolved_on)


ETHNIC_GROUPS = [
    ("kinh", "Kinh"),
    ("ede", "Ê Đê"),
    ("mnong", "M'nông"),
    ("jrai", "Jrai"),
    ("tay", "Tày"),
    ("nung", "Nùng"),
    ("thai", "Thái"),
    ("muong", "Mường"),
    ("dao", "Dao"),
    ("hmong", "H'Mông"),
    ("xodang", "Xơ Đăng"),
    ("bana", "Ba Na"),
    ("cham", "Chăm"),
    ("khac", "Dân tộc khác"),
]
MAJORITY = "kinh"

LANGUAGES = [
    ("ede", "Tiếng Ê Đê"),
    ("mnong", "Tiếng M'nông"),
    ("jrai", "Tiếng Jrai"),
    ("tay", "Tiếng Tày"),
    ("nung", "Tiếng Nùng"),
    ("hmong", "Tiếng H'Mông"),
    ("thai", "Tiếng Thái"),
    ("khac", "Tiếng khác"),
]


class Member(models.Model):
    """A team member: the only person the system holds in detail.

    Ethnicity is sensitive personal data (Luật 91/2025/QH15): it is shown only to roles
    allowed to see it, each view is logged, and reports use it only as aggregates.
    """

    class Gender(models.TextChoices):
        MALE = "nam", _("Nam")
        FEMALE = "nu", _("Nữ")

    full_name = models.CharField(_("họ và tên"), max_length=200)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=16, choices=ETHNIC_GROUPS)
    languages = models.JSONField(_("tiếng dân tộc sử dụng được"), default=list, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    identifier = models.CharField(
        _("mã cán bộ"),
        max_length=32,
        unique=True,
        help_text=_("Mã duy nhất dùng khi nhập từ Excel, ví dụ DL-0001."),
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_minority(self) -> bool:
        return self.ethnicity != MAJORITY


class Position(models.TextChoices):
    LEADER = "doi_truong", _("Đội trưởng")
    DEPUTY = "doi_pho", _("Đội phó")
    GROUP_LEADER = "to_truong", _("Tổ trưởng")
    MEMBER = "thanh_vien", _("Thành viên")


class Membership(models.Model):
    class StartReason(models.TextChoices):
        JOIN = "join", _("Bổ sung, tuyển mới")
        TRANSFER = "transfer", _("Điều động đến")
        FOUNDING = "founding", _("Thành lập đội")

    class EndReason(models.TextChoices):
        LEAVE = "leave", _("Thôi tham gia")
        RETIRE = "retire", _("Nghỉ hưu")
        TRANSFER = "transfer", _("Điều động đi")
        DISSOLVED = "dissolved", _("Đội giải thể")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(
        _("chức vụ"), max_length=16, choices=Position.choices, default=Position.MEMBER
    )
    start = models.DateField(_("từ ngày"), db_index=True)
    end = models.DateField(_("đến trước ngày"), null=True, blank=True, db_index=True)
    start_reason = models.CharField(
        _("lý do bắt đầu"), max_length=16, choices=StartReason.choices, default=StartReason.JOIN
    )
    end_reason = models.CharField(
        _("lý do kết thúc"), max_length=16, choices=EndReason.choices, blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["member_id", "start"]
        verbose_name = _("thời gian công tác trong đội")
        verbose_name_plural = _("thời gian công tác trong đội")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="membership_period_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.team}"


class Assignment(models.Model):
    """A member's period covering villages (bám địa bàn)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assignments")
    villages = models.ManyToManyField(
        AdminUnit, verbose_name=_("thôn, buôn"), related_name="assignments"
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến trước ngày"), null=True, blank=True)

    class Meta:
        ordering = ["membership_id", "start"]
        verbose_name = _("phân công địa bàn")
        verbose_name_plural = _("phân công địa bàn")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="assignment_period_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.member} từ {self.start:%d/%m/%Y}"


class TeamEvent(models.Model):
    """A reorganisation: a team established, dissolved, merged or moved, with its basis."""

    class Type(models.TextChoices):
        ESTABLISH = "establish", _("Thành lập")
        DISSOLVE = "dissolve", _("Giải thể")
        MERGE = "merge", _("Sáp nhập")
        MOVE = "move", _("Chuyển đơn vị")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("loại"), max_length=16, choices=Type.choices)
    on = models.DateField(_("ngày"))
    basis = models.ForeignKey(
        LegalDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members_transferred = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.team} ({self.on:%d/%m/%Y})"


class Award(models.Model):
    class Kind(models.TextChoices):
        BANG_KHEN = "bang_khen", _("Bằng khen")
        GIAY_KHEN = "giay_khen", _("Giấy khen")
        CO_THI_DUA = "co_thi_dua", _("Cờ thi đua")
        CHIEN_SI_THI_DUA = "chien_si", _("Chiến sĩ thi đua")
        HUAN_CHUONG = "huan_chuong", _("Huân chương")

    class BodyLevel(models.TextChoices):
        CENTRAL = "central", _("Trung ương")
        PROVINCE = "province", _("Cấp tỉnh")
        DISTRICT = "district", _("Cấp huyện")
        COMMUNE = "commune", _("Cấp xã")

    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    awarding_body = models.CharField(_("cơ quan khen thưởng"), max_length=200)
    body_level = models.CharField(_("cấp khen thưởng"), max_length=16, choices=BodyLevel.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"), db_index=True)
    # The unit whose jurisdiction the award belongs to (the collective's unit or the team's).
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="awards"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("tập thể (đội)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    collective_name = models.CharField(_("tên tập thể"), max_length=200, blank=True)
    reason = models.CharField(_("thành tích"), max_length=500, blank=True)
    phase = models.CharField(_("giai đoạn"), max_length=64, blank=True)

    class Meta:
        ordering = ["-decision_date", "id"]
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(team__isnull=False) & Q(member__isnull=False)),
                name="award_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number}"

    @property
    def is_individual(self) -> bool:
        return self.member_id is not None

    @property
    def recipient(self) -> str:
        if self.member is not None:
            return str(self.member)
        if self.team is not None:
            return str(self.team)
        return self.collective_name or str(self.unit)
