"""The production entry point (``gandan.wsgi``, ADR 0010): a body larger than the limit is
refused before a byte of it is read; static files are served by WhiteNoise."""

import io
import wsgiref.util

import pytest
from django.conf import settings

from gandan.core.serving import RequestSizeLimit

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def _call(app, *, method="POST", path="/accounts/login/", length=None, body=None):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_NAME": "testserver"}
    wsgiref.util.setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    if length is not None:
        environ["CONTENT_LENGTH"] = length
        environ["CONTENT_TYPE"] = "multipart/form-data; boundary=x"
    environ["wsgi.input"] = body if body is not None else Unreadable()
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    result = app(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return seen["status"], seen["headers"], content.decode()


def test_a_200_mb_body_is_refused_unread():
    from gandan.wsgi import application

    status, headers, text = _call(application, length=str(200 * 1024 * 1024))

    assert status == "413 Content Too Large"
    assert headers["Connection"] == "close"
    assert "tối đa 70 MB" in text


@pytest.mark.parametrize("length", ["-1", "1e9", "99999999999999999999999", "abc"])
def test_a_malformed_length_is_refused_unread(length):
    from gandan.wsgi import application

    status, _, _ = _call(application, length=length)

    assert status == "400 Bad Request"


def test_a_body_within_the_limit_reaches_django():
    app = RequestSizeLimit(lambda environ, start: start("204 No Content", []) or [], limit=10)
    status, _, _ = _call(app, length="10", body=io.BytesIO(b"0123456789"))

    assert status == "204 No Content"


def test_a_large_workbook_is_within_the_limit():
    from gandan.work.excel_sheet import MAX_BYTES

    assert MAX_BYTES < settings.GANDAN_MAX_REQUEST_BYTES < 200 * 1024 * 1024


def test_static_files_are_served_by_whitenoise(tmp_path, settings):
    from django.core.wsgi import get_wsgi_application

    from gandan.core.serving import production_application

    (tmp_path / "app.css").write_text("body{}")
    settings.STATIC_ROOT = tmp_path
    app = production_application(get_wsgi_application())

    status, headers, text = _call(app, method="GET", path="/static/app.css")

    assert status == "200 OK"
    assert text == "body{}"
    assert "max-age=3600" in headers["Cache-Control"]
