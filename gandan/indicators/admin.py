from django.contrib import admin

from gandan.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ("code", "name_vi", "unit", "group", "aggregation", "source", "position")
    list_filter = ("group", "aggregation", "source")
    search_fields = ("code", "name_vi", "name_en")
