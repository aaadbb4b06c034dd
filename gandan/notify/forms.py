from django import forms
from django.utils.translation import gettext_lazy as _

from gandan.core.forms import Form
from gandan.notify.models import Kind


class PreferenceForm(Form):
    shown = forms.MultipleChoiceField(
        label=_("Hiện trong ứng dụng"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    email = forms.MultipleChoiceField(
        label=_("Gửi thư điện tử"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
