from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "gandan.work"
    label = "work"
    verbose_name = _("Hoạt động của Đội")
