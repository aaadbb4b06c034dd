"""Query budgets (issue 12): every indicator kind costs the same number of queries on a
2 districts × 2 months pivot as on a 15 districts × 12 months one, with data in many cells.

The field is built once for the module (and rolled back after it): in each of Đắk Lắk's 15
districts of 2024, a team with members (one of an ethnic minority, joining in a different
month in each district), a village assigned, a campaign with values in most months, two
awards, a grassroots case received and resolved, and paper totals of one month (a sum, a
stock, a distinct count, a ratio and a figure known only from paper); the province has
paper totals for the year. So every source the engine reads has rows in many cells of the
big question, and the paper totals' insides are read for many units and months.
"""

import datetime
from typing import cast

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from gandan.accounts.jurisdiction import jurisdictions_forget
from gandan.analytics.engine import pivot
from gandan.cases.models import CaseKind
from gandan.cases.services import case_advise, case_receive, case_resolve
from gandan.core.periods import periods_between
from gandan.geo.models import Kind, Level
from gandan.geo.selectors import children_on, unit_by_code
from gandan.geo.services import village_create
from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput, indicator_create
from gandan.org import services as org
from gandan.org.models import Membership, Team
from gandan.org.tests.factories import MemberFactory, MembershipFactory, TeamFactory
from gandan.work.models import ActivityType
from gandan.work.services import ActivityInput, activity_create, aggregate_entry_create

YEAR = 2024
ON = datetime.date(YEAR, 6, 1)
FIRST, LAST = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
FOUNDED = datetime.date(2004, 7, 5)
REFORM = datetime.date(2025, 7, 1)  # the districts end
PAPER_ONLY = "ho_thoat_ngheo"

# One indicator of every kind the engine answers, with what it reads.
KINDS = {
    "campaigns": "records: activities counted",
    "participants": "records: participants summed",
    "money_vnd": "records: a recorded value summed",
    "villages_reached": "records: distinct villages, with paper totals",
    "communes_reached": "records: distinct communes",
    "livestock_pens": "parts: a whole made of its parts' values",
    "vegetable_gardens": "records and paper totals (sum)",
    "members": "roster stock: members, with paper totals",
    "members_minority": "roster stock: members of an ethnic minority",
    "teams": "roster stock: teams",
    "villages_assigned": "roster stock: villages assigned",
    "members_minority_share": "ratio of two stocks, with paper percentages",
    "awards_collective": "awards counted",
    "awards_individual": "awards counted",
    "issues_received": "grassroots cases received",
    "issues_resolved": "grassroots cases resolved",
    PAPER_ONLY: "known only from paper totals",
}
# Queries of one indicator's pivot, whatever its size: the most any kind needs is 9 (a sum
# with paper totals of two levels, under a date's boundaries: the records, the totals, and
# one read of the records inside the totals of each level).
BUDGET = 9
CATALOGUE_BUDGET = 22  # every indicator of the catalogue at once
# the pivot page: session, user, scope, catalogue, the engine, the grid, and the places
# fingerprint that says whether the user's kept jurisdiction is current (32 when none is kept)
PAGE_BUDGET = 32


def _month_day(month: int, day: int = 10) -> datetime.date:
    return datetime.date(YEAR, month, day)


def _paper(indicator: str, unit, month: int, value: int, number: str, *, months: int = 1) -> None:
    start = _month_day(month, 1)
    end = periods_between(start, start.replace(month=month + months - 1), "month")[-1].end
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code=indicator), unit=unit,
        period_start=start, period_end=end, period_label=f"{months} tháng từ tháng {month}/{YEAR}",
        value=str(value), source_number=number, source_date=end,
    )  # fmt: skip


def _district_field(index: int, district, pdqc: ActivityType, land: CaseKind) -> None:
    version = children_on(district, ON, level=Level.COMMUNE).first()
    assert version is not None
    commune = version.unit
    since = max(FOUNDED, version.valid_from or FOUNDED, district.valid_from or FOUNDED)
    month = index % 12 + 1  # when this district's new member joins, is awarded, reports
    village = village_create(
        actor=None, commune=commune, name=f"Buôn số {index}", kind=Kind.BUON, valid_from=since
    )
    team = cast(Team, TeamFactory(unit=district, established_on=since))
    MembershipFactory(team=team, start=since, member=MemberFactory(ethnicity="kinh"))
    minority = cast(Membership, MembershipFactory(team=team, start=_month_day(month, 2)))
    org.assignment_create(
        actor=None, membership=minority, villages=[village], start=minority.start, end=REFORM
    )
    for worked in range(1, 13):
        if (worked + index) % 4 == 0:
            continue  # some cells stay empty
        day = _month_day(worked)
        activity_create(
            actor=None,
            data=ActivityInput(
                type=pdqc, unit=commune, start=day, end=day, villages=[village], teams=[],
                movements=[], partners=[], participants=10 + worked,
                values={"money_vnd": 1_000_000 * worked, "vegetable_gardens": worked,
                        "livestock_pens_built": 2, "livestock_pens_moved": 1},
            ),
        )  # fmt: skip
    for kind, number, winner in (
        ("bang_khen", "QĐ/TU", {"team": team}),
        ("giay_khen", "QĐ/KT", {"member": minority.member}),
    ):
        org.award_create(
            actor=None, kind=kind, awarding_body="Ban Thường vụ Tỉnh ủy Đắk Lắk",
            body_level="province", decision_number=f"{index}-{number}",
            decision_date=_month_day(month), **winner,
        )  # fmt: skip
    case = case_receive(
        actor=None, kind=land, unit=commune, received_on=_month_day(month),
        description="Hai hộ tranh chấp ranh giới rẫy cà phê", households=2,
    )  # fmt: skip
    case_advise(actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=_month_day(month))
    case_resolve(actor=None, case=case, outcome="Hòa giải xong", on=_month_day(month, 20))
    _paper("vegetable_gardens", district, month, 500, f"{index}-BC/VG")
    _paper("members", district, month, 40, f"{index}-BC/TV")
    _paper("villages_reached", district, month, 7, f"{index}-BC/TB")
    _paper("members_minority_share", district, month, 80, f"{index}-BC/TL")
    _paper(PAPER_ONLY, district, month, 100 + index, f"{index}-BC/TN")


