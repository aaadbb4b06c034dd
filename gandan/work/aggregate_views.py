"""Paper-report totals (số liệu tổng hợp): the list and the entry form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gandan.accounts.access import access_unit, require_write, visible_unit_ids
from gandan.accounts.jurisdiction import jurisdiction_for
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.htmx import render_page_or_partial
from gandan.core.numbers import in_prose
from gandan.geo.models import Level
from gandan.work import selectors, services
from gandan.work.access import visible_aggregates
from gandan.work.forms import AggregateEntryForm, add_domain_error, aggregate_indicators
from gandan.work.views import PAGE_SIZE, user_of

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


@login_required
def aggregate_create(request: HttpRequest) -> HttpResponse:
    """A total from a paper report, for a unit that was the user's when the period began."""
    user = user_of(request)
    require_write(user)
    units = selectors.unit_options(visible_unit_ids(user), TOTAL_LEVELS)
    form = AggregateEntryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not jurisdiction_for(user).covers(data["unit"], data["period_start"]):
            form.add_error(
                "unit",
                _("Đơn vị này không thuộc địa bàn của bạn vào ngày %(day)s.")
                % {"day": vn_date(data["period_start"])},
            )
        else:
            try:
                entry = services.aggregate_entry_create(
                    actor=user,
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
            except DomainError as error:
                add_domain_error(form, error)
            else:
                figure = in_prose(entry.value, entry.indicator.unit, entry.qualifier)
                messages.success(
                    request,
                    _(
                        "Đã nhập số tổng hợp: %(indicator)s của %(unit)s, kỳ «%(period)s»: %(figure)s."
                    )
                    % {
                        "indicator": entry.indicator.name_vi,
                        "unit": entry.unit,
                        "period": entry.period_label,
                        "figure": figure,
                    },
                )
                return redirect("work:aggregate-list")
    return render(
        request, "work/aggregate_form.html", {"form": form}, status=400 if form.errors else 200
    )
