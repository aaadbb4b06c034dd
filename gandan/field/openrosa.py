"""The OpenRosa 1.0 documents and headers: form list, manifest and response envelope.

Spec: https://docs.getodk.org/openrosa/ (HTTP requests and responses, Form List API, Form
Submission API). Every response carries ``X-OpenRosa-Version: 1.0`` and ``Date``; submission
responses also carry ``X-OpenRosa-Accept-Content-Length``."""

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.http import http_date

from gandan.work.attachments import MAX_BYTES

XML_TYPE = "text/xml; charset=utf-8"
ACCEPT_CONTENT_LENGTH = MAX_BYTES
REALM = "Gan Dan"
_PROLOG = "<?xml version='1.0' encoding='UTF-8' ?>\n"


@dataclass(frozen=True)
class ListedForm:
    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str


@dataclass(frozen=True)
class MediaFile:
    filename: str
    md5: str
    download_url: str


def respond(
    body: str | bytes,
    *,
    status: int = 200,
    content_type: str = XML_TYPE,
    accept_length: bool = False,
) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    response["Content-Language"] = "vi"
    if accept_length:
        response["X-OpenRosa-Accept-Content-Length"] = str(ACCEPT_CONTENT_LENGTH)
    return response


def form_list_document(forms: Iterable[ListedForm]) -> str:
    items = "".join(
        "<xform>"
        f"<formID>{escape(f.form_id)}</formID>"
        f"<name>{escape(f.name)}</name>"
        f"<version>{escape(f.version)}</version>"
        f"<hash>md5:{f.md5}</hash>"
        f"<downloadUrl>{escape(f.download_url)}</downloadUrl>"
        f"<manifestUrl>{escape(f.manifest_url)}</manifestUrl>"
        "</xform>"
        for f in forms
    )
    return f'{_PROLOG}<xforms xmlns="http://openrosa.org/xforms/xformsList">{items}</xforms>'


def manifest_document(files: Iterable[MediaFile]) -> str:
    items = "".join(
        "<mediaFile>"
        f"<filename>{escape(f.filename)}</filename>"
        f"<hash>md5:{f.md5}</hash>"
        f"<downloadUrl>{escape(f.download_url)}</downloadUrl>"
        "</mediaFile>"
        for f in files
    )
    return (
        f'{_PROLOG}<manifest xmlns="http://openrosa.org/xforms/xformsManifest">{items}</manifest>'
    )


def message_document(text: str, nature: str = "") -> str:
    """The response envelope; Collect shows ``message`` to the user, on success or refusal."""
    attribute = f' nature="{escape(nature)}"' if nature else ""
    return (
        f'{_PROLOG}<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f"<message{attribute}>{escape(text)}</message></OpenRosaResponse>"
    )


def message(text: str, *, status: int, nature: str = "") -> HttpResponse:
    return respond(message_document(text, nature), status=status, accept_length=True)


def unauthorized() -> HttpResponse:
    """The Basic challenge (RFC 7617) Collect answers with the configured credentials."""
    response = message(
        "Cần đăng nhập bằng tên người dùng và mật khẩu thiết bị.", status=401, nature="auth"
    )
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response
