from django.contrib import admin
from django.urls import include, path

from gandan.api.urls import api
from gandan.core.health import healthz, readyz

admin.site.site_header = "Gần Dân · Quản trị"
admin.site.site_title = "Gần Dân"

handler500 = "gandan.core.error_views.server_error"

urlpatterns = [
    path("", include("gandan.home.urls")),
    path("", include("gandan.notify.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("accounts/", include("gandan.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("gandan.accounts.unit_urls")),
    path("", include("gandan.org.urls")),
    path("", include("gandan.analytics.urls")),
    path("", include("gandan.indicators.catalogue_urls")),
    path("", include("gandan.work.urls")),
    path("", include("gandan.reports.urls")),
    path("", include("gandan.cases.urls")),
    path("", include("gandan.field.urls")),
]
