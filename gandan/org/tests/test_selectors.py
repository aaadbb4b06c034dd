"""Reads: the headcount on any date, counted from membership records the day before, on and
after each join, leave and transfer; ethnicity per person only for administrators; awards."""

import datetime

import pytest

from gandan.core.models import AuditEntry
from gandan.geo.models import Kind
from gandan.geo.services import village_create
from gandan.org import services
from gandan.org.access import can_see_ethnicity, reveal_ethnicity
from gandan.org.models import LANGUAGES, Award
from gandan.org.selectors import award_counts, awards_in, headcount, member_history, team_members
from gandan.org.tests.factories import (
    FOUNDING,
    MemberFactory,
    MembershipFactory,
    team_tree,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
D = datetime.date(2019, 9, 10)
NO_LANGUAGE = {key: 0 for key, _label in LANGUAGES}


def _rows(count):
    return {key: n for key, _label, n in count.rows}


@pytest.fixture
def teams(places):
    """The team tree; the province team has one long-serving member (nam, Kinh, no
    minority language)."""
    teams = team_tree(places)
    veteran = MemberFactory(full_name="Trần Văn Bình", ethnicity="kinh", languages=[])
    MembershipFactory(member=veteran, team=teams.province)
    return teams


# Joins, leaves and transfers: the day before, on and after.


@pytest.mark.parametrize(("on", "joined"), [(D - DAY, 0), (D, 1), (D + DAY, 1)])
def test_a_member_is_counted_from_the_day_they_join(teams, places, on, joined):
    # given a member who joins the Yang Tao team on D
    MembershipFactory(team=teams.yang_tao, start=D)

    # when
    by_level = headcount(unit=places.dak_lak, on=on, by="level")
    by_unit = headcount(unit=places.lak, on=on, by="unit")

    # then
    assert by_level.total == 1 + joined
    assert _rows(by_level) == {"province": 1, "district": 0, "commune": joined}
    assert _rows(by_unit) == ({"24583": 1} if joined else {})


# The leaver: nữ, Ê Đê, speaks Ê Đê and M'nông; the veteran stays throughout.
LEAVER_ROWS = {
    "level": (
        {"province": 1, "district": 0, "commune": 1},
        {"province": 1, "district": 0, "commune": 0},
    ),
    "unit": ({"66": 1, "24583": 1}, {"66": 1}),
    "gender": ({"nam": 1, "nu": 1}, {"nam": 1, "nu": 0}),
    "ethnicity": ({"dtts": 1, "kinh": 1, "ede": 1}, {"dtts": 0, "kinh": 1}),
    "language": ({**NO_LANGUAGE, "ede": 1, "mnong": 1}, NO_LANGUAGE),
}


@pytest.mark.parametrize("by", sorted(LEAVER_ROWS))
@pytest.mark.parametrize(("on", "counted"), [(D - DAY, True), (D, True), (D + DAY, False)])
def test_a_leaver_is_counted_on_their_last_day_and_not_after(teams, places, by, on, counted):
    # given a member of the Yang Tao team whose last working day is D
    leaver = MemberFactory(gender="nu", ethnicity="ede", languages=["mnong", "ede"])
    membership = MembershipFactory(member=leaver, team=teams.yang_tao)
    services.membership_end(actor=None, membership=membership, last_day=D)

    # when
    count = headcount(unit=places.dak_lak, on=on, by=by)

    # then
    assert _rows(count) == LEAVER_ROWS[by][0 if counted else 1]
    assert (count.total, count.minority) == ((2, 1) if counted else (1, 0))


@pytest.mark.parametrize(
    ("on", "in_lak", "in_yang_tao"), [(D - DAY, 1, 0), (D, 0, 1), (D + DAY, 0, 1)]
)
def test_a_transfer_counts_the_member_once_in_the_old_team_then_the_new(
    teams, places, on, in_lak, in_yang_tao
):
    # given a district member transferred to the Yang Tao commune team on D
    mover = MembershipFactory(team=teams.lak).member
    services.member_transfer(actor=None, member=mover, to_team=teams.yang_tao, on=D)

    # when
    province = headcount(unit=places.dak_lak, on=on, by="level")
    lak = headcount(unit=places.lak, on=on, by="unit")

    # then: once in all, in one team only
    assert province.total == 2
    assert _rows(province) == {"province": 1, "district": in_lak, "commune": in_yang_tao}
    assert lak.total == 1
    assert _rows(lak) == ({"656": 1} if in_lak else {"24583": 1})
    assert [m.member for m in team_members(teams.lak, on)] == [mover] * in_lak
    assert [m.member for m in team_members(teams.yang_tao, on)] == [mover] * in_yang_tao


def test_member_history_shows_both_sides_of_a_transfer(teams):
    # given
    mover = MembershipFactory(team=teams.lak).member
    services.member_transfer(actor=None, member=mover, to_team=teams.yang_tao, on=D)

    # when
    history = [(m.team, m.start, m.end, m.end_reason) for m in member_history(mover)]

    # then
    assert history == [
        (teams.lak, FOUNDING, D, "transfer"),
        (teams.yang_tao, D, None, ""),
    ]


# Breakdowns on one day.


@pytest.fixture
def roster(teams):
    """Besides the veteran: two in Yang Tao, one in Lắk's team, one in Nam Ka."""
    people = [
        (teams.yang_tao, "nam", "ede", ["ede"]),
        (teams.yang_tao, "nu", "kinh", ["ede"]),
        (teams.lak, "nu", "mnong", ["mnong", "ede"]),
        (teams.nam_ka, "nam", "jrai", ["jrai"]),
    ]
    for team, gender, ethnicity, languages in people:
        member = MemberFactory(gender=gender, ethnicity=ethnicity, languages=languages)
        MembershipFactory(member=member, team=team, start=D - 100 * DAY)
    return teams


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("level", {"province": 1, "district": 1, "commune": 3}),
        ("unit", {"66": 1, "656": 1, "24583": 2, "24607": 1}),
        ("gender", {"nam": 3, "nu": 2}),
        ("ethnicity", {"dtts": 3, "kinh": 2, "ede": 1, "mnong": 1, "jrai": 1}),
        ("language", {**NO_LANGUAGE, "ede": 3, "mnong": 1, "jrai": 1}),
    ],
)
def test_headcount_breakdowns_of_the_province(roster, places, by, expected):
    count = headcount(unit=places.dak_lak, on=D, by=by)

    assert _rows(count) == expected
    assert (count.total, count.minority, count.teams) == (5, 3, 4)
    assert count.minority_share == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("unit_name", "total", "minority", "n_teams"),
    [("lak", 4, 3, 3), ("yang_tao", 2, 1, 1), ("nam_ka", 1, 1, 1), ("ea_kao", 0, 0, 0)],
)
def test_headcount_of_a_unit_counts_its_teams_and_those_below(
    roster, places, unit_name, total, minority, n_teams
):
    count = headcount(unit=getattr(places, unit_name), on=D, by="gender")

    assert (count.total, count.minority, count.teams) == (total, minority, n_teams)
    assert sum(n for _key, _label, n in count.rows) == total


