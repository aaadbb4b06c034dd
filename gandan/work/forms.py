"""Forms of the field-work pages. They parse what people type (dates, "15.000.000") and
check shapes; the rules of the domain live in ``work.validation`` and the services."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.dates import today
from gandan.core.errors import DomainError
from gandan.core.forms import Form, LongSelect, NumberField
from gandan.core.numbers import Kind, NumberError, parse_number
from gandan.core.periods import parse_period
from gandan.indicators.models import TOTAL_SOURCES, Group, Indicator
from gandan.work.models import (
    PARTNERS,
    Activity,
    ActivityType,
    Attachment,
    Movement,
    Qualifier,
    Work,
)

COUNT: dict[str, Any] = {"kind": Kind.INTEGER, "required": False}  # the sign: the service
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", "—")]
ALL = [("", _("Tất cả"))]
VALUE_PREFIX = "v_"


def field_name(error_field: str | None) -> str | None:
    """The form field a DomainError names (``values.money_vnd`` → ``v_money_vnd``)."""
    if error_field and error_field.startswith("values."):
        return VALUE_PREFIX + error_field.removeprefix("values.")
    return error_field


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    name = field_name(error.field)
    form.add_error(name if name in form.fields else None, error.message)


class ActivityForm(Form):
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
    participants = NumberField(label=_("Lượt người tham gia"), **COUNT)
    participants_female = NumberField(label=_("Trong đó nữ"), **COUNT)
    participants_minority = NumberField(label=_("Trong đó dân tộc thiểu số"), **COUNT)
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
                label=f"{indicator.name_vi} ({indicator.unit})",
                kind=indicator.number_kind,
                required=False,
            )

    def value_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The value fields by indicator group, in catalogue order."""
        labels = dict(Group.choices)
        groups: dict[str, list[forms.BoundField]] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.group, []).append(self[VALUE_PREFIX + indicator.code])
        return [(str(labels.get(group, group)), fields) for group, fields in groups.items()]

    def values(self) -> dict[str, int | Decimal]:
        """Entered values by indicator code (left-empty fields left out)."""
        data = self.cleaned_data
        return {
            i.code: data[VALUE_PREFIX + i.code]
            for i in self.indicators
            if data.get(VALUE_PREFIX + i.code) is not None
        }

    def end_date(self) -> datetime.date:
        end: datetime.date | None = self.cleaned_data.get("end")
        start: datetime.date = self.cleaned_data["start"]
        return end or start


class ActivityFilterForm(Form):
    type = forms.ChoiceField(label=_("Loại"), required=False)
    unit = forms.TypedChoiceField(
        label=_("Địa bàn"), coerce=int, required=False, empty_value=None, widget=LongSelect
    )
    village = forms.TypedChoiceField(
        label=_("Thôn, buôn"), coerce=int, required=False, empty_value=None, widget=LongSelect
    )
    team = forms.TypedChoiceField(
        label=_("Đội"), coerce=int, required=False, empty_value=None, widget=LongSelect
    )
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


class AttachmentForm(Form):
    kind = forms.ChoiceField(
        label=_("Loại tệp"), choices=Attachment.Kind.choices, initial=Attachment.Kind.PHOTO
    )
    file = forms.FileField(label=_("Tệp (JPG, PNG, PDF, DOCX; tối đa 10 MB)"))


def aggregate_indicators(open_on: datetime.date | None = None) -> list[Indicator]:
    """Indicators a paper total may be entered for (not awards or cases, which come from
    their own files); with ``open_on``, only those not retired by that day."""
    return [
        i
        for i in Indicator.objects.filter(source__in=TOTAL_SOURCES)
        if open_on is None or i.is_open_on(open_on)
    ]


class AggregateEntryForm(Form):
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
    value = NumberField(label=_("Giá trị"), min_value=0, decimal_places=3)
    source_number = forms.CharField(label=_("Số văn bản"), max_length=64)
    source_date = forms.DateField(label=_("Ngày văn bản"), widget=DATE_WIDGET)
    source_title = forms.CharField(label=_("Trích yếu"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        keep: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        """``keep``: the indicator of the total being corrected, offered even if retired."""
        super().__init__(*args, **kwargs)
        ids = [i.pk for i in aggregate_indicators(open_on=today())]
        ids += [keep.pk] if keep is not None else []
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["unit"].choices = [*EMPTY, *units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """The value read again by its indicator's kind: "1,350" could be 1,35 tấn but is
        never a count, and money is whole đồng."""
        data = super().clean() or {}
        indicator, raw = data.get("indicator"), self.data.get(self.add_prefix("value"))
        if isinstance(indicator, Indicator) and isinstance(raw, str) and "value" in data:
            try:
                data["value"] = parse_number(raw, kind=indicator.number_kind)
            except NumberError as error:
                self.add_error("value", f"{indicator.name_vi}: {error.message}")
        return data


class WorkForm(Form):
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


class WorkFilterForm(Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=[*ALL, *Work.Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[*ALL, *Work.Status.choices], required=False
    )


class ImportUploadForm(Form):
    file = forms.FileField(
        label=_("Tệp Excel đã điền (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
