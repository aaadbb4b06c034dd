from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "gandan.cases"
    label = "cases"
    verbose_name = _("Vụ việc ở cơ sở, kiểm tra")
