"""The inbox (newest first, mark as read) and the choices of what to receive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.accounts.access import user_of
from gandan.core.errors import DomainError
from gandan.notify import selectors, services
from gandan.notify.access import access_notification
from gandan.notify.forms import PreferenceForm
from gandan.notify.models import Kind

PER_PAGE = 30


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    only_unread = request.GET.get("unread") == "1"
    notifications = selectors.inbox(user)
    if only_unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "only_unread": only_unread, "unread": selectors.unread_count(user)}
    return render(request, "notify/inbox.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read; with ``open``, go on to the notification's object."""
    user = user_of(request)
    notification = access_notification(user, pk)
    services.notification_read(user=user, notification=notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=None
    ):
        return redirect(notification.link)
    return redirect("notify:inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=user_of(request))
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notify:inbox")


@login_required
def preferences_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    preference = selectors.preference_of(user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.preference_save(
                    actor=user,
                    user=user,
                    shown=form.cleaned_data["shown"],
                    email=form.cleaned_data["email"],
                )
            except DomainError as error:
                form.add_error(error.field or None, error.message)
            else:
                messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
                return redirect("notify:preferences")
    else:
        form = PreferenceForm(
            initial={
                "shown": [k for k in Kind.values if preference.shows(k)],
                "email": [k for k in Kind.values if preference.emails(k)],
            }
        )
    shown, email = set(form["shown"].value() or []), set(form["email"].value() or [])
    rows = [(value, label, value in shown, value in email) for value, label in Kind.choices]
    return render(
        request,
        "notify/preferences.html",
        {"form": form, "rows": rows, "has_email": bool(user.email)},
        status=400 if form.errors else 200,
    )
