from collections.abc import Sequence

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gandan.reports"
    label = "reports"
    verbose_name = _("Báo cáo")

    def indicator_references(self, codes: Sequence[str]) -> dict[str, list[str]]:
        """Where reports name these indicator codes (snapshots, adjustments, regimes): the
        catalogue (``indicators.usage``) asks every installed app for this method."""
        from gandan.reports.selectors import indicator_references

        return indicator_references(codes)
