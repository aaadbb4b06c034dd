from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gandan.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