def test_headcount_by_unit_lists_the_province_then_its_district_then_communes(roster, places):
    count = headcount(unit=places.dak_lak, on=D, by="unit")

    assert [key for key, _label, _n in count.rows] == ["66", "656", "24607", "24583"]


def test_headcount_before_anyone_joined_is_zero(roster, places):
    count = headcount(unit=places.dak_lak, on=FOUNDING - DAY, by="ethnicity")

    assert (count.total, count.teams, count.minority_share) == (0, 0, 0.0)
    assert _rows(count) == {"dtts": 0}


def test_headcount_refuses_an_unknown_breakdown(places):
    with pytest.raises(ValueError, match="religion"):
        headcount(unit=places.dak_lak, on=D, by="religion")


@pytest.mark.parametrize(
    ("on", "covered"), [(D - DAY, 0), (D, 1), (D + 9 * DAY, 1), (D + 10 * DAY, 0)]
)
def test_villages_covered_count_each_village_once_during_the_assignment(
    roster, places, on, covered
):
    # given two Yang Tao members both covering buôn Yang Lah for ten days from D
    yang_lah = village_create(
        actor=None, commune=places.yang_tao, name="Yang Lah", kind=Kind.BUON, valid_from=FOUNDING
    )
    for membership in team_members(roster.yang_tao, D):
        services.assignment_create(
            actor=None, membership=membership, villages=[yang_lah], start=D, end=D + 10 * DAY
        )

    # when
    count = headcount(unit=places.dak_lak, on=on)

    # then
    assert count.villages_covered == covered


