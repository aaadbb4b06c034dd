"""What every form shares: the base ``Form`` that refuses control characters in text, and a
number typed the Vietnamese way ("1.350", "1,5")."""

import argparse
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt, pretty_name
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from gandan.core.numbers import Kind, NumberError, format_number, parse_number
from gandan.core.text import ForbiddenCharacter, plain_text


class PlainTextValidator:
    """Refuses NUL, control characters and bidi overrides (``core.text.plain_text``), with
    the field's label in the message; tab and line breaks pass in a multi-line field."""

    def __init__(self, *, label: Any, multiline: bool) -> None:
        self.label, self.multiline = label, multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        try:
            plain_text(value, label=str(self.label), multiline=self.multiline)
        except ForbiddenCharacter as error:
            raise ValidationError(error.message, code="forbidden_character") from None


class Form(forms.Form):
    """The base of every form in Gần Dân: every text field refuses control characters
    (issue 13; ``gandan/tests/test_text_hygiene.py`` checks that every form has this base).
    Multi-line fields are those shown as a ``Textarea``. Fields added in ``__init__`` are
    covered too: the validators are put in place when the form is cleaned."""

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not any(
                isinstance(v, PlainTextValidator) for v in field.validators
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                label = field.label or pretty_name(name)
                field.validators.append(PlainTextValidator(label=label, multiline=multiline))
        super().full_clean()


class LongSelect(forms.Select):
    """A select of hundreds or thousands of flat options (the places and teams a province
    official may filter by), written in Python. Django renders a template per option, about
    0,3 ms each: a province's filter form spent half a second on it. Same HTML, no groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class NumberField(forms.Field):
    """A number as a person types it, read by ``core.numbers.parse_number``: "1.350" is one
    thousand three hundred and fifty, "1,5" one and a half; "1,350" and "1.35" are refused
    with the reason and the right way to write them. Cleans to ``int`` for counts and money,
    ``Decimal`` for measures, None when left empty; shows a value back as "1.350"."""

    widget = forms.TextInput

    def __init__(
        self,
        *,
        kind: Kind = Kind.DECIMAL,
        min_value: int | Decimal | None = None,
        max_value: int | Decimal | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.kind = kind
        self.min_value, self.max_value, self.decimal_places = min_value, max_value, decimal_places
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        mode = "decimal" if self.kind is Kind.DECIMAL else "numeric"
        return {**attrs, "inputmode": mode, "autocomplete": "off", "class": "num"}

    def to_python(self, value: Any) -> int | Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValidationError(f"«{value}» không phải là số.", code="invalid")
        if isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            try:
                number = parse_number(str(value), kind=self.kind)
            except NumberError as error:
                raise ValidationError(error.message, code="invalid") from None
        if self.kind is not Kind.DECIMAL:
            if number != number.to_integral_value():
                raise ValidationError(f"«{value}» phải là số nguyên.", code="invalid")
            return int(number)
        return number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            message = (
                "Số này không được âm."
                if self.min_value == 0
                else f"Không được nhỏ hơn {format_number(self.min_value)}."
            )
            raise ValidationError(message, code="min_value")
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                f"Không được lớn hơn {format_number(self.max_value)}.", code="max_value"
            )
        places = self.decimal_places
        if places is not None and isinstance(value, Decimal):
            exponent = value.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                raise ValidationError(
                    f"Tối đa {places} chữ số sau dấu phẩy.", code="max_decimal_places"
                )

    def prepare_value(self, value: Any) -> Any:
        """A stored or initial number reads back the Vietnamese way; typed text stays as typed."""
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return format_number(value)
        return value


def number_argument(kind: Kind = Kind.INTEGER) -> Callable[[str], int | Decimal]:
    """An argparse ``type=`` for a number on the command line, read like a form field:
    ``--months 1.200`` is 1200, ``--months 1,200`` is refused with the reason."""

    def parse(text: str) -> int | Decimal:
        try:
            number = parse_number(text, kind=kind)
        except NumberError as error:
            raise argparse.ArgumentTypeError(error.message) from None
        return number if kind is Kind.DECIMAL else int(number)

    return parse
