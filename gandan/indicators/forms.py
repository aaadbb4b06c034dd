"""Forms of the catalogue pages. They check shapes; the catalogue's rules are the services'."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.forms import Form
from gandan.indicators.catalogue_selectors import activity_type_choices
from gandan.indicators.models import Aggregation, Group, Indicator, Source
from gandan.indicators.services import BREAKDOWNS, FIXED_IN_USE, MAX_POSITION, IndicatorInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = "—"


class IndicatorForm(Form):
    code = forms.CharField(
        label=_("Mã"),
        max_length=64,
        help_text=_("Chữ thường không dấu, chữ số, dấu gạch dưới; ví dụ vuon_uom."),
    )
    name_vi = forms.CharField(label=_("Tên tiếng Việt"), max_length=200)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=200, required=False)
    unit = forms.CharField(
        label=_("Đơn vị tính"),
        max_length=64,
        required=False,
        help_text=_("Chỉ tiêu tỉ lệ: «%»."),
    )
    group = forms.ChoiceField(label=_("Nhóm"), choices=Group.choices)
    source = forms.ChoiceField(label=_("Nguồn số liệu"), choices=Source.choices)
    aggregation = forms.ChoiceField(label=_("Cách tổng hợp"), choices=Aggregation.choices)
    activity_types = forms.MultipleChoiceField(
        label=_("Loại hoạt động (để trống là mọi loại)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    breakdowns = forms.MultipleChoiceField(
        label=_("Phân tổ"),
        choices=list(BREAKDOWNS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    integer_only = forms.BooleanField(label=_("Chỉ nhận số nguyên"), required=False)
    position = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=MAX_POSITION)
    parent = forms.ModelChoiceField(
        label=_("Là thành phần của chỉ tiêu tổng"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=EMPTY,
    )
    numerator = forms.ModelChoiceField(
        label=_("Tử số (chỉ tiêu tỉ lệ)"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=EMPTY,
    )
    denominator = forms.ModelChoiceField(
        label=_("Mẫu số (chỉ tiêu tỉ lệ)"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=EMPTY,
    )

    def __init__(self, *args: Any, indicator: Indicator | None = None, in_use: bool = False, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        others = Indicator.objects.exclude(pk=indicator.pk) if indicator else Indicator.objects
        choices: dict[str, Any] = self.fields
        choices["activity_types"].choices = activity_type_choices()
        choices["parent"].queryset = others.filter(source=Source.PARTS)
        choices["numerator"].queryset = others.exclude(source=Source.RATIO)
        choices["denominator"].queryset = others.exclude(source=Source.RATIO)
        if in_use:
            for name in FIXED_IN_USE:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Đã được dùng: không đổi được.")

    def indicator_input(self) -> IndicatorInput:
        data = self.cleaned_data
        return IndicatorInput(
            code=data["code"],
            name_vi=data["name_vi"],
            name_en=data["name_en"],
            unit=data["unit"],
            group=data["group"],
            source=data["source"],
            aggregation=data["aggregation"],
            activity_types=list(data["activity_types"]),
            breakdowns=list(data["breakdowns"]),
            integer_only=data["integer_only"],
            position=data["position"],
            parent=data["parent"],
            numerator=data["numerator"],
            denominator=data["denominator"],
        )


def indicator_initial(indicator: Indicator) -> dict[str, Any]:
    names = ("code", "name_vi", "name_en", "unit", "group", "source", "aggregation",
             "activity_types", "breakdowns", "integer_only", "position")  # fmt: skip
    return {name: getattr(indicator, name) for name in names} | {
        "parent": indicator.parent_id,
        "numerator": indicator.numerator_id,
        "denominator": indicator.denominator_id,
    }


class RetireForm(Form):
    retired_on = forms.DateField(label=_("Ngừng sử dụng từ ngày"), widget=DATE_WIDGET)

    def day(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["retired_on"]
        return day


class CatalogueFilterForm(Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    group = forms.ChoiceField(label=_("Nhóm"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, Any] = self.fields
        choices["group"].choices = [("", _("Tất cả")), *Group.choices]
        choices["status"].choices = [
            ("", _("Tất cả")),
            ("open", _("Còn sử dụng")),
            ("retired", _("Đã ngừng sử dụng")),
        ]
