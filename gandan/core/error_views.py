"""The 500 page with the menu: Django's default renders it without the request's context."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.render_to_string("500.html", request=request)
    except Exception:  # the error may come from the context itself: a page without the menu
        body = loader.render_to_string("500.html")
    return HttpResponseServerError(body)
