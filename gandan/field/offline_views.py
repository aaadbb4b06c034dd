"""Offline entry in the browser: the same XForm as Collect, rendered by ODK Web Forms
(vendored, ``static/vendor/odk-web-forms-*``), with an outbox in IndexedDB that posts each
record once to :func:`outbox_submit`. A service worker keeps the page, the forms, the
village list and every page visited before readable offline (ADR 0011)."""

import json

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gandan.accounts.access import user_of
from gandan.core.dates import today
from gandan.field import openrosa, selectors
from gandan.field.models import Submission
from gandan.field.views import receive, register_versions
from gandan.field.xlsform import villages_csv

TEXTS = {
    "online": gettext_lazy("Có mạng: bản ghi được gửi ngay."),
    "offline": gettext_lazy("Mất mạng: bản ghi được lưu trên máy và gửi khi có mạng trở lại."),
    "waiting": gettext_lazy("Chờ gửi"),
    "sending": gettext_lazy("Đang gửi…"),
    "saved": gettext_lazy("Đã ghi nhận"),
    "refused": gettext_lazy("Bị từ chối"),
    "edit": gettext_lazy("Sửa và gửi lại"),
    "discard": gettext_lazy("Bỏ bản ghi này"),
    "dismiss": gettext_lazy("Ẩn"),
    "view": gettext_lazy("Xem"),
    "empty": gettext_lazy("Không có bản ghi nào chờ gửi."),
    "login": gettext_lazy("Phiên đăng nhập đã hết: hãy đăng nhập lại để gửi."),
    "kept": gettext_lazy("Đã lưu vào hàng chờ."),
    "editing": gettext_lazy("Đang sửa bản ghi bị từ chối; gửi lại sau khi sửa."),
    "loadFailed": gettext_lazy("Không mở được biểu mẫu (chưa tải khi còn mạng?)."),
    "confirmDiscard": gettext_lazy("Bỏ bản ghi này? Nó sẽ không được gửi."),
}

WEB_FORMS = "vendor/odk-web-forms-0.22.0/index.js"
VUE = "vendor/vue-3.5.46/vue.runtime.esm-browser.prod.js"


# ODK Web Forms (its XPath engine compiles with Function; its bundled fonts are data: URLs)
# and PrimeVue (injected <style>) need these relaxations, on this page only (ADR 0015).
@csp_update(
    {"script-src": ["'unsafe-eval'"], "style-src": ["'unsafe-inline'"], "font-src": ["data:"]}
)
@login_required
def offline_entry(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    forms = selectors.field_forms(user, today())
    register_versions(user, forms)
    context = {
        "forms": forms,
        "import_map_json": json.dumps(
            {"imports": {"vue": static(VUE), "@getodk/web-forms": static(WEB_FORMS)}}
        ),
        "villages_url": reverse("field:offline-villages"),
        "texts": {key: str(text) for key, text in TEXTS.items()},
        "submit_url": reverse("field:outbox-submit"),
    }
    return render(request, "field/offline.html", context)


@login_required
@require_GET
def offline_form(request: HttpRequest, form_id: str) -> HttpResponse:
    user = user_of(request)
    form = selectors.field_form_by_id(user, form_id, today())
    if form is None:
        raise Http404("Không có biểu mẫu này.")
    return HttpResponse(form.xml, content_type=openrosa.XML_TYPE)


@login_required
@require_GET
def offline_villages(request: HttpRequest) -> HttpResponse:
    data = villages_csv(selectors.places_for(user_of(request), today()))
    return HttpResponse(data, content_type="text/csv; charset=utf-8")


@login_required
@require_POST
def outbox_submit(request: HttpRequest) -> HttpResponse:
    """One outbox record, as an OpenRosa submission, with the session and CSRF token."""
    return receive(request, user_of(request), channel=Submission.Channel.BROWSER, device=None)


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site root's point of view (it may control every page).
    Public like a static file: it carries no data."""
    response = render(
        request,
        "field/sw.js",
        {
            "offline_url": reverse("field:offline"),
            "static_url": static(""),
            "not_cached": _("Trang này chưa được mở khi còn mạng nên không xem được lúc mất mạng."),
            "open_outbox": _("Mở trang nhập ngoại tuyến"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "field/manifest.webmanifest",
        {
            "start_url": reverse("field:offline"),
            "icon": static("field/icon.svg"),
            "description": _("Ghi hoạt động của Đội công tác, cả khi mất sóng"),
        },
        content_type="application/manifest+json",
    )
