"""Case pages: the queue (and its htmx fragment), a new case from a village, the case page
with its timeline, and revealing contacts. Parse → access → selector/service → render.
The workflow's POST endpoints and data-subject requests are in ``action_views``."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gandan.accounts.access import access_unit, require_write, user_of, visible_unit_ids
from gandan.accounts.models import User
from gandan.cases import selectors, services
from gandan.cases.access import (
    access_case,
    access_case_commune,
    access_village_of,
    allowed_actions,
    own_unit_ids,
    visible_cases,
)
from gandan.cases.forms import ACTION_FORMS, CaseFilterForm, CaseForm, add_domain_error
from gandan.cases.list_export import CaseListExporter
from gandan.cases.models import Case
from gandan.cases.privacy import contacts_view, may_see_contacts
from gandan.core.dates import today
from gandan.core.downloads import xlsx_response
from gandan.core.errors import DomainError
from gandan.core.htmx import push_list_url, render_page_or_partial
from gandan.geo.models import AdminUnit, Level
from gandan.work.selectors import commune_options, unit_options, village_options

PAGE_SIZE = 25
PLACE_LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
EVENT_LABELS = {
    "receive": gettext_lazy("Tiếp nhận"),
    "advise": gettext_lazy("Tham mưu, phối hợp"),
    "resolve": gettext_lazy("Đã giải quyết"),
    "escalate": gettext_lazy("Chuyển cấp trên"),
    "refer": gettext_lazy("Không thuộc thẩm quyền, chuyển cơ quan có thẩm quyền"),
    "pause": gettext_lazy("Tạm dừng"),
}
ACTION_LABELS = {
    "advise": gettext_lazy("Tham mưu, phối hợp"),
    "resolve": gettext_lazy("Đã giải quyết"),
    "escalate": gettext_lazy("Chuyển cấp trên"),
    "refer": gettext_lazy("Không thuộc thẩm quyền"),
    "pause": gettext_lazy("Tạm dừng"),
}


def parse_day(raw: object) -> datetime.date:
    """The date a form's choices are for: the typed date, or today."""
    try:
        return datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return today()


def _int(raw: object) -> int | None:
    try:
        return int(str(raw))
    except ValueError:
        return None


# The queue. -------------------------------------------------------------------------------------


def _queue_data(request: HttpRequest) -> QueryDict:
    """The filters, with the defaults of a queue: my unit's open cases."""
    data = request.GET.copy()
    data.setdefault("tab", "mine")
    data.setdefault("status", "open")
    return data


def _queue_found(
    request: HttpRequest, data: QueryDict, tab: str
) -> tuple[CaseFilterForm, QuerySet[Case]]:
    """The filter form and the cases of the tab it selects, within the user's jurisdiction."""
    user = user_of(request)
    form = CaseFilterForm(data, places=unit_options(visible_unit_ids(user), PLACE_LEVELS))
    found = Case.objects.none()
    if form.is_valid():
        values = form.cleaned_data
        start, end = form.period_bounds()
        filters = selectors.CaseFilters(
            tab=tab,
            kind=values["kind"],
            place=access_unit(user, values["place"]) if values["place"] else None,
            status=values["status"],
            start=start,
            end=end,
            q=values["q"],
        )
        found = selectors.cases_listed(visible_cases(user), filters, own_ids=own_unit_ids(user))
    return form, found


def _tab(data: QueryDict) -> str:
    tab = str(data.get("tab", ""))
    return tab if tab in selectors.TABS else "mine"


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    data = _queue_data(request)
    cases = visible_cases(user)
    own = own_unit_ids(user)
    tab = _tab(data)
    form, found = _queue_found(request, data, tab)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    tabs = [
        (key, label, selectors.cases_listed(cases, open_in(key), own_ids=own).count())
        for key, label in CaseFilterForm.TABS
    ]
    return {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "tab": tab,
        "tabs": tabs,
        "today": today(),
        "open_statuses": selectors.OPEN,
    }


