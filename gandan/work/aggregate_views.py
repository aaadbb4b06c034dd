"""Paper-report totals (số liệu tổng hợp): the list, the page of one, and the forms to
enter, correct and delete them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write, user_of, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.accounts.models import User
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.core.numbers import format_number, format_qualified
from gandan.geo.models import Level
from gandan.work import selectors, services
from gandan.work.access import access_aggregate, visible_aggregates
from gandan.work.forms import AggregateEntryForm, add_domain_error, aggregate_indicators
from gandan.work.models import AggregateEntry
from gandan.work.views import PAGE_SIZE

TOTAL_LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]


@login_required
def aggregate_list(request: HttpRequest) -> HttpResponse:
    indicator = request.GET.get("indicator", "")
    entries = selectors.aggregates_recent(
        visible_aggregates(user_of(request)), indicator=indicator or None
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "indicator": indicator,
        "indicators": aggregate_indicators(),
        "query": f"indicator={indicator}" if indicator else "",
    }
    return render_page_or_partial(
        request, "work/aggregate_list.html", "work/partials/aggregate_results.html", context
    )


def _form(
    request: HttpRequest,
    user: User,
    entry: AggregateEntry | None = None,
    initial: dict[str, Any] | None = None,
) -> AggregateEntryForm:
    units = selectors.unit_options(visible_unit_ids(user), TOTAL_LEVELS)
    keep = entry.indicator if entry is not None else None
    return AggregateEntryForm(request.POST or None, units=units, initial=initial, keep=keep)


def _input(user: User, form: AggregateEntryForm) -> services.AggregateInput | None:
    """The form's total, for a unit that was the user's when the period began; None after
    naming the field when it was not."""
    data = form.cleaned_data
    if not jurisdiction_for(user).covers(data["unit"], data["period_start"]):
        form.add_error(
            "unit",
            _("Đơn vị này không thuộc địa bàn của bạn vào ngày %(day)s.")
            % {"day": vn_date(data["period_start"])},
        )
        return None
    return services.AggregateInput(
        indicator=data["indicator"],
        unit=access_unit(user, data["unit"], on=data["period_start"], write=True),
        period_start=data["period_start"],
        period_end=data["period_end"],
        period_label=data["period_label"],
        value=data["value"],
        qualifier=data["qualifier"],
        source_number=data["source_number"],
        source_date=data["source_date"],
        source_title=data["source_title"],
    )


def _figure(entry: AggregateEntry) -> str:
    return format_qualified(entry.value, entry.qualifier, entry.indicator.unit)


@login_required
def aggregate_create(request: HttpRequest) -> HttpResponse:
    """A total from a paper report, for a unit that was the user's when the period began."""
    user = user_of(request)
    require_write(user)
    form = _form(request, user)
    if request.method == "POST" and form.is_valid() and (data := _input(user, form)):
        try:
            entry = services.aggregate_entry_create(actor=user, **vars(data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã nhập số tổng hợp: %(indicator)s của %(unit)s, kỳ «%(period)s»: %(figure)s.")
                % {
                    "indicator": entry.indicator.name_vi,
                    "unit": entry.unit,
                    "period": entry.period_label,
                    "figure": _figure(entry),
                },
            )
            return redirect("work:aggregate-list")
    return render(
        request, "work/aggregate_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def aggregate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_aggregate(user_of(request), pk)
    context = {"entry": entry, "figure": _figure(entry)}
    return render(request, "work/aggregate_detail.html", context)


@login_required
def aggregate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    entry = access_aggregate(user, pk, write=True)
    fields = (
        "indicator",
        "period_start",
        "period_end",
        "period_label",
        "qualifier",
        "source_number",
        "source_date",
        "source_title",
    )
    initial = {f: getattr(entry, f) for f in fields} | {
        "unit": entry.unit_id,
        "value": format_number(entry.value, decimals=3),
    }
    form = _form(request, user, entry, initial)
    if request.method == "POST" and form.is_valid() and (data := _input(user, form)):
        try:
            services.aggregate_entry_update(actor=user, entry=entry, data=data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã sửa số tổng hợp: %(indicator)s của %(unit)s, kỳ «%(period)s»: %(figure)s.")
                % {
                    "indicator": entry.indicator.name_vi,
                    "unit": entry.unit,
                    "period": entry.period_label,
                    "figure": _figure(entry),
                },
            )
            return redirect("work:aggregate-detail", pk=entry.pk)
    context = {"form": form, "entry": entry}
    return render(request, "work/aggregate_form.html", context, status=400 if form.errors else 200)


@login_required
def aggregate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    user = user_of(request)
    entry = access_aggregate(user, pk, write=True)
    if request.method == "POST":
        label = f"{entry.indicator.name_vi} của {entry.unit}, kỳ «{entry.period_label}»"
        services.aggregate_entry_delete(actor=user, entry=entry)
        messages.success(request, _("Đã xóa số tổng hợp %(entry)s.") % {"entry": label})
        return redirect("work:aggregate-list")
    context = {
        "object": f"{entry.indicator.name_vi} · {entry.unit} · {entry.period_label}: {_figure(entry)}",
        "kind": _("số liệu tổng hợp"),
        "cancel": reverse("work:aggregate-detail", args=[entry.pk]),
    }
    return render(request, "work/confirm_delete.html", context)
