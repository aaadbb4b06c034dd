"""Reads for the catalogue pages: the indicators with why each is in use."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q

from gandan.core.text import fold
from gandan.indicators.models import Group, Indicator
from gandan.indicators.usage import usage

OPEN, RETIRED = "open", "retired"
STATUSES = (OPEN, RETIRED)


@dataclass(frozen=True)
class CatalogueLine:
    indicator: Indicator
    used: list[str] = field(default_factory=list)  # why it is in use; empty: unused

    @property
    def in_use(self) -> bool:
        return bool(self.used)


def catalogue_lines(
    *, on: datetime.date, search: str = "", group: str = "", status: str = ""
) -> list[CatalogueLine]:
    """The catalogue in group order, then position; filtered by a folded search on the
    name or code, a group, and whether the indicator is open or retired on ``on``."""
    indicators = Indicator.objects.select_related("parent", "numerator", "denominator")
    if key := fold(search):
        indicators = indicators.filter(Q(name_key__contains=key) | Q(code__contains=key))
    if group:
        indicators = indicators.filter(group=group)
    if status == OPEN:
        indicators = indicators.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on))
    elif status == RETIRED:
        indicators = indicators.filter(retired_on__lte=on)
    order = {code: i for i, code in enumerate(Group.values)}
    found = sorted(indicators, key=lambda i: (order.get(i.group, 99), i.position, i.code))
    used = usage(found)
    return [CatalogueLine(i, used[i.pk]) for i in found]


def next_position(group: str) -> int:
    """A new indicator goes after the last of its group."""
    last = Indicator.objects.filter(group=group).order_by("-position").first()
    return min((last.position if last else 0) + 10, 32767)


def activity_type_choices() -> list[tuple[str, str]]:
    """(code, name) of the kinds of activity (``work.ActivityType``) an indicator may count.

    The catalogue names them by code, as a record names its indicators by key; ``work`` sits
    above the catalogue (ADR 0020), so it is reached through Django's app registry."""
    model = apps.get_model("work", "ActivityType")
    return [
        (str(code), str(name)) for code, name in model._default_manager.values_list("code", "name")
    ]
