"""Account pages: administrators manage the accounts of their jurisdiction; every user
sees their own sessions. Parse → access → service → render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandan.accounts import services, twofactor
from gandan.accounts.access import access_account, require_account_manager, user_of
from gandan.accounts.forms import PasswordResetForm, UserCreateForm, UserEditForm
from gandan.accounts.selectors import accounts_for
from gandan.accounts.sessions import sessions_of
from gandan.core.errors import DomainError


def _add_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {
        "sessions": sessions_of(user),
        "current": request.session.session_key,
        "needs_2fa": twofactor.needs_second_factor(user),
        "has_authenticator": twofactor.has_authenticator(user),
    }
    return render(request, "accounts/sessions.html", context)


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = services.sessions_end_others(
        user=user_of(request), current_key=request.session.session_key
    )
    messages.success(request, _("Đã đăng xuất %(n)s phiên khác.") % {"n": ended})
    return redirect("accounts:sessions")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    require_account_manager(actor)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(accounts_for(actor, query=query), 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "query": urlencode({"q": query}) if query else ""}
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = user_of(request)
    require_account_manager(actor)
    form = UserCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                actor=actor,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                unit_id=data["unit"],
                role=data["role"],
                password=data["password"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": account.username})
            return redirect("accounts:user-edit", pk=account.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "title": _("Tạo tài khoản")}
    return render(request, "accounts/user_form.html", context, status=status)


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = user_of(request)
    account = access_account(actor, pk)
    initial = {
        "full_name": account.full_name,
        "email": account.email,
        "unit": account.unit_id,
        "role": account.role,
        "is_active": account.is_active,
    }
    form = UserEditForm(request.POST or None, actor=actor, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=actor,
                user=account,
                full_name=data["full_name"],
                email=data["email"],
                unit_id=data["unit"],
                role=data["role"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Đã lưu tài khoản %(u)s.") % {"u": account.username})
            return redirect("accounts:user-edit", pk=account.pk)
    context = {
        "form": form,
        "account": account,
        "password_form": PasswordResetForm(),
        "title": _("Tài khoản %(u)s") % {"u": account.username},
        "has_authenticator": twofactor.has_authenticator(account),
    }
    return render(request, "accounts/user_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor = user_of(request)
    account = access_account(actor, pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_password_reset(
                actor=actor, user=account, password=form.cleaned_data["password"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã đặt lại mật khẩu; tài khoản đã được đăng xuất."))
    else:
        messages.error(request, _("Cần nhập mật khẩu mới."))
    return redirect("accounts:user-edit", pk=account.pk)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    actor = user_of(request)
    account = access_account(actor, pk)
    services.user_unlock(actor=actor, user=account)
    messages.success(request, _("Đã mở khóa đăng nhập cho %(u)s.") % {"u": account.username})
    return redirect("accounts:user-edit", pk=account.pk)


@login_required
@require_POST
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    actor = user_of(request)
    account = access_account(actor, pk)
    twofactor.two_factor_reset(actor=actor, user=account)
    messages.success(
        request,
        _("Đã xóa xác thực hai lớp của %(u)s; người dùng sẽ đăng ký lại.")
        % {"u": account.username},
    )
    return redirect("accounts:user-edit", pk=account.pk)
