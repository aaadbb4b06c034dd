from django.urls import path

from gandan.indicators import catalogue_views as views

app_name = "catalogue"

urlpatterns = [
    path("indicators/", views.catalogue_list, name="indicator-list"),
    path("indicators/results/", views.catalogue_results, name="indicator-results"),
    path("indicators/new/", views.indicator_create, name="indicator-create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/retire/", views.indicator_retire, name="indicator-retire"),
    path("indicators/<int:pk>/restore/", views.indicator_restore, name="indicator-restore"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
]
