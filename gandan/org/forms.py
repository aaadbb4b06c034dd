"""Forms of the org pages. They parse and check shapes; the rules live in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.forms import Form
from gandan.org.models import ETHNIC_GROUPS, LANGUAGES, Award, Member, Membership, Position

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NEW_PERSON_FIELDS = ("identifier", "full_name", "gender", "ethnicity")
EMPTY = [("", "—")]


class MemberFieldsForm(Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=EMPTY + list(Member.Gender.choices))
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), choices=EMPTY + ETHNIC_GROUPS)
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Tiếng dân tộc sử dụng được"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)


class MemberEditForm(MemberFieldsForm):
    """Ethnicity is offered only to users allowed to see it."""

    def __init__(self, *args: Any, show_ethnicity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if show_ethnicity:
            self.fields["ethnicity"].required = False  # left empty: unchanged
        else:
            del self.fields["ethnicity"]


class MembershipCreateForm(MemberFieldsForm):
    """Add a member to a team: pick someone already on the roster, or enter a new person."""

    member = forms.TypedChoiceField(
        label=_("Thành viên trong địa bàn của bạn"), coerce=int, required=False, empty_value=None
    )
    identifier = forms.CharField(label=_("Mã cán bộ"), max_length=32, required=False)
    position = forms.ChoiceField(
        label=_("Chức vụ"), choices=Position.choices, initial=Position.MEMBER
    )
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(
        label=_("Lý do"),
        choices=Membership.StartReason.choices,
        initial=Membership.StartReason.JOIN,
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    field_order = [
        "member",
        "identifier",
        "full_name",
        "gender",
        "ethnicity",
        "birth_year",
        "languages",
        "phone",
        "email",
        "position",
        "start",
        "reason",
        "note",
    ]

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("— Thêm người mới —")), *members]  # type: ignore[attr-defined]
        for name in NEW_PERSON_FIELDS:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("member") is None:
            for name in NEW_PERSON_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Cần nhập khi thêm người mới."))
        elif data.get("identifier") or data.get("full_name"):
            self.add_error(None, _("Chọn người đã có hoặc nhập người mới, không nhập cả hai."))
        return data


YEAR: dict[str, Any] = {
    "min_value": 1945,
    "max_value": 2100,
    "error_messages": {"invalid": _("Năm phải là một số, ví dụ 2019.")},
}


class AwardFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=[("", _("Tất cả")), *Award.Kind.choices], required=False
    )
    body_level = forms.ChoiceField(
        label=_("Cấp khen thưởng"),
        choices=[("", _("Tất cả")), *Award.BodyLevel.choices],
        required=False,
    )
    recipient = forms.ChoiceField(
        label=_("Đối tượng"),
        choices=[("", _("Tất cả")), ("collective", _("Tập thể")), ("individual", _("Cá nhân"))],
        required=False,
    )
    year_from = forms.IntegerField(label=_("Từ năm"), required=False, **YEAR)
    year_to = forms.IntegerField(label=_("Đến năm"), required=False, **YEAR)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and end < start:
            self.add_error("year_to", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        return data


class AwardForm(Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Award.Kind.choices)
    awarding_body = forms.CharField(label=_("Cơ quan khen thưởng"), max_length=200)
    body_level = forms.ChoiceField(
        label=_("Cấp khen thưởng"),
        choices=Award.BodyLevel.choices,
        initial=Award.BodyLevel.PROVINCE,
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET)
    team = forms.TypedChoiceField(
        label=_("Tập thể: đội, tổ công tác"), coerce=int, required=False, empty_value=None
    )
    member = forms.TypedChoiceField(
        label=_("Hoặc cá nhân"), coerce=int, required=False, empty_value=None
    )
    unit = forms.TypedChoiceField(
        label=_("Hoặc tập thể khác: đơn vị"), coerce=int, required=False, empty_value=None
    )
    collective_name = forms.CharField(
        label=_("Tên tập thể (khi chọn đơn vị)"), max_length=200, required=False
    )
    reason = forms.CharField(label=_("Thành tích"), max_length=500, required=False)
    phase = forms.CharField(
        label=_("Giai đoạn"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ: giai đoạn 2004-2019")}),
    )

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[int, str]],
        members: list[tuple[int, str]],
        units: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("team", teams), ("member", members), ("unit", units)):
            self.fields[name].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
