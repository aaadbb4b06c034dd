from django.urls import path

from gandan.field import offline_views, setup_views, views

app_name = "field"

# Collect's "Server URL" is …/field: it appends /formList and /submission (no slash).
urlpatterns = [
    path("field/formList", views.form_list, name="form-list"),
    path("field/submission", views.submission, name="submission"),
    path("field/forms/<slug:form_id>/form.xml", views.form_download, name="form-download"),
    path("field/forms/<slug:form_id>/manifest", views.form_manifest, name="form-manifest"),
    path("field/forms/<slug:form_id>/media/<str:filename>", views.form_media, name="form-media"),
    path("field/", setup_views.field_setup, name="setup"),
    path("field/devices/<int:pk>/revoke/", setup_views.device_revoke, name="device-revoke"),
    path("field/offline/", offline_views.offline_entry, name="offline"),
    path("field/offline/forms/<slug:form_id>.xml", offline_views.offline_form, name="offline-form"),
    path("field/offline/villages.csv", offline_views.offline_villages, name="offline-villages"),
    path("field/outbox/", offline_views.outbox_submit, name="outbox-submit"),
    path("sw.js", offline_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline_views.web_manifest, name="web-manifest"),
]
