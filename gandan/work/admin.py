from django.contrib import admin

from gandan.work.models import Activity, ActivityType, AggregateEntry, Movement, Work


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin[ActivityType]):
    list_display = ("code", "name", "position")


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin[Movement]):
    list_display = ("code", "name")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    """Read-only here: records are written through the data-entry pages and imports, which
    check jurisdiction and the records-versus-totals rule."""

    list_display = ("type", "unit", "start", "participants", "status")
    list_filter = ("type", "status")
    date_hierarchy = "start"

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # deleting goes through work.services, which keeps the analytics ledger


@admin.register(AggregateEntry)
class AggregateEntryAdmin(admin.ModelAdmin[AggregateEntry]):
    list_display = ("indicator", "unit", "period_label", "qualifier", "value", "source_number")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


admin.site.register(Work)
