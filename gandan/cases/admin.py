from django.contrib import admin

from gandan.cases.models import CaseKind


@admin.register(CaseKind)
class CaseKindAdmin(admin.ModelAdmin[CaseKind]):
    """Case kinds and deadlines are data. Cases and contacts are not in the admin: they are
    reached only through the access rules, so each view of a contact is logged."""

    list_display = ("code", "name", "deadline_days")
