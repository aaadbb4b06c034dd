"""Administrative units through time.

A unit (``AdminUnit``) is an identity that lives from ``valid_from`` to ``valid_to``.
Its name, kind and parent can change during that life; each stretch is a ``UnitVersion``.
Changes between units (merge, split, …) are ``UnitChange`` events whose ``Succession`` rows
say which unit's territory went where, with shares.

All periods are half-open: a unit or version is valid on day D when
``valid_from <= D < valid_to``. ``valid_to`` is the first day it no longer exists, i.e. the
effective date of the change that ended it. ``valid_from`` NULL means "before records begin";
``valid_to`` NULL means "still valid".
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gandan.core.models import LegalDocument


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    VILLAGE = "village", _("Thôn, buôn, tổ dân phố")


LEVEL_DEPTH = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2, Level.VILLAGE: 3}


class Kind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố")
    QUAN = "quan", _("Quận")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    THON = "thon", _("Thôn")
    BUON = "buon", _("Buôn")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    BON = "bon", _("Bon")
    PLEI = "plei", _("Plei")
    LANG = "lang", _("Làng")


KIND_LEVEL: dict[str, str] = {
    Kind.TINH: Level.PROVINCE,
    Kind.THANH_PHO_TW: Level.PROVINCE,
    Kind.HUYEN: Level.DISTRICT,
    Kind.THI_XA: Level.DISTRICT,
    Kind.THANH_PHO: Level.DISTRICT,
    Kind.QUAN: Level.DISTRICT,
    Kind.XA: Level.COMMUNE,
    Kind.PHUONG: Level.COMMUNE,
    Kind.THI_TRAN: Level.COMMUNE,
    Kind.DAC_KHU: Level.COMMUNE,
    Kind.THON: Level.VILLAGE,
    Kind.BUON: Level.VILLAGE,
    Kind.TO_DAN_PHO: Level.VILLAGE,
    Kind.BON: Level.VILLAGE,
    Kind.PLEI: Level.VILLAGE,
    Kind.LANG: Level.VILLAGE,
}

# Official names keep their Vietnamese prefix in every UI language: "Xã Ea Kao".
KIND_PREFIX: dict[str, str] = {
    "tinh": "Tỉnh",
    "thanh_pho_tw": "Thành phố",
    "huyen": "Huyện",
    "thi_xa": "Thị xã",
    "thanh_pho": "Thành phố",
    "quan": "Quận",
    "xa": "Xã",
    "phuong": "Phường",
    "thi_tran": "Thị trấn",
    "dac_khu": "Đặc khu",
    "thon": "Thôn",
    "buon": "Buôn",
    "to_dan_pho": "Tổ dân phố",
    "bon": "Bon",
    "plei": "Plei",
    "lang": "Làng",
}

VILLAGE_KINDS = [k for k, level in KIND_LEVEL.items() if level == Level.VILLAGE]


def valid_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows whose half-open period [valid_from, valid_to) contains ``on``."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


class AdminUnit(models.Model):
    """The identity of a province, district, commune or village across all its versions."""

    code = models.CharField(_("mã đơn vị"), max_length=16, blank=True, db_index=True)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    # Current (latest) name and kind, denormalised from the last version for lists and search.
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=200, blank=True)

    class Meta:
        ordering = ["level", "sort_key", "id"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="adminunit_period_positive",
            ),
            models.UniqueConstraint(
                fields=["code", "level", "valid_from"],
                condition=~Q(code=""),
                name="adminunit_unique_code_start",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{KIND_PREFIX[self.kind]} {self.name}"

    def is_valid_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on < self.valid_to
        )


class UnitChange(models.Model):
    """An event that changed units, with its legal basis."""

    class Type(models.TextChoices):
        ESTABLISH = "establish", _("Thành lập")
        RENAME = "rename", _("Đổi tên")
        REPARENT = "reparent", _("Điều chỉnh trực thuộc")
        MERGE = "merge", _("Nhập vào")
        SPLIT = "split", _("Chia tách")
        ABOLISH = "abolish", _("Giải thể, kết thúc hoạt động")
        BOUNDARY = "boundary", _("Điều chỉnh địa giới")

    type = models.CharField(_("loại thay đổi"), max_length=16, choices=Type.choices)
    effective_on = models.DateField(_("ngày hiệu lực"), db_index=True)
    legal_basis = models.ForeignKey(
        LegalDocument,
        verbose_name=_("căn cứ pháp lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_changes",
    )
    subject = models.ForeignKey(
        AdminUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("thay đổi đơn vị hành chính")
        verbose_name_plural = _("thay đổi đơn vị hành chính")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.subject.name} ({self.effective_on:%d/%m/%Y})"


class Succession(models.Model):
    """Territory of ``predecessor`` that went to ``successor`` through a change.

    A merge has one row with share 1. A split has one row per part, with the area and
    population that went there; exactly one row is the default successor.
    """

    change = models.ForeignKey(UnitChange, on_delete=models.CASCADE, related_name="successions")
    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions_out"
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions_in"
    )
    area_km2 = models.DecimalField(
        _("diện tích chuyển (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("dân số chuyển"), null=True, blank=True)
    share = models.DecimalField(
        _("tỷ lệ phân bổ"), max_digits=7, decimal_places=6, null=True, blank=True
    )
    is_default = models.BooleanField(_("đơn vị kế thừa mặc định"), default=False)

    class Meta:
        ordering = ["change__effective_on", "id"]
        verbose_name = _("kế thừa")
        verbose_name_plural = _("kế thừa")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "predecessor", "successor"], name="succession_unique"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gte=0) & Q(share__lte=1)),
                name="succession_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name}"


class UnitVersion(models.Model):
    """One stretch of a unit's life with a fixed name, kind and parent."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        AdminUnit,
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_versions",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    change = models.ForeignKey(
        UnitChange,
        verbose_name=_("do thay đổi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        ordering = ["unit_id", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("giai đoạn đơn vị")
        verbose_name_plural = _("giai đoạn đơn vị")
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{KIND_PREFIX[self.kind]} {self.name}"


class DatasetLoad(models.Model):
    """A bookmark that a reference dataset was loaded, so loading again is a no-op."""

    key = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=200)
    loaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["key"]
        verbose_name = _("lần nạp dữ liệu")
        verbose_name_plural = _("lần nạp dữ liệu")

    def __str__(self) -> str:
        return self.key


class TreeRevision(models.Model):
    """Counters that database triggers raise. Row 1: every write to a province, district or
    commune, its versions, its changes or its successions (never for villages), so that
    "has the boundary tree changed?" costs one row read (``geo.tree.geo_fingerprint``).
    Row 2: the same for every unit, villages included (``geo.tree.places_fingerprint``)."""

    revision = models.BigIntegerField(default=0)
    epoch = models.BigIntegerField(default=0)  # random, drawn again on every bump (0003)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.revision)