@pytest.fixture(scope="module")
def districts(django_db_setup, django_db_blocker):
    """Đắk Lắk's 15 districts of 2024, with the field above; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        province = unit_by_code("66", level=Level.PROVINCE, on=ON)
        units = [v.unit for v in children_on(province, ON, level=Level.DISTRICT)]
        indicator_create(
            actor=None,
            data=IndicatorInput(
                code=PAPER_ONLY, name_vi="Hộ thoát nghèo", name_en="Households out of poverty",
                unit="hộ", group="production", aggregation="sum", source="paper",
            ),
        )  # fmt: skip
        pdqc = ActivityType.objects.get(code="pdqc")
        land = CaseKind.objects.get(code="tranh_chap_dat")
        for index, district in enumerate(units):
            _district_field(index, district, pdqc, land)
        for code, value in (("members", 600), ("vegetable_gardens", 9000), (PAPER_ONLY, 2000)):
            _paper(code, province, 1, value, f"1-BC/TU/{code}", months=12)
        yield units
        transaction.set_rollback(True)


def _queries(units, months: int, codes: list[str], boundaries: datetime.date | None) -> int:
    """The queries of one pivot; it must find data in at least one cell per unit."""
    periods = periods_between(FIRST, LAST, "month")[:months]
    indicators = list(Indicator.objects.filter(code__in=codes))
    with CaptureQueriesContext(connection) as captured:
        result = pivot(units=units, periods=periods, indicators=indicators, boundaries=boundaries)
    having = {u for u, p, _ in result.cells if p in {x.code for x in periods}
              and result.cells[(u, p, _)].has_data}  # fmt: skip
    assert {u.pk for u in units} <= having
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("boundaries", [None, ON], ids=["recorded", "boundaries"])
@pytest.mark.parametrize("code", list(KINDS))
def test_an_indicator_costs_the_same_queries_on_a_15_by_12_pivot_as_on_2_by_2(
    districts, code, boundaries
):
    # given 15 districts with data in many of their months
    assert len(districts) == 15

    # when one indicator is asked for 2 districts × 2 months, then for 15 × 12
    small = _queries(districts[:2], 2, [code], boundaries)
    big = _queries(districts, 12, [code], boundaries)

    # then the count does not grow with units × periods, and stays within the budget
    assert big == small
    assert big <= BUDGET


@pytest.mark.django_db
def test_the_whole_catalogue_costs_the_same_queries_on_both_pivots(districts):
    codes = list(Indicator.objects.values_list("code", flat=True))

    small = _queries(districts[:2], 2, codes, None)
    big = _queries(districts, 12, codes, None)

    assert big == small
    assert big <= CATALOGUE_BUDGET


@pytest.mark.django_db
@pytest.mark.parametrize("boundaries", ["recorded", ON.isoformat()])
def test_the_pivot_page_of_15_districts_by_month_keeps_its_budget(
    client, province_admin, districts, boundaries
):
    client.force_login(province_admin)
    province = unit_by_code("66", level=Level.PROVINCE, on=ON)
    question = {
        "unit": province.pk, "drill": "children", "by": "month", "boundaries": boundaries,
        "indicator": "members,teams,villages_assigned", "from": FIRST.isoformat(),
    }  # fmt: skip

    counts = []
    for to in (datetime.date(YEAR, 2, 29), LAST):
        jurisdictions_forget()  # both as a first request: nothing kept from the one before
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/analytics/pivot/", question | {"to": to.isoformat()})
        assert response.status_code == 200
        counts.append(len(captured))

    page = response.content.decode()
    assert all(escape(district.name) in page for district in districts)
    assert counts[0] == counts[1] <= PAGE_BUDGET
