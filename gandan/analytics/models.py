"""Derived analytics tables (ADR 0008): the facts the engine reads for whole periods.

Per unit of the records' chains (the place itself, ``own``, and every unit above it on the
record's day) and per bucket of time: calendar years (grain "Y"), quarters ("Q"), months
("M") and half-months ("H": the 1st to the 14th, the 15th to the month's end). A period is
read as the fewest whole buckets that make it up: a half-year is two quarters, and a Decree
09 period (15th → 14th) starts and ends with half-months. ``analytics.facts``
fills them from the ledger the write services keep (``work.ledger``) and rebuilds them from
the records. There are two copies of each table, "a" and "b": a rebuild fills the one not
in use and switches to it in the same transaction (``FactState.current``), so nothing stops.

Nothing here cannot be rebuilt from the records (``gandan analytics rebuild``).
"""

from django.db import models
from django.db.models import Q

GRAINS = (("Y", "năm"), ("Q", "quý"), ("M", "tháng"), ("H", "nửa tháng"))
GRAIN_CODES = tuple(code for code, _label in GRAINS)  # coarsest first


class ActivityFactBase(models.Model):
    unit_id = models.IntegerField()
    own = models.BooleanField()
    grain = models.CharField(max_length=1, choices=GRAINS)
    bucket = models.DateField()
    type_id = models.IntegerField()
    n = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    female = models.BigIntegerField(default=0)
    female_n = models.IntegerField(default=0)
    minority = models.BigIntegerField(default=0)
    minority_n = models.IntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["unit_id", "grain", "bucket", "type_id", "own"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.grain}{self.bucket} {self.type_id}: {self.n}"


class ValueFactBase(models.Model):
    unit_id = models.IntegerField()
    own = models.BooleanField()
    grain = models.CharField(max_length=1, choices=GRAINS)
    bucket = models.DateField()
    type_id = models.IntegerField()
    indicator_id = models.IntegerField()
    total = models.DecimalField(max_digits=28, decimal_places=3, default=0)
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["unit_id", "grain", "bucket", "indicator_id", "type_id", "own"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.grain}{self.bucket} {self.indicator_id}: {self.total}"


class PlaceFactBase(models.Model):
    """A place reached: a village (kind "v") or the recording unit itself (kind "p"), with
    how many records reached it (0: no longer reached)."""

    unit_id = models.IntegerField()
    own = models.BooleanField()
    grain = models.CharField(max_length=1, choices=GRAINS)
    bucket = models.DateField()
    type_id = models.IntegerField()
    kind = models.CharField(max_length=1)
    place_id = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["unit_id", "grain", "bucket", "type_id", "kind", "place_id", "own"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.grain}{self.bucket} {self.kind}{self.place_id}"


class ActivityFactA(ActivityFactBase):
    class Meta(ActivityFactBase.Meta):
        db_table = "analytics_activityfact_a"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "grain", "bucket", "type_id", "own"], name="activityfact_a_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit_id", "grain", "bucket"],
                condition=Q(own=True),
                name="activityfact_a_own",
            )
        ]


class ActivityFactB(ActivityFactBase):
    class Meta(ActivityFactBase.Meta):
        db_table = "analytics_activityfact_b"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "grain", "bucket", "type_id", "own"], name="activityfact_b_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit_id", "grain", "bucket"],
                condition=Q(own=True),
                name="activityfact_b_own",
            )
        ]


class ValueFactA(ValueFactBase):
    class Meta(ValueFactBase.Meta):
        db_table = "analytics_valuefact_a"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "grain", "bucket", "indicator_id", "type_id", "own"],
                name="valuefact_a_key",
            )
        ]


class ValueFactB(ValueFactBase):
    class Meta(ValueFactBase.Meta):
        db_table = "analytics_valuefact_b"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "grain", "bucket", "indicator_id", "type_id", "own"],
                name="valuefact_b_key",
            )
        ]


class PlaceFactA(PlaceFactBase):
    class Meta(PlaceFactBase.Meta):
        db_table = "analytics_placefact_a"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "grain", "bucket", "type_id", "kind", "place_id", "own"],
                name="placefact_a_key",
            )
        ]


class PlaceFactB(PlaceFactBase):
    class Meta(PlaceFactBase.Meta):
        db_table = "analytics_placefact_b"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_id", "grain", "bucket", "type_id", "kind", "place_id", "own"],
                name="placefact_b_key",
            )
        ]


class FactState(models.Model):
    """Which copy of the fact tables is in use, and whether the facts (with the ledger)
    hold every record: false only between a migration onto existing records and the first
    rebuild; the engine then reads the records."""

    key = models.CharField(max_length=16, unique=True, default="main")
    current = models.CharField(max_length=1, default="a")
    built = models.BooleanField(default=False)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.current} {'built' if self.built else 'not built'}"
