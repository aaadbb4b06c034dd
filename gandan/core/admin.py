from django.contrib import admin
from django.http import HttpRequest

from gandan.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the log is append-only, written by the services and nowhere else."""

    list_display = ("created_at", "actor_username", "action", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("actor_username", "message", "target_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
