"""The POST endpoints of a case's workflow, and data-subject requests (export, erasure).

Each step: access (404 outside, 403 for a leader or a unit that does not handle the case)
→ form → service. A broken rule re-shows the case page with the error (400) and changes
nothing."""

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gandan.accounts.access import user_of
from gandan.accounts.models import User
from gandan.cases import services
from gandan.cases.access import access_case, require_admin, visible_cases
from gandan.cases.forms import ACTION_FORMS, SubjectForm, first_error
from gandan.cases.models import Case
from gandan.cases.privacy import subject_erase, subject_export
from gandan.cases.views import action_form, detail_context
from gandan.core.errors import DomainError

DONE = {
    "advise": gettext_lazy("Đã ghi nội dung tham mưu, phối hợp."),
    "resolve": gettext_lazy("Đã ghi kết quả giải quyết."),
    "escalate": gettext_lazy("Đã chuyển vụ việc lên %(unit)s."),
    "refer": gettext_lazy("Đã ghi chuyển cơ quan có thẩm quyền."),
    "pause": gettext_lazy("Đã tạm dừng vụ việc."),
}


def _step(action: str, user: User, case: Case, data: dict[str, Any]) -> Callable[[], Case]:
    steps: dict[str, Callable[[], Case]] = {
        "advise": lambda: services.case_advise(
            actor=user,
            case=case,
            agencies=list(data["agencies"]),
            advice=data["advice"],
            on=data["on"],
        ),
        "resolve": lambda: services.case_resolve(
            actor=user, case=case, outcome=data["outcome"], on=data["on"]
        ),
        "escalate": lambda: services.case_escalate(
            actor=user, case=case, note=data["note"], on=data["on"]
        ),
        "refer": lambda: services.case_refer(
            actor=user, case=case, referral=data["referral"], on=data["on"]
        ),
        "pause": lambda: services.case_pause(
            actor=user, case=case, note=data["note"], on=data["on"]
        ),
    }
    return steps[action]


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404("Không có bước xử lý này.")
    user = user_of(request)
    case = access_case(user, pk, write=True)
    form = action_form(action, request.POST)
    try:
        if not form.is_valid():
            raise DomainError(first_error(form))
        case = _step(action, user, case, form.cleaned_data)()
    except DomainError as error:
        case = access_case(user, pk)  # as it is now, not as the failed step left it
        context = detail_context(user, case, bound=(action, form), error=(action, error.message))
        return render(request, "cases/detail.html", context, status=400)
    messages.success(request, str(DONE[action]) % {"unit": case.handler})
    return redirect("cases:case-detail", pk=case.pk)


@login_required
def subject_requests(request: HttpRequest) -> HttpResponse:
    """A data subject asks what is held on them, or to erase it (Luật 91/2025/QH15).
    Administrators only, within their jurisdiction; both requests are audited."""
    user = user_of(request)
    require_admin(user)
    form = SubjectForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        name, phone = form.cleaned_data["name"], form.cleaned_data["phone"]
        within = visible_cases(user)
        if request.POST.get("do") == "erase":
            erased = subject_erase(actor=user, name=name, phone=phone, within=within)
            messages.success(
                request, _("Đã xóa %(n)s mục người liên hệ theo yêu cầu.") % {"n": erased}
            )
            return redirect("cases:subject-requests")
        exported = subject_export(actor=user, name=name, phone=phone, within=within)
        if request.POST.get("do") == "download":
            response = HttpResponse(
                json.dumps(exported, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
            return response
        context["exported"] = exported
    return render(request, "cases/subjects.html", context, status=400 if form.errors else 200)
