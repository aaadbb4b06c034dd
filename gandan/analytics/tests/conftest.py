"""Field-work history for the analytics tests (see the root ``conftest.py`` for the cast).

Liên Sơn Lắk (2025) took in the legacy communes thị trấn Liên Sơn, Yang Tao and Bông Krang.
Its clerk must see their history and nothing else: not Nam Ka (another 2025 commune), not
Ea Kao (Buôn Ma Thuột).
"""

import datetime

import pytest

from gandan.indicators.models import Indicator
from gandan.work.services import activity_create, aggregate_entry_create

FROM, TO = datetime.date(2004, 1, 1), datetime.date(2025, 12, 31)
REFORM = datetime.date(2025, 7, 1)
WINDOW = {"from": FROM.isoformat(), "to": TO.isoformat()}


@pytest.fixture
def history(field, activity_input):
    """Campaigns in the legacy communes of Liên Sơn Lắk, in two other communes, and one in
    the 2025 commune; a paper total "trên 5.700" vegetable gardens for Yang Tao in 2011."""

    def record(unit, on, villages=(), people=0, money=None):
        values = {"money_vnd": money} if money else None
        activity_create(
            actor=None, data=activity_input(unit, on, villages, participants=people, values=values)
        )

    record(field.yang_tao, datetime.date(2010, 4, 2), [field.yt_a, field.yt_b], 200, 10_000_000)
    record(field.yang_tao, datetime.date(2015, 6, 9), [field.yt_a], 150, 5_000_000)
    record(field.bong_krang, datetime.date(2018, 1, 20), [field.bk_a], 90, 1_000_000)
    record(field.nam_ka, datetime.date(2016, 3, 3), [field.nam_ka_village], 70, 2_000_000)
    record(field.ea_kao, datetime.date(2017, 5, 5), [], 40)
    record(field.lien_son_lak, datetime.date(2025, 9, 1), [field.yt_b], 30)
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="vegetable_gardens"), unit=field.yang_tao,
        period_start=datetime.date(2011, 1, 1), period_end=datetime.date(2011, 12, 31),
        period_label="năm 2011", value="5700", qualifier="tren", source_number="12-BC/ĐU",
        source_date=datetime.date(2012, 1, 5),
    )  # fmt: skip
    return field
