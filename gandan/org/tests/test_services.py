"""Writes: teams, memberships, assignments, the 2025 dissolutions and awards. A refusal is a
Vietnamese DomainError that writes nothing; what is accepted is read back through headcount."""

import contextlib
import datetime

import pytest

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.geo.models import Kind
from gandan.geo.services import village_create
from gandan.org import services
from gandan.org.models import Assignment, Award, Member, Membership, Team, TeamEvent
from gandan.org.selectors import headcount
from gandan.org.tests.factories import (
    FOUNDING,
    MemberFactory,
    MembershipFactory,
    TeamFactory,
    team_tree,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
D = datetime.date(2019, 9, 10)
REFORM = datetime.date(2025, 7, 1)
JOINED = datetime.date(2010, 1, 1)
LAST_DAY = datetime.date(2014, 12, 31)


ROW_MODELS = (Team, Member, Membership, Assignment, TeamEvent, Award, AuditEntry)


def _row_counts():
    return [model.objects.count() for model in ROW_MODELS]


@contextlib.contextmanager
def refused(message):
    """The block raises a DomainError matching ``message`` and leaves every table as it was."""
    before = _row_counts()
    with pytest.raises(DomainError, match=message):
        yield
    assert _row_counts() == before


def _levels(places, on):
    return {key: n for key, _label, n in headcount(unit=places.dak_lak, on=on).rows}


@pytest.fixture
def teams(places):
    return team_tree(places)


# Memberships never overlap.


@pytest.fixture
def former(teams):
    """A member of the Yang Tao team from 1-1-2010, whose last working day was 31-12-2014."""
    membership = MembershipFactory(team=teams.yang_tao, start=JOINED)
    services.membership_end(actor=None, membership=membership, last_day=LAST_DAY)
    return membership.member


@pytest.mark.parametrize("start", [JOINED - DAY, JOINED, JOINED + 100 * DAY, LAST_DAY])
def test_an_overlapping_membership_is_refused(teams, former, start):
    with refused("không thể có hai thời gian công tác chồng nhau"):
        services.membership_start(actor=None, member=former, team=teams.nam_ka, start=start)


def test_a_membership_from_the_day_after_the_last_day_is_accepted(teams, former):
    # when
    services.membership_start(actor=None, member=former, team=teams.nam_ka, start=LAST_DAY + DAY)

    # then: still one membership on each day, and a second open one is refused
    assert [(m.team, m.start, m.end) for m in former.memberships.all()] == [
        (teams.yang_tao, JOINED, LAST_DAY + DAY),
        (teams.nam_ka, LAST_DAY + DAY, None),
    ]
    with refused("chồng nhau"):
        services.membership_start(actor=None, member=former, team=teams.lak, start=D)


def test_membership_end_refuses_a_last_day_before_the_start_or_after_the_end(teams, former):
    later = MembershipFactory(member=former, team=teams.nam_ka, start=LAST_DAY + DAY)

    with refused("Ngày kết thúc phải sau ngày bắt đầu"):
        services.membership_end(actor=None, membership=later, last_day=LAST_DAY)
    with refused("đã kết thúc"):
        services.membership_end(actor=None, membership=former.memberships.first(), last_day=D)


# Teams live on a unit valid on their dates; memberships in active teams only.


@pytest.mark.parametrize(
    ("unit_name", "on", "message"),
    [
        ("lien_son_lak", REFORM - DAY, "không có hiệu lực vào ngày 30/06/2025"),
        ("yang_tao", REFORM, "không có hiệu lực vào ngày 01/07/2025"),
        ("lak", REFORM, "không có hiệu lực"),
        ("yang_tao_village", D, "cấp tỉnh, huyện hoặc xã"),
    ],
)
def test_team_create_refuses_a_unit_not_valid_on_the_date(places, unit_name, on, message):
    with refused(message):
        TeamFactory(unit=getattr(places, unit_name), established_on=on)


@pytest.mark.parametrize(
    ("unit_name", "on", "level"),
    [
        ("lien_son_lak", REFORM, "commune"),
        ("yang_tao", REFORM - DAY, "commune"),
        ("lak", D, "district"),
    ],
)
def test_team_create_on_a_valid_unit_records_its_establishment(places, unit_name, on, level):
    team = TeamFactory(name="  Tổ   công tác  ", unit=getattr(places, unit_name), established_on=on)

    assert (team.name, team.level, team.established_on) == ("Tổ công tác", level, on)
    assert list(team.events.values_list("type", "on")) == [("establish", on)]
    assert AuditEntry.objects.filter(action="org.team_create", target_id=str(team.pk)).exists()


def test_team_create_refuses_a_parent_not_active_on_the_date(teams):
    services.team_dissolve(actor=None, team=teams.lak, on=D)

    with refused("Đội cấp trên"):
        TeamFactory(unit=teams.nam_ka.unit, established_on=D, parent=teams.lak)


def test_a_membership_outside_the_team_life_is_refused_and_ends_with_the_team(teams):
    # given the Nam Ka team, from 5-7-2004, dissolved from D
    services.team_dissolve(actor=None, team=teams.nam_ka, on=D)
    member = MemberFactory()

    # then
    for start, shown in ((FOUNDING - DAY, "04/07/2004"), (D, "10/09/2019")):
        with refused(f"không hoạt động vào ngày {shown}"):
            MembershipFactory(member=member, team=teams.nam_ka, start=start)
    last = MembershipFactory(member=member, team=teams.nam_ka, start=D - DAY)
    assert (last.end, last.end_reason) == (D, "dissolved")


def test_a_transfer_to_a_team_not_active_is_refused_and_keeps_the_old_membership(teams):
    membership = MembershipFactory(team=teams.yang_tao)
    services.team_dissolve(actor=None, team=teams.nam_ka, on=D)

    with refused("không hoạt động"):
        services.member_transfer(actor=None, member=membership.member, to_team=teams.nam_ka, on=D)
    membership.refresh_from_db()
    assert membership.end is None


@pytest.mark.parametrize(
    ("to", "on", "message"),
    [("yang_tao", D, "đã ở"), ("nam_ka", FOUNDING, "không có thời gian công tác nào")],
)
def test_a_transfer_needs_a_membership_on_the_date_in_another_team(teams, to, on, message):
    member = MembershipFactory(team=teams.yang_tao).member

    with refused(message):
        services.member_transfer(actor=None, member=member, to_team=getattr(teams, to), on=on)


# Assignments: villages inside the team's unit, within the membership.


@pytest.fixture
def yang_lah(places):
    return village_create(
        actor=None, commune=places.yang_tao, name="Yang Lah", kind=Kind.BUON, valid_from=FOUNDING
    )


@pytest.fixture
def served(teams):
    """A Yang Tao team membership from 5-7-2004 to its last day, 31-12-2014."""
    membership = MembershipFactory(team=teams.yang_tao)
    return services.membership_end(actor=None, membership=membership, last_day=LAST_DAY)


@pytest.mark.parametrize(
    ("village", "start", "end", "message"),
    [
        ("nam_ka_village", JOINED, LAST_DAY, "không thuộc địa bàn của Tổ Yang Tao"),
        ("dak_pek_village", JOINED, LAST_DAY, "không thuộc địa bàn"),
        # Hòa Bình exists from 1-1-2010 only.
        ("yang_tao_village", JOINED - DAY, LAST_DAY, "không thuộc địa bàn"),
        ("yang_tao", JOINED, LAST_DAY, "không phải thôn, buôn"),
        ("yang_lah", FOUNDING - DAY, LAST_DAY, "phải nằm trong thời gian công tác"),
        ("yang_lah", JOINED, LAST_DAY + 2 * DAY, "phải nằm trong thời gian công tác"),
        ("yang_lah", JOINED, None, "phải nằm trong thời gian công tác"),
        ("yang_lah", JOINED, JOINED, "Ngày kết thúc phải sau ngày bắt đầu"),
    ],
)
def test_an_assignment_outside_the_unit_or_the_membership_is_refused(
    places, yang_lah, served, village, start, end, message
):
    target = yang_lah if village == "yang_lah" else getattr(places, village)

    with refused(message):
        services.assignment_create(
            actor=None, membership=served, villages=[target], start=start, end=end
        )


def test_an_assignment_needs_a_village(served):
    with refused("ít nhất một thôn, buôn"):
        services.assignment_create(actor=None, membership=served, villages=[], start=JOINED)


def test_an_assignment_inside_is_accepted_and_covers_its_villages(places, yang_lah, served):
    # when
    assignment = services.assignment_create(
        actor=None,
        membership=served,
        villages=[yang_lah, places.yang_tao_village],
        start=JOINED,
        end=LAST_DAY + DAY,
    )

    # then
    assert set(assignment.villages.all()) == {yang_lah, places.yang_tao_village}
    covered = [headcount(unit=places.yang_tao, on=on).villages_covered for on in (
        JOINED - DAY, JOINED, LAST_DAY, LAST_DAY + DAY
    )]  # fmt: skip
    assert covered == [0, 2, 2, 0]


def test_a_legacy_commune_village_can_be_covered_until_2025_only(teams, yang_lah):
    membership = MembershipFactory(team=teams.yang_tao)

    with refused("trong suốt thời gian phân công"):
        services.assignment_create(actor=None, membership=membership, villages=[yang_lah], start=D)
    services.assignment_create(
        actor=None, membership=membership, villages=[yang_lah], start=D, end=REFORM
    )


def test_a_district_team_member_may_cover_a_village_of_its_communes(places, teams, yang_lah):
    membership = MembershipFactory(team=teams.lak)

    services.assignment_create(
        actor=None, membership=membership, villages=[yang_lah], start=D, end=REFORM
    )

    assert headcount(unit=places.lak, on=D).villages_covered == 1


def test_a_transfer_ends_the_assignments_of_the_old_membership(places, teams, yang_lah):
    membership = MembershipFactory(team=teams.yang_tao)
    assignment = services.assignment_create(
        actor=None, membership=membership, villages=[yang_lah], start=JOINED, end=REFORM
    )

    services.member_transfer(actor=None, member=membership.member, to_team=teams.nam_ka, on=D)

    assignment.refresh_from_db()
    assert assignment.end == D
    assert [headcount(unit=places.lak, on=on).villages_covered for on in (D - DAY, D)] == [1, 0]


def test_a_province_team_may_not_cover_a_village_of_another_province_before_the_merger(
    places, teams
):
    village = village_create(
        actor=None,
        commune=places.phu_yen_commune,
        name="Phú Hòa",
        kind=Kind.THON,
        valid_from=JOINED,
    )
    membership = MembershipFactory(team=teams.province)

    with refused("không thuộc địa bàn"):
        services.assignment_create(
            actor=None, membership=membership, villages=[village], start=D, end=D + DAY
        )


# The 2025 reorganisation: district teams end on 1-7-2025.


@pytest.fixture
def lak_members(teams):
    return [MembershipFactory(team=teams.lak, start=JOINED).member for _ in range(3)]


def test_a_district_team_dissolved_in_2025_leaves_nobody_at_district_level(
    places, teams, lak_members
):
    # when
    event = services.team_dissolve(actor=None, team=teams.lak, on=REFORM)

    # then
    assert _levels(places, REFORM - DAY) == {"province": 0, "district": 3, "commune": 0}
    assert _levels(places, REFORM) == {"province": 0, "district": 0, "commune": 0}
    assert (event.type, event.target, event.members_transferred) == ("dissolve", None, 0)
    assert set(teams.lak.memberships.values_list("end", "end_reason")) == {(REFORM, "dissolved")}
    teams.lak.refresh_from_db()
    assert teams.lak.dissolved_on == REFORM


def test_a_district_team_dissolved_into_the_province_team_moves_its_members_up(
    places, teams, lak_members
):
    # when
    event = services.team_dissolve(
        actor=None, team=teams.lak, on=REFORM, transfer_to=teams.province
    )

    # then
    assert _levels(places, REFORM - DAY) == {"province": 0, "district": 3, "commune": 0}
    assert _levels(places, REFORM) == {"province": 3, "district": 0, "commune": 0}
    assert (event.type, event.target, event.members_transferred) == ("merge", teams.province, 3)
    assert list(teams.lak.events.values_list("type", flat=True)) == ["establish", "merge"]
    assert set(teams.province.memberships.values_list("member", "start", "start_reason")) == {
        (m.pk, REFORM, "transfer") for m in lak_members
    }
    entry = AuditEntry.objects.get(action="org.team_dissolve")
    assert "chuyển 3 thành viên sang Đội tỉnh Đắk Lắk" in entry.message


def test_a_legacy_commune_team_dissolved_into_the_2025_commune_keeps_the_headcount(places, teams):
    # given two members of Yang Tao's team and the new team of xã Liên Sơn Lắk
    for _ in range(2):
        MembershipFactory(team=teams.yang_tao, start=JOINED)
    lien_son_lak = TeamFactory(
        name="Tổ Liên Sơn Lắk", unit=places.lien_son_lak, established_on=REFORM
    )

    # when
    services.team_dissolve(actor=None, team=teams.yang_tao, on=REFORM, transfer_to=lien_son_lak)

    # then
    before = headcount(unit=places.dak_lak, on=REFORM - DAY, by="unit")
    after = headcount(unit=places.dak_lak, on=REFORM, by="unit")
    assert _levels(places, REFORM - DAY) == _levels(places, REFORM) == {
        "province": 0, "district": 0, "commune": 2,
    }  # fmt: skip
    assert [(key, n) for key, _label, n in before.rows] == [("24583", 2)]
    assert [(key, label, n) for key, label, n in after.rows] == [("24580", "Xã Liên Sơn Lắk", 2)]


def test_team_dissolve_refuses_bad_dates_and_inactive_targets(places, teams):
    new = TeamFactory(name="Tổ Liên Sơn Lắk", unit=places.lien_son_lak, established_on=REFORM)

    with refused("không hoạt động trước ngày 05/07/2004"):
        services.team_dissolve(actor=None, team=teams.yang_tao, on=FOUNDING)
    with refused("Tổ Liên Sơn Lắk không hoạt động vào ngày 30/06/2025"):
        services.team_dissolve(actor=None, team=teams.yang_tao, on=REFORM - DAY, transfer_to=new)
    services.team_dissolve(actor=None, team=teams.yang_tao, on=D)
    with refused("không hoạt động trước ngày 01/07/2025"):
        services.team_dissolve(actor=None, team=teams.yang_tao, on=REFORM)


def test_a_team_cannot_be_dissolved_into_itself(teams):
    MembershipFactory(team=teams.yang_tao)

    with refused("không"):
        services.team_dissolve(actor=None, team=teams.yang_tao, on=D, transfer_to=teams.yang_tao)


# Awards: a collective (team or named) or a member, whose unit is that of the date.

AWARD = {
    "actor": None,
    "kind": "bang_khen",
    "awarding_body": "Ban Thường vụ Tỉnh ủy Đắk Lắk",
    "body_level": "province",
    "decision_number": "2139-QĐ/TU",
    "decision_date": D,
}


def test_an_award_to_a_team_belongs_to_the_team_unit(places, teams):
    award = services.award_create(**AWARD, team=teams.yang_tao, phase="giai đoạn 2004-2019")

    assert (award.unit, award.team, award.is_individual) == (places.yang_tao, teams.yang_tao, False)
    assert award.recipient == "Tổ Yang Tao"
    assert AuditEntry.objects.filter(action="org.award_create", target_id=str(award.pk)).exists()


@pytest.mark.parametrize(
    ("decided", "unit_name"),
    [(D - DAY, "yang_tao"), (D, "lak"), (D + DAY, "lak"), (REFORM + DAY, "lak")],
)
def test_an_award_to_a_member_belongs_to_their_unit_on_the_decision_date(
    places, teams, decided, unit_name
):
    # given a member moved from Yang Tao's team to Lắk's on D, who left on 30-6-2025
    member = MembershipFactory(team=teams.yang_tao).member
    moved = services.member_transfer(actor=None, member=member, to_team=teams.lak, on=D)
    services.membership_end(actor=None, membership=moved, last_day=REFORM - DAY)

    # when
    award = services.award_create(**{**AWARD, "decision_date": decided}, member=member)

    # then
    expected = getattr(places, unit_name)
    assert (award.unit, award.member, award.is_individual) == (expected, member, True)


def test_an_award_to_a_named_collective_of_a_unit(places):
    award = services.award_create(**AWARD, unit=places.yang_tao, collective_name=" Buôn  Jun ")

    assert (award.unit, award.team, award.member) == (places.yang_tao, None, None)
    assert (award.recipient, award.is_individual) == ("Buôn Jun", False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"team": "TEAM", "member": "MEMBER"}, "Chỉ chọn một"),
        ({"team": "TEAM", "kind": "bang-khen"}, "Hình thức khen thưởng không hợp lệ"),
        ({"team": "TEAM", "body_level": "tw"}, "Cấp khen thưởng không hợp lệ"),
        ({"team": "TEAM", "decision_number": "   "}, "Số quyết định không được để trống"),
        ({"member": "NEWCOMER"}, "chưa tham gia đội nào vào ngày quyết định"),
        ({"member": "MEMBER", "decision_date": FOUNDING - DAY}, "chưa tham gia đội nào"),
        ({"unit": "UNIT"}, "ghi tên tập thể và đơn vị"),
        ({"collective_name": "Buôn Jun"}, "ghi tên tập thể và đơn vị"),
    ],
)
def test_award_create_refuses_an_incomplete_or_ambiguous_award(places, teams, changes, message):
    member = MembershipFactory(team=teams.yang_tao).member
    named = {"TEAM": teams.yang_tao, "MEMBER": member, "NEWCOMER": MemberFactory()}
    fields = {key: named.get(value, value) for key, value in changes.items()}
    fields = {**fields, "unit": places.yang_tao} if "unit" in fields else fields

    with refused(message):
        services.award_create(**{**AWARD, **fields})
