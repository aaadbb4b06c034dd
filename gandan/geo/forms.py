from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.forms import Form
from gandan.geo.models import VILLAGE_KINDS, Kind

VILLAGE_KIND_CHOICES = [(k.value, k.label) for k in Kind if k.value in VILLAGE_KINDS]


class VillageForm(Form):
    name = forms.CharField(label=_("Tên thôn, buôn"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=VILLAGE_KIND_CHOICES)


class VillageCreateForm(VillageForm):
    commune = forms.TypedChoiceField(label=_("Thuộc xã, phường, thị trấn"), coerce=int)
    valid_from = forms.DateField(
        label=_("Có từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: object, communes: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["commune"].choices = communes  # type: ignore[attr-defined]


class VillageEditForm(VillageForm):
    renamed_on = forms.DateField(
        label=_("Đổi tên từ ngày (để trống nếu chỉ sửa lỗi chính tả)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
