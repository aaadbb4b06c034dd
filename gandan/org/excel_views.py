"""Roster import and export in Excel. Parse → access → service → render or download."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write
from gandan.accounts.types import AuthenticatedHttpRequest
from gandan.core.dates import parse_date, today
from gandan.core.errors import DomainError
from gandan.org import excel
from gandan.org.excel_sheet import MAX_BYTES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def roster_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_write(request.user)
    context: dict[str, Any] = {"max_mb": MAX_BYTES // (1024 * 1024), "dry_run": True}
    if request.method == "POST":
        upload = request.FILES.get("file")
        context["dry_run"] = dry_run = bool(request.POST.get("dry_run"))
        if upload is None:
            context["problem"] = _("Chọn tệp Excel (.xlsx) để nhập.")
        elif not (upload.name or "").lower().endswith(".xlsx"):
            context["problem"] = _("Chỉ nhận tệp Excel .xlsx; hãy điền vào tệp mẫu.")
        elif (upload.size or 0) > MAX_BYTES:
            context["problem"] = _("Tệp lớn hơn %(mb)s MB.") % {"mb": context["max_mb"]}
        else:
            result = excel.roster_import(actor=request.user, data=upload.read(), dry_run=dry_run)
            context["result"] = result
            if not result.ok:
                context["problem"] = _("Tệp bị từ chối: không có gì được ghi.")
    status = 400 if context.get("problem") else 200
    return render(request, "org/roster_import.html", context, status=status)


@login_required
def roster_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _download(excel.roster_template(), "mau-danh-sach-doi-cong-tac.xlsx")


@login_required
def roster_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        on = parse_date(request.GET.get("on"), field="on", default=today())
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    unit = access_unit(request.user, request.GET.get("unit", ""), on=on)
    data = excel.roster_export(actor=request.user, unit=unit, on=on)
    return _download(data, f"danh-sach-doi-cong-tac-{unit.code or unit.pk}-{on:%Y-%m-%d}.xlsx")
