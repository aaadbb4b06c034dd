"""Field work: activity records, new-rural works and aggregate entries from paper reports.

Two kinds of data live together without double counting. For one indicator, one unit and
one period, **either** detailed records **or** an aggregate entry is authoritative: an
aggregate entry is refused where records of that indicator exist in its unit and period,
and a record is refused where an aggregate entry covers it (see ``work.services``).

Activity dates are inclusive (``start`` .. ``end``) as people write them; an activity
belongs to the period that contains its ``start``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gandan.geo.models import AdminUnit
from gandan.org.models import Team


class ActivityType(models.Model):
    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("loại hoạt động")
        verbose_name_plural = _("loại hoạt động")

    def __str__(self) -> str:
        return self.name


class Movement(models.Model):
    """An emulation movement or campaign (phong trào, cuộc vận động) that activities serve."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=300)

    class Meta:
        ordering = ["name"]
        verbose_name = _("phong trào, cuộc vận động")
        verbose_name_plural = _("phong trào, cuộc vận động")

    def __str__(self) -> str:
        return self.name


PARTNERS = [
    ("cap_uy", _("Cấp ủy")),
    ("chinh_quyen", _("Chính quyền")),
    ("mttq", _("Mặt trận Tổ quốc")),
    ("doan_the", _("Đoàn thể")),
    ("cong_an", _("Công an")),
    ("quan_su", _("Quân sự")),
    ("nganh_chuc_nang", _("Ban, ngành chức năng")),
]


