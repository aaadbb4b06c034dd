"""The catalogue's new kinds in the engine (ADR 0018, ADR 0007): ratios, a whole and its
parts, figures known only from paper, stocks and distinct places as published."""

import datetime
from decimal import Decimal

import pytest

from gandan.analytics.engine import aggregate
from gandan.indicators.models import Indicator
from gandan.org import services as org
from gandan.work.services import activity_create, aggregate_entry_create

pytestmark = pytest.mark.django_db

START, REVIEW = datetime.date(2004, 7, 5), datetime.date(2019, 9, 10)


def _total(unit, code, value, qualifier="exact", start=START, end=REVIEW, number="1-BC"):
    return aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code=code), unit=unit, period_start=start,
        period_end=end, period_label=f"{start.year} - {end.year}", value=value,
        qualifier=qualifier, source_number=number, source_date=end,
    )  # fmt: skip


def _figure(unit, code, start=START, end=REVIEW, boundaries=None):
    return aggregate(
        unit=unit, start=start, end=end, boundaries=boundaries,
        indicators=[Indicator.objects.get(code=code)],
    )[code]  # fmt: skip


def test_the_minority_share_comes_from_the_roster(field):
    team = org.team_create(
        actor=None, name="Tổ Yang Tao", unit=field.yang_tao, established_on=START
    )
    for i, ethnicity in enumerate(["ede", "ede", "kinh"]):
        member = org.member_create(
            actor=None,
            identifier=f"T-{i}",
            full_name=f"Y Thử {i}",
            gender="nam",
            ethnicity=ethnicity,
        )
        org.membership_start(actor=None, member=member, team=team, start=START)

    share = _figure(field.lak, "members_minority_share")

    assert (share.value, share.qualifier) == (Decimal("66.7"), "exact")
    assert [s.label for s in share.sources] == [
        "Thành viên là người dân tộc thiểu số",
        "Thành viên Đội công tác",
    ]


def test_a_published_share_stands_in_where_the_roster_has_nothing(field):
    # "gần 80% là người dân tộc thiểu số" in the province's 2012 report
    _total(field.dak_lak, "members_minority_share", 80, "gan", end=datetime.date(2012, 12, 31))

    share = _figure(field.dak_lak, "members_minority_share", end=datetime.date(2012, 12, 31))

    assert (share.value, share.qualifier) == (80, "gan")
    # and a district is never given the province's percentage
    assert _figure(field.lak, "members_minority_share", end=datetime.date(2012, 12, 31)).value == 0


def test_a_whole_holds_its_parts_and_is_never_added_to_them(field, activity_input):
    # given new pens recorded in Yang Tao in 2006, and huyện Lắk's unsplit total of pens
    activity_create(
        actor=None,
        data=activity_input(
            field.yang_tao,
            datetime.date(2006, 5, 1),
            [field.yt_a],
            values={"livestock_pens_built": 12},
        ),
    )
    _total(field.lak, "livestock_pens", 300, "tren", end=datetime.date(2008, 12, 31))

    pens = _figure(field.lak, "livestock_pens")
    built = _figure(field.lak, "livestock_pens_built")

    # the whole is the district's total, which holds the 12 recorded; the part is its record
    assert (pens.value, pens.qualifier) == (300, "tren")
    assert (built.value, built.qualifier) == (12, "exact")


def test_a_figure_known_only_from_paper(field, province_admin):
    from gandan.indicators.services import IndicatorInput, indicator_create

    indicator_create(
        actor=province_admin,
        data=IndicatorInput(
            code="ho_thoat_ngheo", name_vi="Hộ thoát nghèo", name_en="Households out of poverty",
            unit="hộ", group="production", aggregation="sum", source="paper",
        ),
    )  # fmt: skip
    _total(field.lak, "ho_thoat_ngheo", 1200, "hon")

    figure = _figure(field.dak_lak, "ho_thoat_ngheo", boundaries=datetime.date(2025, 7, 1))

    assert (figure.value, figure.qualifier) == (1200, "hon")


def test_places_reached_as_published_are_never_added_to_the_records(field, activity_input):
    # given two villages of Yang Tao reached by records, and huyện Lắk's report of "604 thôn"
    for village in (field.yt_a, field.yt_b):
        activity_create(
            actor=None, data=activity_input(field.yang_tao, datetime.date(2010, 5, 1), [village])
        )
    _total(field.lak, "villages_reached", 604)

    figure = _figure(field.lak, "villages_reached")

    # the records' villages lie in the district, so they are among the 604: not added
    assert (figure.value, figure.qualifier) == (604, "exact")
    assert [s.status for s in figure.sources] == ["used", "used"]
    assert "2 trong số này" in figure.sources[0].reason


def test_a_stock_as_published_on_the_day_of_the_question(field):
    # "520 người" on 10-9-2019, and no roster
    _total(field.dak_lak, "members", 520, start=REVIEW, end=REVIEW)

    assert _figure(field.dak_lak, "members").value == 520
    # where the roster has nothing, the latest count published in the period stands in
    later = _figure(field.dak_lak, "members", end=datetime.date(2020, 12, 31))
    assert (later.value, later.qualifier) == (520, "exact")
    assert "10/09/2019" in later.sources[0].label
