"""Signing in: the password step (with django-axes' lock-out) and the second step."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from gandan.accounts import twofactor
from gandan.accounts.access import user_of
from gandan.accounts.sessions import EXPIRED, client_ip
from gandan.core.errors import DomainError


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.session.pop(EXPIRED, False)
        return context


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    user = user_of(request)
    if not twofactor.has_authenticator(user):
        query = urlencode({"next": _next_url(request)})
        return redirect(f"{reverse('accounts:two-factor-enrol')}?{query}")
    error = ""
    if request.method == "POST":
        try:
            device = twofactor.second_factor_check(
                user=user, token=request.POST.get("token", ""), ip=client_ip(request)
            )
        except DomainError as exc:
            error = exc.message
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
    context = {"error": error, "next": _next_url(request)}
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, type a code it shows; the recovery
    codes are shown once."""
    user = user_of(request)
    if twofactor.has_authenticator(user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:two-factor")  # replacing one needs the old one first
    error = ""
    if request.method == "POST":
        try:
            device, codes = twofactor.totp_confirm(user=user, token=request.POST.get("token", ""))
        except DomainError as exc:
            error = exc.message
        else:
            otp_login(request, device)
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "accounts/recovery_codes.html", context)
    device = twofactor.totp_pending(user=user)
    context = {
        "error": error,
        "next": _next_url(request),
        "qr_svg": twofactor.totp_qr_svg(device),
        "secret": twofactor.totp_secret(device),
        "title": _("Đăng ký xác thực hai lớp"),
    }
    return render(request, "accounts/two_factor_enrol.html", context, status=400 if error else 200)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (POST), for a user who has passed the second step."""
    user = user_of(request)
    if request.method != "POST" or not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("accounts:sessions")
    codes = twofactor.recovery_codes_renew(user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})