# Ethnicity is shown per person only to administrators, and each view is logged.


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("province_admin", True), ("lak_clerk", False), ("commune_clerk", False), ("leader", False)],
)
def test_only_an_admin_may_see_ethnicity(cast, who, allowed):
    assert can_see_ethnicity(cast[who]) is allowed


def test_an_admin_revealing_ethnicity_is_logged(province_admin, teams):
    # given a member of a team in the admin's province
    member = MemberFactory(full_name="H'Hồng Niê", ethnicity="ede")
    MembershipFactory(member=member, team=teams.yang_tao)
    before = AuditEntry.objects.count()

    # when
    shown = reveal_ethnicity(province_admin, member)

    # then
    assert shown == "Ê Đê"
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action="org.view_ethnicity")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        province_admin.pk,
        "org.member",
        str(member.pk),
    )
    assert "H'Hồng Niê" in entry.message


@pytest.mark.parametrize("who", ["lak_clerk", "commune_clerk", "leader"])
def test_a_non_admin_reveal_shows_and_logs_nothing(cast, who):
    member = MemberFactory(ethnicity="mnong")
    before = AuditEntry.objects.count()

    assert reveal_ethnicity(cast[who], member) is None
    assert AuditEntry.objects.count() == before


def test_an_admin_of_another_province_may_not_see_ethnicity(teams, outsider):
    member = MembershipFactory(team=teams.yang_tao).member

    assert reveal_ethnicity(outsider, member) is None


# Awards by period: inclusive dates, as published.


@pytest.fixture
def awards(teams, places):
    """Awards on either side of the 2004-07-05 … 2019-09-10 period, and on its edges."""
    member = MembershipFactory(team=teams.yang_tao).member
    common = {"actor": None, "awarding_body": "UBND tỉnh", "body_level": "province"}
    specs = [
        (FOUNDING - DAY, "bang_khen", {"unit": places.lak, "collective_name": "Huyện Lắk"}),
        (FOUNDING, "bang_khen", {"team": teams.province}),
        (FOUNDING, "bang_khen", {"member": member}),
        (D - 30 * DAY, "giay_khen", {"unit": places.yang_tao, "collective_name": "Buôn Jun"}),
        (D, "bang_khen", {"team": teams.yang_tao}),
        (D, "bang_khen", {"member": member}),
        (D + DAY, "bang_khen", {"member": member}),
    ]
    for n, (on, kind, recipient) in enumerate(specs):
        services.award_create(
            **common, kind=kind, decision_number=f"{n}-QĐ", decision_date=on, **recipient
        )
    return member


def test_award_counts_include_both_ends_of_the_period(awards):
    in_period = awards_in(unit_ids=None, date_from=FOUNDING, date_to=D)

    assert award_counts(in_period) == {
        "bang_khen": {"collective": 2, "individual": 2},
        "giay_khen": {"collective": 1, "individual": 0},
    }


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (None, None, {"bang_khen": {"collective": 3, "individual": 3}}),
        (FOUNDING + DAY, D - DAY, {}),
        (D, D, {"bang_khen": {"collective": 1, "individual": 1}}),
        (D + DAY, None, {"bang_khen": {"collective": 0, "individual": 1}}),
        (None, FOUNDING - DAY, {"bang_khen": {"collective": 1, "individual": 0}}),
    ],
)
def test_award_counts_by_period(awards, date_from, date_to, expected):
    in_period = awards_in(unit_ids=None, date_from=date_from, date_to=date_to)

    assert award_counts(in_period.filter(kind=Award.Kind.BANG_KHEN)) == expected


def test_awards_in_a_unit_are_those_of_its_teams_members_and_collectives(awards, places):
    in_yang_tao = awards_in(unit_ids={places.yang_tao.pk})

    assert sorted(a.decision_number for a in in_yang_tao) == [
        "2-QĐ",
        "3-QĐ",
        "4-QĐ",
        "5-QĐ",
        "6-QĐ",
    ]
    assert award_counts(in_yang_tao) == {
        "bang_khen": {"collective": 1, "individual": 3},
        "giay_khen": {"collective": 1, "individual": 0},
    }
