"""What the production server runs around Django (``gandan.wsgi``, ADR 0010): a request-size
limit that answers before a byte of the body is read, and WhiteNoise for static files.

Neither gunicorn nor granian has a limit on the body's size (nginx's ``client_max_body_size``
would be one; the project does not require a proxy), and Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves out file uploads, which it streams to a temporary file
whatever their size. So the limit lives here, on the declared ``Content-Length``: a larger
request is answered 413 and its connection closed, the body never read. A request without a
length (chunked) is read by Django as empty, so it cannot carry a large body past this.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from whitenoise import WhiteNoise

# WSGI types, as far as this module needs them.
Environ = dict[str, Any]
StartResponse = Any
WSGIApp = Any

TOO_LARGE = "413 Content Too Large"
BAD_LENGTH = "400 Bad Request"


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ],
    )
    return [body]


class RequestSizeLimit:
    """Refuses a request whose declared body is over ``limit`` bytes, without reading it."""

    def __init__(self, app: WSGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        raw = (environ.get("CONTENT_LENGTH") or "").strip()
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                return _plain(
                    start_response, BAD_LENGTH, "Độ dài nội dung (Content-Length) không hợp lệ.\n"
                )
            if int(raw) > self.limit:
                megabytes = self.limit // (1024 * 1024)
                return _plain(
                    start_response,
                    TOO_LARGE,
                    f"Yêu cầu quá lớn: nội dung gửi lên tối đa {megabytes} MB.\n",
                )
        response: Iterable[bytes] = self.app(environ, start_response)
        return response


def production_application(django_app: WSGIApp) -> WSGIApp:
    """Django behind WhiteNoise (files collected into ``STATIC_ROOT`` by ``collectstatic``,
    compressed copies served when the browser takes them) behind the size limit."""
    static = WhiteNoise(
        django_app,
        max_age=settings.GANDAN_STATIC_MAX_AGE,
        allow_all_origins=False,
    )
    root = Path(settings.STATIC_ROOT)
    if root.is_dir():  # `runserver` in development reads the sources through its finders
        static.add_files(str(root), prefix=settings.STATIC_URL)
    return RequestSizeLimit(static, limit=settings.GANDAN_MAX_REQUEST_BYTES)
