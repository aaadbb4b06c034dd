"""Forms of the account pages. They check shapes; the rules are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.accounts.models import Role, User
from gandan.accounts.selectors import account_units
from gandan.core.forms import Form


class _UnitRole(Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def __init__(self, *args: Any, actor: User, account: User | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = account_units(actor)
        if account is not None and account.unit is not None and account.unit not in units:
            units.insert(0, account.unit)  # a legacy unit the account keeps
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)  # noqa: S101 - declared above
        unit_field.choices = [(u.pk, f"{u} ({u.get_level_display()})") for u in units]


class UserCreateForm(_UnitRole):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Ít nhất 10 ký tự, không toàn chữ số, không giống tên đăng nhập."),
    )
    field_order = ["username", "full_name", "email", "unit", "role", "password"]


class UserEditForm(_UnitRole):
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False)


class PasswordResetForm(Form):
    password = forms.CharField(
        label=_("Mật khẩu mới"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Ít nhất 10 ký tự, không toàn chữ số, không giống tên đăng nhập."),
    )
