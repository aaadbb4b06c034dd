from django.urls import path, register_converter

from gandan.reports import action_views, render_views, views


class ExportFormat:
    regex = "docx|xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export_format")

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/results/", views.report_results, name="report-results"),
    path("reports/new/", views.report_create, name="report-create"),
    path("reports/completeness/", views.completeness_page, name="completeness"),
    path(
        "reports/completeness/remind/",
        action_views.completeness_remind,
        name="completeness-remind",
    ),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/sections/", action_views.report_sections, name="report-sections"),
    path("reports/<int:pk>/adjust/", action_views.report_adjust, name="report-adjust"),
    path("reports/<int:pk>/submit/", action_views.report_submit, name="report-submit"),
    path("reports/<int:pk>/return/", action_views.report_return, name="report-return"),
    path("reports/<int:pk>/approve/", action_views.report_approve, name="report-approve"),
    path("reports/<int:pk>/unapprove/", action_views.report_unapprove, name="report-unapprove"),
    path(
        "reports/<int:pk>/export.<export_format:fmt>",
        action_views.report_export,
        name="report-export",
    ),
    path(
        "reports/<int:pk>/export.<export_format:fmt>/background/",
        render_views.render_start,
        name="render-start",
    ),
    path("reports/renders/<uuid:task_id>/", render_views.render_page, name="render"),
    path(
        "reports/renders/<uuid:task_id>/download/",
        render_views.render_download,
        name="render-download",
    ),
]
