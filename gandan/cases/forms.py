"""Forms of the case, aspiration and inspection pages. They parse what people type and check
shapes; the rules of the domain live in the services, which name the field in Vietnamese.

Commune, village and team choices depend on a date and the user's jurisdiction, so the
views pass them in; an id outside them is refused by the form (400)."""

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.cases.models import Case, CaseKind, Inspection
from gandan.cases.services import AGENCY_LABELS
from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.forms import Form, NumberField
from gandan.core.numbers import Kind
from gandan.core.periods import parse_period

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", "—")]
ALL = [("", _("Tất cả"))]
FOLLOW_UP_ROWS = 3
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's error on the field it names, else on the whole form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def first_error(form: forms.Form) -> str:
    """The first error of a form, prefixed with the field's label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return str(_("Dữ liệu không hợp lệ."))


class PeriodMixin(Form):
    """A ``period`` text (2025, 2025-Q3, 2025-09, 2025-01-01..2025-06-30) to dates."""

    def period_bounds(self) -> tuple[datetime.date | None, datetime.date | None]:
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None, None
        span = parse_period(text)
        return span.start, span.end

    def clean_period(self) -> str:
        text = str(self.cleaned_data.get("period") or "").strip()
        if text:
            try:
                parse_period(text)
            except DomainError as error:
                raise forms.ValidationError(error.message) from None
        return text


class CaseFilterForm(PeriodMixin):
    TABS = [
        ("mine", _("Của đơn vị tôi")),
        ("overdue", _("Quá hạn")),
        ("escalated", _("Chuyển lên đơn vị tôi")),
        ("all", _("Tất cả trong địa bàn")),
    ]
    STATUSES = [("", _("Tất cả")), ("open", _("Đang mở")), *Case.Status.choices]

    tab = forms.ChoiceField(choices=TABS, required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Tìm theo loại, địa bàn"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("ví dụ: đất đai, yang tao"), "type": "search"}
        ),
    )
    kind = forms.TypedChoiceField(label=_("Loại"), coerce=int, required=False, empty_value=None)
    place = forms.TypedChoiceField(label=_("Địa bàn"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=STATUSES, required=False)
    period = forms.CharField(
        label=_("Kỳ tiếp nhận"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "2025-Q3", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", [*ALL, *((k.pk, k.name) for k in CaseKind.objects.all())])
        set_choices(self, "place", [*ALL, *places])


class CaseForm(Form):
    """A case received from a village. At most two named contacts: a name and a phone."""

    kind = forms.ModelChoiceField(
        label=_("Loại vụ việc"), queryset=CaseKind.objects.all(), empty_label="—"
    )
    received_on = forms.DateField(label=_("Ngày tiếp nhận"), widget=DATE_WIDGET)
    unit = forms.TypedChoiceField(label=_("Xã, phường, thị trấn"), coerce=int)
    village = forms.TypedChoiceField(
        label=_("Thôn, buôn"), coerce=int, required=False, empty_value=None
    )
    source = forms.ChoiceField(label=_("Nguồn"), choices=Case.Source.choices)
    households = NumberField(label=_("Số hộ liên quan"), kind=Kind.INTEGER, min_value=0, initial=0)
    description = forms.CharField(
        label=_("Nội dung vụ việc"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ghi sự việc, không ghi quan điểm chính trị, tôn giáo của ai."),
    )
    contact_name = forms.CharField(
        label=_("Người liên hệ (không bắt buộc)"), max_length=200, required=False
    )
    contact_phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    contact2_name = forms.CharField(
        label=_("Người liên hệ thứ hai"), max_length=200, required=False
    )
    contact2_phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)

    def __init__(
        self,
        *args: Any,
        communes: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", [*EMPTY, *communes])
        set_choices(self, "village", [*EMPTY, *villages])

    def contacts(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        pairs = [
            (data["contact_name"], data["contact_phone"]),
            (data["contact2_name"], data["contact2_phone"]),
        ]
        return [(name, phone) for name, phone in pairs if name.strip()]


class AdviseForm(Form):
    agencies = forms.MultipleChoiceField(
        label=_("Phối hợp với"),
        choices=list(AGENCY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    advice = forms.CharField(label=_("Nội dung tham mưu"), widget=TEXTAREA)
    on = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET, initial=today)


class ResolveForm(Form):
    outcome = forms.CharField(label=_("Kết quả giải quyết"), widget=TEXTAREA)
    on = forms.DateField(label=_("Ngày giải quyết"), widget=DATE_WIDGET, initial=today)


class EscalateForm(Form):
    note = forms.CharField(label=_("Lý do chuyển cấp trên"), widget=TEXTAREA, required=False)
    on = forms.DateField(label=_("Ngày chuyển"), widget=DATE_WIDGET, initial=today)


class ReferForm(Form):
    referral = forms.CharField(label=_("Chuyển đến cơ quan có thẩm quyền"), widget=TEXTAREA)
    on = forms.DateField(label=_("Ngày chuyển"), widget=DATE_WIDGET, initial=today)


class PauseForm(Form):
    note = forms.CharField(label=_("Lý do tạm dừng"), widget=TEXTAREA)
    on = forms.DateField(label=_("Ngày tạm dừng"), widget=DATE_WIDGET, initial=today)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "advise": AdviseForm,
    "resolve": ResolveForm,
    "escalate": EscalateForm,
    "refer": ReferForm,
    "pause": PauseForm,
}


class SubjectForm(Form):
    name = forms.CharField(label=_("Họ và tên người yêu cầu"), max_length=200)
    phone = forms.CharField(label=_("Điện thoại (nếu có)"), max_length=32, required=False)


# Aspirations. -----------------------------------------------------------------------------------


class AspirationForm(Form):
    """Aggregated only: a topic and how many households or people raised it. No names."""

    period_start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    unit = forms.TypedChoiceField(label=_("Xã, phường, thị trấn"), coerce=int)
    village = forms.TypedChoiceField(label=_("Thôn, buôn"), coerce=int)
    topic = forms.CharField(label=_("Chủ đề"), max_length=200)
    households = NumberField(label=_("Số hộ, người nêu"), kind=Kind.INTEGER, min_value=1)
    summary = forms.CharField(
        label=_("Tóm tắt"),
        widget=TEXTAREA,
        help_text=_("Tổng hợp ý kiến, không ghi tên người nêu."),
    )
    response = forms.CharField(label=_("Đã làm gì"), widget=TEXTAREA, required=False)

    def __init__(
        self,
        *args: Any,
        communes: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "unit", [*EMPTY, *communes])
        set_choices(self, "village", [*EMPTY, *villages])


class AspirationFilterForm(PeriodMixin):
    q = forms.CharField(
        label=_("Tìm theo chủ đề, thôn"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    place = forms.TypedChoiceField(label=_("Địa bàn"), coerce=int, required=False, empty_value=None)
    period = forms.CharField(
        label=_("Kỳ"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "2025-Q3", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "place", [*ALL, *places])


# Inspections. -----------------------------------------------------------------------------------


class InspectionPlanForm(Form):
    team = forms.TypedChoiceField(label=_("Đội được kiểm tra"), coerce=int)
    inspector = forms.CharField(
        label=_("Đoàn kiểm tra"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ: Ban Dân vận Huyện ủy Lắk")}),
    )
    planned_on = forms.DateField(label=_("Ngày dự kiến"), widget=DATE_WIDGET)
    content = forms.CharField(label=_("Nội dung kiểm tra"), widget=TEXTAREA)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [*EMPTY, *teams])


class InspectionResultForm(Form):
    """The result, with up to three follow-up actions (a row without an action is skipped)."""

    held_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DATE_WIDGET, initial=today)
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=[*EMPTY, *Inspection.Rating.choices])
    findings = forms.CharField(label=_("Kết quả kiểm tra"), widget=TEXTAREA)
    recommendations = forms.CharField(label=_("Kiến nghị"), widget=TEXTAREA, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"fu{row}_action"] = forms.CharField(
                label=_("Việc cần làm"), max_length=300, required=False
            )
            self.fields[f"fu{row}_owner"] = forms.CharField(
                label=_("Người, đơn vị thực hiện"), max_length=200, required=False
            )
            self.fields[f"fu{row}_deadline"] = forms.DateField(
                label=_("Hạn"), required=False, widget=DATE_WIDGET
            )

    def follow_up_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"fu{row}_{part}"] for part in ("action", "owner", "deadline")]
            for row in range(1, FOLLOW_UP_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, FOLLOW_UP_ROWS + 1):
            if (data.get(f"fu{row}_action") or "").strip() and not data.get(f"fu{row}_deadline"):
                self.add_error(f"fu{row}_deadline", _("Cần ghi hạn cho việc này."))
        return data

    def follow_ups(self) -> list[tuple[str, str, datetime.date]]:
        data = self.cleaned_data
        return [
            (data[f"fu{row}_action"], data[f"fu{row}_owner"], data[f"fu{row}_deadline"])
            for row in range(1, FOLLOW_UP_ROWS + 1)
            if (data.get(f"fu{row}_action") or "").strip()
        ]


class FollowUpDoneForm(Form):
    on = forms.DateField(label=_("Hoàn thành ngày"), widget=DATE_WIDGET, initial=today)


class InspectionFilterForm(Form):
    STATES = [("", _("Tất cả")), ("planned", _("Chưa kiểm tra")), ("held", _("Đã có kết quả"))]

    state = forms.ChoiceField(label=_("Tình trạng"), choices=STATES, required=False)
    team = forms.TypedChoiceField(label=_("Đội"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [*ALL, *teams])
