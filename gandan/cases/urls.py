from django.urls import path

from gandan.cases import action_views, aspiration_views, inspection_views, views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_queue, name="case-queue"),
    path("cases/results/", views.case_results, name="case-results"),
    path("cases/export.xlsx", views.case_export, name="case-export"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/places/", views.place_fields, name="place-fields"),
    path("cases/subjects/", action_views.subject_requests, name="subject-requests"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/contacts/", views.case_contacts, name="case-contacts"),
    path(
        "cases/<int:pk>/<slug:action>/",
        action_views.case_act,
        name="case-act",
    ),
    path("aspirations/", aspiration_views.aspiration_list, name="aspiration-list"),
    path("aspirations/results/", aspiration_views.aspiration_results, name="aspiration-results"),
    path("aspirations/new/", aspiration_views.aspiration_create, name="aspiration-create"),
    path("inspections/", inspection_views.inspection_list, name="inspection-list"),
    path("inspections/new/", inspection_views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection-detail"),
    path(
        "inspections/<int:pk>/result/",
        inspection_views.inspection_result,
        name="inspection-result",
    ),
    path(
        "inspections/<int:pk>/follow-ups/<int:follow_up_pk>/done/",
        inspection_views.follow_up_done,
        name="follow-up-done",
    ),
]
