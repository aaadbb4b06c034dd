"""Placeholder: replaced by the real views."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404("Chưa có.")


team_list = _todo
team_results = _todo
team_detail = _todo
membership_create = _todo
member_detail = _todo
member_edit = _todo
headcount_page = _todo
award_list = _todo
award_results = _todo
award_create = _todo
