from typing import Generic, TypeVar

from django.contrib import admin

from gandan.field.models import DevicePassword, FormVersion, Submission

M = TypeVar("M", DevicePassword, FormVersion, Submission)


class ReadOnly(admin.ModelAdmin[M], Generic[M]):
    """Read-only here: device passwords are made and revoked on the user's field page,
    versions and submissions by the OpenRosa server, each audited."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(DevicePassword)
class DevicePasswordAdmin(ReadOnly[DevicePassword]):
    list_display = ("label", "user", "created_at", "revoked_at")
    exclude = ("digest",)


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnly[FormVersion]):
    list_display = ("activity_type", "version", "created_at")


@admin.register(Submission)
class SubmissionAdmin(ReadOnly[Submission]):
    list_display = (
        "instance_id",
        "activity",
        "user",
        "channel",
        "form_id",
        "form_version",
        "received_at",
    )
    list_filter = ("channel", "form_id")
