"""The long select is Django's select, written without a template per option."""

import re

import pytest
from django import forms

from gandan.core.forms import LongSelect

CHOICES = [("", "— tất cả —"), (1, "Xã <Ea> & Kar"), (2, "Buôn Akŏ Dhŏng"), (30, "Thôn 3")]


def _squeezed(html: str) -> str:
    html = re.sub(r">\s+<", "><", html.strip())
    return re.sub(
        r"<select ([^>]*)>", lambda m: "<select " + " ".join(sorted(m[1].split())) + ">", html
    )


@pytest.mark.parametrize("value", [None, "", "2", 2, 30, "9"])
@pytest.mark.parametrize("attrs", [{"id": "id_village"}, {"id": "id_unit", "required": True}])
def test_long_select_renders_as_django_does(value, attrs):
    ours = LongSelect(choices=CHOICES).render("village", value, attrs)
    django = forms.Select(choices=CHOICES).render("village", value, attrs)

    assert _squeezed(ours) == _squeezed(django)
    assert "&lt;Ea&gt; &amp; Kar" in ours  # labels are escaped
