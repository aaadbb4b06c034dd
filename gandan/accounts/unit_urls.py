from django.urls import path

from gandan.accounts import unit_views as views

# The unit browser and the village pages: geo's pages, here because they reach units only
# through the jurisdiction (accounts.access), which sits above geo. Their names stay "geo:…".
app_name = "geo"

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/results/", views.unit_results, name="unit-results"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit-children"),
    path("villages/new/", views.village_create, name="village-create"),
    path("villages/<int:pk>/edit/", views.village_edit, name="village-edit"),
]
