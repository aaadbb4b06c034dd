from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gandan.api"
    label = "api"
    verbose_name = "API"
