"""The catalogue in the Django admin is read-only: it is managed on the catalogue pages
(``/indicators/``), through ``indicators.services``, whose rules (unique names, codes fixed
once used, retire instead of delete) and Vietnamese messages the admin would bypass."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gandan.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ("code", "name_vi", "unit", "group", "aggregation", "source", "retired_on")
    list_filter = ("group", "aggregation", "source")
    search_fields = ("code", "name_vi", "name_en")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
