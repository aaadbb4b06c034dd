"""Session limits and the two-factor requirement, checked on every request."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gandan.accounts.sessions import EXPIRED, session_expired, session_touch
from gandan.accounts.twofactor import needs_second_factor

Handler = Callable[[HttpRequest], HttpResponse]


class SessionLimitsMiddleware:
    """Signs a user out after the idle timeout or the absolute limit; the next page that
    needs a login sends them to the login page, which says why."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            if session_expired(request.session, now):
                logout(request)
                request.session[EXPIRED] = True
            else:
                session_touch(request, now)
        return self.get_response(request)


# Paths an administrator who has not passed the second step may still reach.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/login/", "/accounts/logout/", "/i18n/")


class TwoFactorMiddleware:
    """Administrators and the superuser must pass the TOTP step (or enrol) before anything
    else, when ``GANDAN_2FA_REQUIRED`` is on."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.GANDAN_2FA_REQUIRED
            and needs_second_factor(request.user)
            and not request.user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_OPEN_PREFIXES)
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            if request.path.startswith("/api/"):
                message = _("Cần xác thực hai lớp: đăng nhập lại qua trang web.")
                return JsonResponse({"detail": message}, status=403)
            target = reverse("accounts:two-factor")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
