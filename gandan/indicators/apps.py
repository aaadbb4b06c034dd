from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "gandan.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu")

    def ready(self) -> None:
        from gandan.indicators.rollup import rollup_hook
        from gandan.work.hooks import register

        register(rollup_hook)
