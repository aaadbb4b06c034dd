"""The audit page: administrators read (and export) the log of their jurisdiction."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gandan.accounts.access import require_account_manager, user_of
from gandan.accounts.selectors import AuditFilter, audit_actions, audit_entries_for
from gandan.core.dates import parse_date
from gandan.core.errors import DomainError
from gandan.core.exporters import Exporter, Sheet, Style, Styled
from gandan.core.models import AuditEntry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 100_000
WHEN = Style(number_format="dd/mm/yyyy hh:mm:ss")
HEADER = Style(bold=True, fill="EEF1F5")


def _filter(request: HttpRequest) -> tuple[AuditFilter, list[str]]:
    errors: list[str] = []
    dates: dict[str, Any] = {}
    for name in ("date_from", "date_to"):
        raw = request.GET.get(name, "").strip()
        dates[name] = None
        if raw:
            try:
                dates[name] = parse_date(raw, field=name)
            except DomainError as error:
                errors.append(error.message)
    chosen = AuditFilter(
        actor=request.GET.get("actor", "")[:150],
        action=request.GET.get("action", "")[:64],
        target=request.GET.get("target", "")[:130],
        **dates,
    )
    return chosen, errors


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    viewer = user_of(request)
    require_account_manager(viewer)
    chosen, errors = _filter(request)
    rows = audit_entries_for(viewer, chosen)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "chosen": chosen,
        "errors": errors,
        "actions": audit_actions(),
        "query": _without_page(request),
    }
    return render(request, "accounts/audit.html", context, status=400 if errors else 200)


class AuditExporter(Exporter):
    filename = "nhat-ky.xlsx"

    def __init__(self, rows: QuerySet[AuditEntry]) -> None:
        self.rows = rows

    def _rows(self) -> Iterable[list[object]]:
        heads = ["Thời điểm", "Người thực hiện", "Hành động", "Loại đối tượng", "Mã đối tượng"]
        yield [Styled(head, HEADER) for head in [*heads, "Nội dung"]]
        for entry in self.rows[:EXPORT_LIMIT].iterator():
            when = timezone.localtime(entry.created_at).replace(tzinfo=None)
            yield [
                Styled(when, WHEN),
                entry.actor_username,
                entry.action,
                entry.target_type,
                entry.target_id,
                entry.message,
            ]

    def sheets(self) -> Iterable[Sheet]:
        widths = {1: 20, 2: 18, 3: 22, 4: 18, 5: 12, 6: 80}
        yield Sheet(title="Nhật ký", rows=self._rows(), widths=widths, freeze="A2")


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    viewer = user_of(request)
    require_account_manager(viewer)
    chosen, errors = _filter(request)
    if errors:
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    exporter = AuditExporter(audit_entries_for(viewer, chosen))
    response = HttpResponse(exporter.xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename}"'
    return response
