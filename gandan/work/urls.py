from django.urls import path

from gandan.work import aggregate_views, entry_views, views, work_views

app_name = "work"

urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/results/", views.activity_results, name="activity-results"),
    path("activities/new/", entry_views.activity_create, name="activity-create"),
    path("activities/check/", entry_views.activity_check, name="activity-check"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", entry_views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("activities/<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path(
        "activities/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("villages/options/", entry_views.village_options, name="village-options"),
    path("aggregates/", aggregate_views.aggregate_list, name="aggregate-list"),
    path("aggregates/new/", aggregate_views.aggregate_create, name="aggregate-create"),
    path("works/", work_views.work_list, name="work-list"),
    path("works/new/", work_views.work_create, name="work-create"),
]
