"""A report as a file to download, for the pages and the API alike."""

from django.http import Http404, HttpResponse
from django.utils.text import slugify

from gandan.core.text import fold
from gandan.reports.documents import RENDERERS, build_document
from gandan.reports.models import Report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_filename(report: Report, fmt: str) -> str:
    """An ASCII file name: bao-cao-yearly-2019-yang-tao.docx."""
    period = slugify(report.period_code.replace("..", "-den-"))
    return f"bao-cao-{report.regime.code}-{period}-{slugify(fold(report.unit.name))}.{fmt}"


def export_response(report: Report, fmt: str) -> HttpResponse:
    if fmt not in RENDERERS:
        raise Http404("Không có định dạng này.")
    data = RENDERERS[fmt](build_document(report))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(report, fmt)}"'
    return response
