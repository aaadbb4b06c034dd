from django.urls import path

from gandan.analytics import views

app_name = "analytics"

urlpatterns = [
    path("analytics/pivot/", views.pivot_page, name="pivot"),
    path("analytics/pivot/results/", views.pivot_results, name="pivot-results"),
    path("analytics/pivot/sources/", views.pivot_sources, name="pivot-sources"),
    path("analytics/pivot.xlsx", views.pivot_export, name="pivot-export"),
    path("analytics/dashboard/", views.dashboard_page, name="dashboard"),
    path("analytics/dashboard/results/", views.dashboard_results, name="dashboard-results"),
]
