from django.contrib import admin

from gandan.core.models import LegalDocument
from gandan.geo.models import AdminUnit, DatasetLoad, Succession, UnitChange, UnitVersion


class UnitVersionInline(admin.TabularInline[UnitVersion, AdminUnit]):
    model = UnitVersion
    fk_name = "unit"
    extra = 0
    fields = ("name", "kind", "parent", "valid_from", "valid_to", "change")
    raw_id_fields = ("parent", "change")


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
    list_display = ("name", "kind", "code", "level", "valid_from", "valid_to")
    list_filter = ("level", "kind", "valid_to")
    search_fields = ("name", "search_name", "code")
    inlines = [UnitVersionInline]
    readonly_fields = ("search_name", "sort_key")


class SuccessionInline(admin.TabularInline[Succession, UnitChange]):
    model = Succession
    extra = 0
    raw_id_fields = ("predecessor", "successor")


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin[UnitChange]):
    list_display = ("subject", "type", "effective_on", "legal_basis")
    list_filter = ("type", "effective_on")
    raw_id_fields = ("subject",)
    inlines = [SuccessionInline]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin[LegalDocument]):
    list_display = ("number", "issued_on", "issuer", "title")
    search_fields = ("number", "title")


admin.site.register(DatasetLoad)
