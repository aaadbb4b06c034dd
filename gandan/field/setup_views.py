"""The user's field page: device passwords for ODK Collect, each shown once with a QR code
of Collect's settings, their revocation, and what arrived from the field lately."""

import base64
import json
import zlib

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gandan.accounts.access import user_of
from gandan.accounts.models import User
from gandan.core.errors import DomainError
from gandan.field import selectors, services
from gandan.field.access import access_device_password

PROJECT_COLOR = "#0b6b5a"


def server_url(request: HttpRequest) -> str:
    """What Collect's "Server URL" is: it appends ``/formList`` and ``/submission``."""
    return request.build_absolute_uri(reverse("field:form-list")).removesuffix("/formList")


def collect_settings(request: HttpRequest, user: User, secret: str) -> dict[str, object]:
    """Collect's settings for this server and device password (docs.getodk.org, "Settings
    QR codes"): forms kept exactly as on the server, finished forms sent as soon as there
    is a signal, the app in Vietnamese."""
    return {
        "general": {
            "server_url": server_url(request),
            "username": user.username,
            "password": secret,
            "form_update_mode": "match_exactly",
            "periodic_form_updates_check": "every_24_hours",
            "autosend": "wifi_and_cellular",
            "app_language": "vi",
        },
        "admin": {},
        "project": {"name": "Gần Dân", "icon": "G", "color": PROJECT_COLOR},
    }


def settings_qr_payload(settings: dict[str, object]) -> str:
    """JSON, zlib-compressed, then base64: what Collect reads from a settings QR code."""
    raw = json.dumps(settings, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw)).decode()


def _context(request: HttpRequest, user: User) -> dict[str, object]:
    return {
        "devices": selectors.device_passwords(user),
        "submissions": selectors.submissions_recent(user),
        "server_url": server_url(request),
    }


@login_required
@never_cache
def field_setup(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = _context(request, user)
    if request.method == "POST":
        try:
            device, secret = services.device_password_create(
                actor=user, label=request.POST.get("label", "")
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "field/setup.html", context, status=400)
        payload = settings_qr_payload(collect_settings(request, user, secret))
        context.update(
            devices=selectors.device_passwords(user),
            new_device=device,
            secret=secret,
            qr_svg=segno.make(payload, micro=False, error="m").svg_inline(
                scale=4, title=_("Mã QR cấu hình ODK Collect")
            ),
        )
    return render(request, "field/setup.html", context)


@login_required
@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    device = access_device_password(user, pk)
    try:
        services.device_password_revoke(actor=user, device=device)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Đã thu hồi mật khẩu của máy «%(label)s».") % {"label": device.label}
        )
    return redirect("field:setup")
