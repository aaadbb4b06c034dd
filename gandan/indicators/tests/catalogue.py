"""What the catalogue's tests share, here and in the apps above that use indicators: a new
indicator to add ("Ao cá"), lookups by code, and a refusal with its field and message."""

import dataclasses
import re

import pytest

from gandan.core.errors import DomainError
from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput

FISH = IndicatorInput(
    code="fish_ponds", name_vi="Ao cá", name_en="Fish ponds", unit="ao",
    group="production", source="value", aggregation="sum",
)  # fmt: skip


def indicator(code):
    return Indicator.objects.get(code=code)


def fish_input(**changes):
    """The fish ponds' input, with changes."""
    return dataclasses.replace(FISH, **changes)


def refused(match, field, call, *args, **kwargs):
    """Call, expect a DomainError matching ``match`` on ``field``; its message."""
    with pytest.raises(DomainError, match=re.escape(match)) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field
    return caught.value.message
