"""Forms of the field-work pages. They parse what people type (dates, "15.000.000") and
check shapes; the rules of the domain live in ``work.validation`` and the services."""

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gandan.core.errors import DomainError
from gandan.core.periods import parse_period
from gandan.indicators.models import Aggregation, Group, Indicator, Source
from gandan.work.models import (
    PARTNERS,
    Activity,
    ActivityType,
    Attachment,
    Movement,
    Qualifier,
    Work,
)
from gandan.work.validation import RECORD_SOURCES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", "—")]
ALL = [("", _("Tất cả"))]
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
VALUE_PREFIX = "v_"


def parse_vn_number(text: str) -> str:
    """Vietnamese notation to a plain decimal string: "15.000.000" → "15000000", "1,5" →
    "1.5", "1.234,5" → "1234.5". A dot that does not group thousands is refused: in
    Vietnamese "1.500" is one thousand five hundred, so "1.5" is a typing mistake."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        return ""
    sign = raw[0] if raw[0] in "+-" else ""
    whole, comma, fraction = raw[len(sign) :].partition(",")
    if "." in whole:
        if not _THOUSANDS.fullmatch(whole):
            raise ValidationError(
                _(
                    "«%(text)s»: dấu chấm chỉ dùng để tách hàng nghìn (15.000.000); "
                    "phần thập phân viết sau dấu phẩy (1,5)."
                ),
                params={"text": text},
            )
        whole = whole.replace(".", "")
    plain = f"{sign}{whole}.{fraction}" if comma else f"{sign}{whole}"
    if not _PLAIN.fullmatch(plain):
        raise ValidationError(_("«%(text)s» không phải là số."), params={"text": text})
    return plain


class NumberField(forms.CharField):
    """A number typed the Vietnamese way; cleaned to a plain decimal string ("" if empty).
    Whether it must be whole and non-negative is the service's rule, which names it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "class": "num"})

    def to_python(self, value: Any) -> str:
        return parse_vn_number(str(super().to_python(value)))


class CountField(NumberField):
    """A whole count of people ("1.200"), or None when left empty."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        plain = super().to_python(value)
        if not plain:
            return None
        number = Decimal(plain)
        if number != number.to_integral_value():
            raise ValidationError(_("Số người phải là số nguyên."))
        return int(number)


def field_name(error_field: str | None) -> str | None:
    """The form field a DomainError names (``values.money_vnd`` → ``v_money_vnd``)."""
    if error_field and error_field.startswith("values."):
        return VALUE_PREFIX + error_field.removeprefix("values.")
    return error_field


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    name = field_name(error.field)
    form.add_error(name if name in form.fields else None, error.message)


class ActivityForm(forms.Form):
    """One activity. Communes, villages and teams depend on the date and the commune, so
    the view passes them in (``work.selectors``); an id outside them is refused (400)."""

    type = forms.ModelChoiceField(
        label=_("Loại hoạt động"),
        queryset=ActivityType.objects.all(),
        empty_label="—",
        widget=forms.Select(attrs={"autofocus": True}),
    )
    title = forms.CharField(label=_("Nội dung"), max_length=300, required=False)
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    end = forms.DateField(
        label=_("Đến ngày (để trống nếu trong ngày)"), required=False, widget=DATE_WIDGET
    )
    unit = forms.TypedChoiceField(label=_("Xã, phường, thị trấn"), coerce=int)
    villages = forms.TypedMultipleChoiceField(
        label=_("Thôn, buôn"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.TypedMultipleChoiceField(
        label=_("Đội, tổ công tác"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    participants = CountField(label=_("Lượt người tham gia"))
    participants_female = CountField(label=_("Trong đó nữ"))
    participants_minority = CountField(label=_("Trong đó dân tộc thiểu số"))
    movements = forms.ModelMultipleChoiceField(
        label=_("Phục vụ phong trào, cuộc vận động"),
        queryset=Movement.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.MultipleChoiceField(
        label=_("Phối hợp với"),
        choices=PARTNERS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        communes: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["unit"].choices = [*EMPTY, *communes]  # type: ignore[attr-defined]
        self.fields["villages"].choices = villages  # type: ignore[attr-defined]
        self.fields["teams"].choices = teams  # type: ignore[attr-defined]
        for indicator in indicators:
            self.fields[VALUE_PREFIX + indicator.code] = NumberField(
                label=f"{indicator.name_vi} ({indicator.unit})"
            )

    def value_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The value fields by indicator group, in catalogue order."""
        labels = dict(Group.choices)
        groups: dict[str, list[forms.BoundField]] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.group, []).append(self[VALUE_PREFIX + indicator.code])
        return [(str(labels.get(group, group)), fields) for group, fields in groups.items()]

    def values(self) -> dict[str, str]:
        """Entered values by indicator code (cleaned, plain notation)."""
        data = self.cleaned_data
        return {
            i.code: data[VALUE_PREFIX + i.code]
            for i in self.indicators
            if data.get(VALUE_PREFIX + i.code)
        }

    def end_date(self) -> datetime.date:
        end: datetime.date | None = self.cleaned_data.get("end")
        start: datetime.date = self.cleaned_data["start"]
        return end or start


class ActivityFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Loại"), required=False)
    unit = forms.TypedChoiceField(label=_("Địa bàn"), coerce=int, required=False, empty_value=None)
    village = forms.TypedChoiceField(
        label=_("Thôn, buôn"), coerce=int, required=False, empty_value=None
    )
    team = forms.TypedChoiceField(label=_("Đội"), coerce=int, required=False, empty_value=None)
    movement = forms.ChoiceField(label=_("Phong trào"), required=False)
    period = forms.CharField(
        label=_("Kỳ"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": "2025-Q3",
                "title": _("2025, 2025-H1, 2025-Q3, 2025-09 hoặc 2025-01-01..2025-06-30"),
            }
        ),
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[*ALL, *Activity.Status.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        villages: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, Any]]] = {
            "type": [(t.code, t.name) for t in ActivityType.objects.all()],
            "movement": [(m.code, m.name) for m in Movement.objects.all()],
            "unit": units,
            "village": villages,
            "team": teams,
        }
        for name, options in choices.items():
            self.fields[name].choices = [*ALL, *options]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period"):
            try:
                period = parse_period(data["period"])
            except DomainError as error:
                self.add_error("period", error.message)
            else:
                data["date_from"] = max(filter(None, [data.get("date_from"), period.start]))
                data["date_to"] = min(filter(None, [data.get("date_to"), period.end]))
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tệp"), choices=Attachment.Kind.choices, initial=Attachment.Kind.PHOTO
    )
    file = forms.FileField(label=_("Tệp (JPG, PNG, PDF, DOCX; tối đa 10 MB)"))


def aggregate_indicators() -> list[Indicator]:
    """Indicators a paper total may be entered for: not distinct places, not org records."""
    return [
        i
        for i in Indicator.objects.filter(source__in=[*RECORD_SOURCES, Source.VALUE])
        if i.aggregation != Aggregation.DISTINCT_PLACES
    ]


class AggregateEntryForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Chỉ tiêu"), queryset=Indicator.objects.none(), empty_label="—"
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    period_start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    period_label = forms.CharField(
        label=_("Kỳ báo cáo (như văn bản ghi)"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ: 2004 - 2008")}),
    )
    qualifier = forms.ChoiceField(
        label=_("Mức độ"), choices=Qualifier.choices, initial=Qualifier.EXACT
    )
    value = NumberField(label=_("Giá trị"), required=True)
    source_number = forms.CharField(label=_("Số văn bản"), max_length=64)
    source_date = forms.DateField(label=_("Ngày văn bản"), widget=DATE_WIDGET)
    source_title = forms.CharField(label=_("Trích yếu"), max_length=300, required=False)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [i.pk for i in aggregate_indicators()]
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["unit"].choices = [*EMPTY, *units]  # type: ignore[attr-defined]


class WorkForm(forms.Form):
    name = forms.CharField(label=_("Tên công trình"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại"), choices=[*EMPTY, *Work.Kind.choices])
    place = forms.TypedChoiceField(label=_("Địa điểm"), coerce=int)
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=Work.Status.choices, initial=Work.Status.BUILDING
    )
    started_on = forms.DateField(label=_("Khởi công"), required=False, widget=DATE_WIDGET)
    completed_on = forms.DateField(label=_("Hoàn thành"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [*EMPTY, *places]  # type: ignore[attr-defined]


class WorkFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=[*ALL, *Work.Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[*ALL, *Work.Status.choices], required=False
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel đã điền (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
