"""Forms of the report pages. They parse and check shapes; the rules live in the services."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.forms import Form, NumberField
from gandan.reports.models import Regime, Report

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", "—")]
PERIOD_HELP = _(
    "Ví dụ: quý 3/2025, tháng 9/2025, 6 tháng đầu năm 2025, năm 2025, "
    "từ 05/7/2004 đến 10/9/2019; hoặc mã 2025-Q3"
)


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def regime_choices() -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in Regime.objects.order_by("id")]


class ReportFilterForm(Form):
    regime = forms.ChoiceField(label=_("Chế độ báo cáo"), required=False)
    period = forms.CharField(
        label=_("Kỳ (bắt đầu bằng)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={"placeholder": "2019, 2019-Q3…", "autocomplete": "off", "data-period-prefix": ""}
        ),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *Report.Status.choices],
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "regime", [("", _("Tất cả")), *regime_choices()])
        set_choices(self, "unit", [("", _("Tất cả")), *units])


class ReportCreateForm(Form):
    regime = forms.ChoiceField(label=_("Chế độ báo cáo"))
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=32,
        help_text=PERIOD_HELP,
        widget=forms.TextInput(attrs={"placeholder": "2019-Q3", "autocomplete": "off"}),
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị báo cáo"), coerce=int)
    boundaries = forms.DateField(
        label=_("Tính theo địa giới ngày (không bắt buộc)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Để trống: mỗi hoạt động tính theo địa giới khi ghi nhận."),
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "regime", [*EMPTY, *regime_choices()])
        set_choices(self, "unit", [*EMPTY, *units])


class SectionsForm(Form):
    """One textarea per section of the report's regime."""

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        kwargs.setdefault("initial", report.sections)
        super().__init__(*args, **kwargs)
        for key, title in report.regime.sections:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 6 if key == "ket_qua" else 3}),
            )


class SubmitForm(Form):
    allow_empty_sections = forms.BooleanField(
        label=_("Vẫn gửi: đơn vị không có gì để báo cáo ở các đề mục còn trống"),
        required=False,
    )


class ReturnForm(Form):
    comment = forms.CharField(
        label=_("Ý kiến khi trả lại"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Nội dung cần bổ sung, sửa")}),
    )


class ApproveForm(Form):
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Để trống: hôm nay."),
    )


class UnapproveForm(Form):
    reason = forms.CharField(
        label=_("Lý do hủy duyệt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdjustForm(Form):
    indicator_code = forms.ChoiceField(label=_("Chỉ tiêu"))
    value = NumberField(label=_("Số liệu đúng"), decimal_places=3)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), required=False, max_length=500)

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "indicator_code", [*EMPTY, *indicators])


class CompletenessForm(Form):
    regime = forms.ChoiceField(label=_("Chế độ báo cáo"))
    period = forms.CharField(label=_("Kỳ"), max_length=32, help_text=PERIOD_HELP)
    unit = forms.TypedChoiceField(label=_("Đơn vị tổng hợp"), coerce=int)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "regime", regime_choices())
        set_choices(self, "unit", units)
