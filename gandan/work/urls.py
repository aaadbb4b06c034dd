from django.urls import path

from gandan.work import aggregate_views, entry_views, import_views, views, work_views

app_name = "work"

urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/results/", views.activity_results, name="activity-results"),
    path("activities/export.xlsx", views.activity_export, name="activity-export"),
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
    path("activities/import/", import_views.import_upload, name="import"),
    path("activities/import/template/", import_views.import_template, name="import-template"),
    path("activities/import/<int:pk>/", import_views.import_job, name="import-job"),
    path(
        "activities/import/<int:pk>/progress/",
        import_views.import_job_progress,
        name="import-job-progress",
    ),
    path(
        "activities/import/<int:pk>/confirm/",
        import_views.import_job_confirm,
        name="import-job-confirm",
    ),
    path("villages/options/", entry_views.village_options, name="village-options"),
    path("aggregates/", aggregate_views.aggregate_list, name="aggregate-list"),
    path("aggregates/new/", aggregate_views.aggregate_create, name="aggregate-create"),
    path("aggregates/<int:pk>/", aggregate_views.aggregate_detail, name="aggregate-detail"),
    path("aggregates/<int:pk>/edit/", aggregate_views.aggregate_edit, name="aggregate-edit"),
    path("aggregates/<int:pk>/delete/", aggregate_views.aggregate_delete, name="aggregate-delete"),
    path("works/", work_views.work_list, name="work-list"),
    path("works/new/", work_views.work_create, name="work-create"),
    path("works/<int:pk>/", work_views.work_detail, name="work-detail"),
    path("works/<int:pk>/edit/", work_views.work_edit, name="work-edit"),
    path("works/<int:pk>/delete/", work_views.work_delete, name="work-delete"),
]