def open_in(tab: str) -> selectors.CaseFilters:
    """The open cases of a tab, counted on the tab."""
    return selectors.CaseFilters(tab=tab, status="open")


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request)
    return render_page_or_partial(
        request,
        "cases/queue.html",
        "cases/partials/queue_results.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def case_results(request: HttpRequest) -> HttpResponse:
    """The htmx fragment of the queue; the address bar shows the full page's URL."""
    context = _queue_context(request)
    status = 400 if context["form"].errors else 200
    response = render(request, "cases/partials/queue_results.html", context, status=status)
    return push_list_url(request, response, "cases:case-queue")


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The queue as filtered on the page (its tab included), in Excel."""
    data = _queue_data(request)
    form, found = _queue_found(request, data, _tab(data))
    if form.errors:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponse(
            " ".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    return xlsx_response(CaseListExporter(found))


# A new case. ------------------------------------------------------------------------------------


def place_choices(
    request: HttpRequest, source: Any, date_field: str
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], int | None]:
    """Communes of the user's jurisdiction valid on the typed date, and the chosen commune's
    villages that day (only a commune offered that day counts as chosen)."""
    on = parse_day(source.get(date_field))
    ids = visible_unit_ids(user_of(request), on)
    communes = commune_options(on, ids)
    unit_id = _int(source.get("unit")) if source.get("unit") else None
    if unit_id not in {pk for pk, _label in communes}:
        unit_id = communes[0][0] if len(communes) == 1 else None
    commune = AdminUnit.objects.filter(pk=unit_id).first() if unit_id else None
    return communes, village_options(commune, on, ids), unit_id


def case_form(request: HttpRequest, data: QueryDict | None) -> CaseForm:
    source: Any = data if data is not None else request.GET
    communes, villages, unit_id = place_choices(request, source, "received_on")
    initial = {
        "received_on": parse_day(source.get("received_on")),
        "unit": unit_id,
        "village": _int(source.get("village")) if source.get("village") else None,
    }
    return CaseForm(data, initial=initial, communes=communes, villages=villages)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require_write(user)
    data = request.POST if request.method == "POST" else None
    form = case_form(request, data)
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            case = services.case_receive(
                actor=user,
                kind=values["kind"],
                unit=access_case_commune(user, values["unit"], values["received_on"]),
                village=access_village_of(user, values["village"]) if values["village"] else None,
                received_on=values["received_on"],
                source=values["source"],
                description=values["description"],
                households=values["households"],
                contacts=form.contacts(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã tiếp nhận vụ việc %(case)s.") % {"case": case})
            return redirect("cases:case-detail", pk=case.pk)
    return render(
        request, "cases/case_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def place_fields(request: HttpRequest) -> HttpResponse:
    """The commune and village fields for the typed date and commune (htmx)."""
    date_field = "period_start" if "period_start" in request.GET else "received_on"
    communes, villages, unit_id = place_choices(request, request.GET, date_field)
    form = CaseForm(
        initial={"unit": unit_id, "village": _int(request.GET.get("village") or "")},
        communes=communes,
        villages=villages,
    )
    return render(
        request,
        "cases/partials/place_fields.html",
        {"form": form, "village_required": date_field == "period_start"},
    )


# One case. --------------------------------------------------------------------------------------


def action_form(action: str, data: QueryDict | None = None) -> Form:
    """A workflow step's form; ids carry the step, since several share the case page."""
    return ACTION_FORMS[action](data, auto_id=f"id_{action}_%s")


def detail_context(
    user: User,
    case: Case,
    *,
    bound: tuple[str, Form] | None = None,
    error: tuple[str, str] | None = None,
    contacts: list[Any] | None = None,
) -> dict[str, Any]:
    """Everything the case page shows; ``bound`` and ``error`` re-show a failed step."""
    actions = allowed_actions(user, case)
    forms = {
        action: bound[1] if bound and bound[0] == action else action_form(action)
        for action in actions
    }
    events = list(selectors.case_timeline(case))
    return {
        "case": case,
        "actions": [(action, ACTION_LABELS[action], forms[action]) for action in actions],
        "events": [(event, EVENT_LABELS.get(event.action, event.action)) for event in events],
        "overdue": selectors.is_overdue(case),
        "days_left": (case.deadline - today()).days,
        "overdue_days": (today() - case.deadline).days,
        "is_open": case.status in selectors.OPEN,
        "agencies": [services.AGENCY_LABELS.get(a, a) for a in case.agencies],
        "contact_count": case.contacts.filter(erased_at__isnull=True).count(),
        "may_see_contacts": may_see_contacts(user, case),
        "contacts": contacts,
        "error": error,
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = access_case(user, pk)
    return render(request, "cases/detail.html", detail_context(user, case))


@login_required
@require_POST
def case_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Reveal the contacts to a handler, with an audit entry; others see only the count."""
    user = user_of(request)
    case = access_case(user, pk)
    contacts = contacts_view(user, case)
    if contacts is None:
        raise PermissionDenied(_("Chỉ cán bộ đang xử lý vụ việc mới được xem người liên hệ."))
    context = detail_context(user, case, contacts=contacts)
    return render_page_or_partial(
        request, "cases/detail.html", "cases/partials/contacts.html", context
    )
