import datetime
from decimal import Decimal

import pytest

from gandan.analytics.engine import aggregate
from gandan.indicators.models import Indicator
from gandan.org import services as org
from gandan.work.services import activity_create, aggregate_entry_create

pytestmark = pytest.mark.django_db

START, END = datetime.date(2004, 7, 5), datetime.date(2019, 9, 10)
LATER = datetime.date(2025, 7, 1)


def _figures(unit, *codes, start=START, end=END, boundaries=None):
    indicators = Indicator.objects.filter(code__in=codes)
    return aggregate(unit=unit, start=start, end=end, boundaries=boundaries, indicators=indicators)


@pytest.fixture
def campaigns(field, activity_input):
    """Three campaigns: two at Yang Tao's villages (one village twice), one in Bông Krang."""
    record = lambda unit, on, villages, n, money: activity_create(  # noqa: E731
        actor=None,
        data=activity_input(unit, on, villages, participants=n, values={"money_vnd": money}),
    )
    record(field.yang_tao, datetime.date(2010, 4, 2), [field.yt_a, field.yt_b], 200, 10_000_000)
    record(field.yang_tao, datetime.date(2015, 6, 9), [field.yt_a], 150, 5_000_000)
    record(field.bong_krang, datetime.date(2018, 1, 20), [field.bk_a], 90, 1_000_000)
    return field


def test_count_sum_and_distinct_places(campaigns):
    figures = _figures(
        campaigns.lak,
        "campaigns",
        "participants",
        "money_vnd",
        "villages_reached",
        "communes_reached",
    )

    assert figures["campaigns"].value == 3
    assert figures["participants"].value == 440
    assert figures["money_vnd"].value == 16_000_000
    # Yang Lah was reached twice: it counts once.
    assert figures["villages_reached"].value == 3
    assert figures["communes_reached"].value == 2


def test_distinct_places_are_not_the_sum_of_their_parts(campaigns):
    whole = _figures(campaigns.lak, "villages_reached")["villages_reached"].value
    parts = [
        _figures(campaigns.lak, "villages_reached", start=s, end=e)["villages_reached"].value
        for s, e in ((START, datetime.date(2012, 12, 31)), (datetime.date(2013, 1, 1), END))
    ]

    assert max(parts) <= whole <= sum(parts)
    assert whole < sum(parts)


def test_periods_cut_records_by_start_date(campaigns):
    assert (
        _figures(campaigns.lak, "campaigns", end=datetime.date(2015, 6, 8))["campaigns"].value == 1
    )
    assert (
        _figures(campaigns.lak, "campaigns", end=datetime.date(2015, 6, 9))["campaigns"].value == 2
    )


def test_a_legacy_record_counts_under_its_2025_successor(campaigns, places):
    # as recorded, the 2025 commune did not exist in 2004-2019: it has no records
    as_recorded = _figures(places.lien_son_lak, "campaigns", "villages_reached")
    # under the boundaries of 1-7-2025 Yang Tao and Bông Krang are inside Liên Sơn Lắk
    as_2025 = _figures(
        places.lien_son_lak, "campaigns", "villages_reached", "communes_reached", boundaries=LATER
    )

    assert as_recorded["campaigns"].value == 0
    assert as_2025["campaigns"].value == 3
    assert as_2025["villages_reached"].value == 3
    assert as_2025["communes_reached"].value == 1  # both legacy communes are one 2025 commune


def test_province_totals_agree_under_both_boundaries(campaigns, places):
    codes = ("campaigns", "participants", "money_vnd")
    recorded = _figures(places.dak_lak, *codes)
    in_2025 = _figures(places.dak_lak, *codes, boundaries=LATER)

    assert {c: recorded[c].value for c in codes} == {c: in_2025[c].value for c in codes}


def test_qualifiers_propagate_from_paper_totals(campaigns, places):
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="vegetable_gardens"), unit=places.lak,
        period_start=datetime.date(2004, 7, 5), period_end=datetime.date(2008, 12, 31), period_label="2004-2008",
        value="5700", qualifier="tren", source_number="45-BC/HU", source_date=datetime.date(2009, 1, 10),
    )  # fmt: skip
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="vegetable_gardens"), unit=places.nam_ka,
        period_start=datetime.date(2010, 1, 1), period_end=datetime.date(2010, 12, 31), period_label="năm 2010",
        value="40", qualifier="exact", source_number="12-BC/ĐU", source_date=datetime.date(2011, 1, 5),
    )  # fmt: skip

    figure = _figures(places.dak_lak, "vegetable_gardens")["vegetable_gardens"]

    assert figure.value == 5740
    assert figure.qualifier == "tren"
    assert figure.from_aggregates
    assert not figure.from_records


def test_stock_at_date_members_and_teams(places):
    team = org.team_create(
        actor=None, name="Tổ Yang Tao", unit=places.yang_tao, established_on=START
    )
    for i in range(3):
        member = org.member_create(
            actor=None, identifier=f"T-{i}", full_name=f"Y Thử {i}", gender="nam", ethnicity="ede"
        )
        org.membership_start(actor=None, member=member, team=team, start=START)

    figures = _figures(places.lak, "members", "teams")

    assert figures["members"].value == 3
    assert figures["teams"].value == 1


def test_an_empty_scope_has_no_data(places):
    figure = _figures(places.dak_pek, "money_vnd")["money_vnd"]

    assert figure.value == Decimal(0)
    assert not figure.has_data
