"""Placeholder: replaced by the real views."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404("Chưa có.")


roster_import = _todo
roster_template = _todo
roster_export = _todo
