from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One human-readable line per write or sensitive read. Append-only."""

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    # Not a foreign key: the log outlives accounts and keeps core free of migration cycles.
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True)
    actor_username = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    message = models.TextField(_("nội dung"))
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.message}"


class LegalDocument(models.Model):
    """A legal basis: a resolution, decision or notice, e.g. "1193/NQ-UBTVQH15"."""

    number = models.CharField(_("số, ký hiệu"), max_length=64)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    note = models.TextField(_("ghi chú, nguồn"), blank=True)

    class Meta:
        ordering = ["issued_on", "number"]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_on"], name="legaldoc_unique_number_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ngày {self.issued_on.day:02d}-{self.issued_on.month}-{self.issued_on.year}"


class WorkerBeat(models.Model):
    """A task worker's sign of life (``gandan worker``), so that a task left "running" by a
    worker that died is found and retried or failed (``core.queue.tasks_recover``)."""

    worker_id = models.CharField(_("mã tiến trình"), max_length=64, primary_key=True)
    host = models.CharField(_("máy"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("số tiến trình"), default=0)
    started_at = models.DateTimeField(_("bắt đầu"))
    seen_at = models.DateTimeField(_("lần cuối thấy"))

    class Meta:
        ordering = ["worker_id"]
        verbose_name = _("tiến trình chạy nền")
        verbose_name_plural = _("tiến trình chạy nền")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class PeriodicRun(models.Model):
    """When a periodic task (``settings.GANDAN_PERIODIC_TASKS``) is next due. Moved forward
    with a guarded UPDATE, so that of several workers exactly one enqueues each run."""

    name = models.CharField(_("tên"), max_length=64, primary_key=True)
    next_at = models.DateTimeField(_("lần chạy tới"))
    last_enqueued_at = models.DateTimeField(_("lần đưa vào hàng đợi gần nhất"), null=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("việc định kỳ")
        verbose_name_plural = _("việc định kỳ")

    def __str__(self) -> str:
        return f"{self.name}: {self.next_at:%Y-%m-%d %H:%M}"