class Activity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        RECORDED = "recorded", _("Đã ghi nhận")

    class Origin(models.TextChoices):
        """How the record arrived: typed on the web, imported from Excel, or sent from the
        field (ODK Collect, KoboCollect, or the browser's offline outbox; see ``field``)."""

        WEB = "web", _("Nhập trên web")
        IMPORT = "import", _("Nhập từ Excel")
        FIELD = "field", _("Gửi từ hiện trường")

    type = models.ForeignKey(
        ActivityType, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="activities"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECORDED
    )
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("Xã (hoặc đơn vị) nơi diễn ra, theo địa giới ngày bắt đầu."),
    )
    start = models.DateField(_("từ ngày"), db_index=True)
    end = models.DateField(_("đến ngày"))
    teams = models.ManyToManyField(
        Team, verbose_name=_("đội"), related_name="activities", blank=True
    )
    villages = models.ManyToManyField(
        AdminUnit, verbose_name=_("thôn, buôn"), related_name="village_activities", blank=True
    )
    movements = models.ManyToManyField(
        Movement, verbose_name=_("phong trào"), related_name="activities", blank=True
    )
    partners = models.JSONField(_("phối hợp với"), default=list, blank=True)
    participants = models.PositiveIntegerField(_("lượt người tham gia"), default=0)
    participants_female = models.PositiveIntegerField(_("trong đó nữ"), null=True, blank=True)
    participants_minority = models.PositiveIntegerField(
        _("trong đó dân tộc thiểu số"), null=True, blank=True
    )
    title = models.CharField(_("nội dung"), max_length=300, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    origin = models.CharField(
        _("nguồn"),
        max_length=16,
        choices=Origin.choices,
        default=Origin.WEB,
        db_default=Origin.WEB,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        indexes = [models.Index(fields=["type", "start"]), models.Index(fields=["unit", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="activity_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(participants_female__isnull=True)
                | Q(participants_female__lte=models.F("participants")),
                name="activity_female_within_total",
            ),
            models.CheckConstraint(
                condition=Q(participants_minority__isnull=True)
                | Q(participants_minority__lte=models.F("participants")),
                name="activity_minority_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} · {self.unit} · {self.start:%d/%m/%Y}"


class ActivityValue(models.Model):
    """An outcome value of an activity for a catalogue indicator (money in integer đồng)."""

    indicator_usage = "giá trị trong bản ghi hoạt động"  # how the catalogue counts these

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="activity_values"
    )
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=3)

    class Meta:
        ordering = ["activity_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "indicator"], name="activityvalue_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="activityvalue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class Work(models.Model):
    """A new-rural work (công trình): a road, bridge, school, cultural house …"""

    class Kind(models.TextChoices):
        ROAD = "road", _("Đường giao thông")
        BRIDGE = "bridge", _("Cầu, cống")
        SCHOOL = "school", _("Trường, lớp học")
        CULTURAL_HOUSE = "cultural_house", _("Nhà văn hóa, nhà sinh hoạt cộng đồng")
        WATER = "water", _("Công trình nước sạch, thủy lợi")
        OTHER = "other", _("Công trình khác")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Chuẩn bị")
        BUILDING = "building", _("Đang thi công")
        DONE = "done", _("Hoàn thành")

    name = models.CharField(_("tên công trình"), max_length=300)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    place = models.ForeignKey(
        AdminUnit, verbose_name=_("địa điểm"), on_delete=models.PROTECT, related_name="works"
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=Status.choices, default=Status.BUILDING
    )
    started_on = models.DateField(_("khởi công"), null=True, blank=True)
    completed_on = models.DateField(_("hoàn thành"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("công trình")
        verbose_name_plural = _("công trình")

    def __str__(self) -> str:
        return self.name


class WorkContribution(models.Model):
    """People's contribution to a work (money, land, labour-days, km, materials), mobilised
    through an activity; counted through the activity's values, never twice."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="contributions")
    activity_value = models.OneToOneField(
        ActivityValue, on_delete=models.CASCADE, related_name="contribution"
    )

    class Meta:
        ordering = ["work_id", "id"]

    def __str__(self) -> str:
        return f"{self.work} ← {self.activity_value}"


class Qualifier(models.TextChoices):
    """How a paper report qualified a figure; meanings and sums in ADR 0013
    (``analytics.quantity``), words in ``core.numbers.QUALIFIER_WORDS``."""

    EXACT = "exact", _("chính xác")
    OVER = "tren", _("trên")
    MORE_THAN = "hon", _("hơn")
    NEARLY = "gan", _("gần")
    ABOUT = "khoang", _("khoảng")
    TENS = "hang_chuc", _("hàng chục")
    HUNDREDS = "hang_tram", _("hàng trăm")
    THOUSANDS = "hang_nghin", _("hàng nghìn")


class AggregateEntry(models.Model):
    """An indicator total for a unit and a period, from a paper report."""

    indicator_usage = "số tổng hợp từ báo cáo giấy"  # how the catalogue counts these

    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="aggregate_entries"
    )
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="aggregates"
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_label = models.CharField(_("kỳ báo cáo (như văn bản ghi)"), max_length=100)
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=3)
    qualifier = models.CharField(
        _("mức độ"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    source_number = models.CharField(_("số văn bản"), max_length=64)
    source_date = models.DateField(_("ngày văn bản"))
    source_title = models.CharField(_("trích yếu"), max_length=300, blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["period_start", "indicator_id", "unit_id"]
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="aggregate_period"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="aggregate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit} {self.period_label}: {self.get_qualifier_display()} {self.value}"


class Attachment(models.Model):
    """A photo or the minutes of an activity. Type and size are checked on upload."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Ảnh")
        MINUTES = "minutes", _("Biên bản")
        OTHER = "other", _("Tài liệu khác")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity_id", "uploaded_at", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class ImportJob(models.Model):
    """An Excel file a user uploaded to import: checked in full first (a dry run that writes
    nothing), then imported when the user confirms. Each stage runs as a background task
    (``task_id``) and reports its progress; see ``work.import_jobs``. Each user has at most one job in flight."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xử lý")
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        REJECTED = "rejected", _("Bị từ chối")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi khi xử lý")

    class Stage(models.TextChoices):
        CHECK = "check", _("Kiểm tra")
        IMPORT = "import", _("Nhập")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("bước"), max_length=16, choices=Stage.choices, default=Stage.CHECK)
    task_id = models.CharField(_("mã việc nền"), max_length=64, blank=True)
    step = models.CharField(_("đang làm"), max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=100)
    report = models.JSONField(_("báo cáo"), default=dict, blank=True)
    rows_created = models.PositiveIntegerField(_("dòng thêm mới"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("dòng không thay đổi"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt nhập Excel")
        verbose_name_plural = _("lượt nhập Excel")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="importjob_one_in_flight_per_user",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="importjob_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def in_flight(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# -- The analytics ledger (ADR 0008) -----------------------------------------------------------
# What every write of an activity record changed in the figures, under each unit of the
# record's chain on its day (its place, ``own``, and every unit above it). Written in the same
# transaction as the record, insert-only: writers never update a shared row, so they never
# wait for one another and never deadlock. ``analytics.facts`` folds the rows into per-year
# and per-half-month facts in the background and deletes them; until then the engine reads
# them beside the facts, in the same statement.


class LedgerActivity(models.Model):
    id = models.BigAutoField(primary_key=True)
    unit_id = models.IntegerField()
    own = models.BooleanField()
    day = models.DateField()
    type_id = models.IntegerField()
    n = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    female = models.BigIntegerField(default=0)
    female_n = models.IntegerField(default=0)
    minority = models.BigIntegerField(default=0)
    minority_n = models.IntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["day"], name="ledgeractivity_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.type_id}: {self.n:+d}"


class LedgerValue(models.Model):
    id = models.BigAutoField(primary_key=True)
    unit_id = models.IntegerField()
    own = models.BooleanField()
    day = models.DateField()
    type_id = models.IntegerField()
    indicator_id = models.IntegerField()
    total = models.DecimalField(max_digits=28, decimal_places=3, default=0)
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["day"], name="ledgervalue_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.indicator_id}: {self.total}"


class LedgerPlace(models.Model):
    """A place reached: a village (kind "v") or the recording unit itself (kind "p")."""

    id = models.BigAutoField(primary_key=True)
    unit_id = models.IntegerField()
    own = models.BooleanField()
    day = models.DateField()
    type_id = models.IntegerField()
    kind = models.CharField(max_length=1)
    place_id = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["day"], name="ledgerplace_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.kind}{self.place_id}: {self.n:+d}"


class LedgerState(models.Model):
    """The boundary tree the ledger's chains follow (``geo.tree``, serialised): records are
    placed with it until ``analytics.facts.facts_rekey`` moves everything to a newer tree."""

    key = models.CharField(max_length=16, unique=True, default="main")
    fingerprint = models.CharField(max_length=100)
    tree = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.fingerprint}"
