from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (cookie set by ``set_language``).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: officials'
    machines are often set to English, and the UI must still open in Vietnamese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Pages for a signed-in user are never kept by the browser or a proxy: after signing
    out on a shared office computer, Back must not show them again. Static files and
    responses that chose their own caching keep it; so does the offline entry page, which
    the field service worker keeps for use without a connection (GANDAN_NO_STORE_EXEMPT)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.exempt = tuple(settings.GANDAN_NO_STORE_EXEMPT)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "Cache-Control" not in response
            and not request.path.startswith(self.exempt)
        ):
            response["Cache-Control"] = "no-store, private"
        return response


NUL_REFUSED = "Địa chỉ yêu cầu chứa ký tự NUL (\\x00): không hợp lệ."


class RefuseNulMiddleware:
    """A NUL in the path or the query string is refused with 400 before any view runs.

    PostgreSQL cannot hold NUL in text, so such a value would reach a query and fail as a
    server error; SQLite would quietly accept it. One check here covers every page. The API
    is left to its own input types (``api.inputs.Text``), which answer 422 naming the field
    (issue 13, item 6)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
