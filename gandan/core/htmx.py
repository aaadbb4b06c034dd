"""htmx helpers shared by the pages of every app."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import push_url


def render_page_or_partial(
    request: HttpRequest,
    page: str,
    partial: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """htmx requests get the fragment only; the full page includes the same partial."""
    template = partial if getattr(request, "htmx", False) else page
    return render(request, template, context, status=status)


def push_list_url(request: HttpRequest, response: HttpResponse, name: str) -> HttpResponse:
    """An htmx fragment request puts the full page's address, with its filters, in history."""
    if getattr(request, "htmx", False):
        query = request.GET.urlencode()
        push_url(response, reverse(name) + (f"?{query}" if query else ""))
    return response
