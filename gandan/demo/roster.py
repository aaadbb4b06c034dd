"""The demo roster: teams at province, district and commune level from 5-7-2004, with
turnover, transfers, the 2025 reorganisation and the 2004–2019 awards.

Everything goes through ``gandan.org.services`` and is deterministic (seeded). The only
targets it aims at are the ones the 2019 review states: on 10-9-2019, 30 members at province
level, 88 at district level and 402 at commune level; about 80% ethnic minority.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import default_successor_on, unit_by_code, units_on, version_on
from gandan.geo.services import legal_document_get_or_create
from gandan.org import services
from gandan.org.models import Award, Member, Membership, Position, Team
from gandan.org.selectors import held_on

FOUNDING = datetime.date(2004, 7, 5)
REVIEW = datetime.date(2019, 9, 10)
REFORM = datetime.date(2025, 7, 1)
TARGETS = {"province": 30, "district": 88, "commune": 402}

ETHNICITY_WEIGHTS = [
    ("ede", 44),
    ("mnong", 12),
    ("jrai", 9),
    ("tay", 6),
    ("nung", 5),
    ("thai", 2),
    ("muong", 2),
    ("kinh", 20),
]
EDE_CLANS = [
    "Niê",
    "Mlô",
    "Ayun",
    "Êban",
    "Adrơng",
    "Byă",
    "Ktla",
    "Hđơk",
    "Knul",
    "Kpă",
    "Mdrang",
    "Ksơr",
    "Êñuôl",
    "Buôn Yă",
    "Bđăp",
]
EDE_MEN = [
    "Săn",
    "Blir",
    "Khoa",
    "Dhông",
    "Kŭ",
    "Bhiông",
    "Thuôt",
    "Jŭ",
    "Rơ Ô",
    "Čư",
    "Wơn",
    "Nuê",
]
EDE_WOMEN = ["Hồng", "Thoa", "Bia", "Ngơ̆ng", "Lan", "Hiên", "Đuôn", "Ŏk", "Nhŭ", "Mai", "Krôk"]
MNONG_CLANS = ["Bon", "Bya", "Liêng", "Đinh", "Nđơr", "Mlô"]
KINH_FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh"]
KINH_MIDDLE = {"nam": ["Văn", "Hữu", "Đức", "Minh"], "nu": ["Thị", "Ngọc", "Thu"]}
KINH_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
]
LANGUAGE_OF = {
    "ede": "ede",
    "mnong": "mnong",
    "jrai": "jrai",
    "tay": "tay",
    "nung": "nung",
    "thai": "thai",
}

Progress = Callable[[str], None]


class _People:
    """Deterministic names, genders and ethnicities."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0
        self.groups = [g for g, _w in ETHNICITY_WEIGHTS]
        self.weights = [w for _g, w in ETHNICITY_WEIGHTS]

    def new(self) -> Member:
        rng = self.rng
        self.counter += 1
        ethnicity = rng.choices(self.groups, self.weights)[0]
        gender = "nu" if rng.random() < 0.38 else "nam"
        if ethnicity in {"ede", "jrai"}:
            given = rng.choice(EDE_WOMEN if gender == "nu" else EDE_MEN)
            name = f"{'H’' if gender == 'nu' else 'Y'} {given} {rng.choice(EDE_CLANS)}"
        elif ethnicity == "mnong":
            given = rng.choice(EDE_WOMEN if gender == "nu" else EDE_MEN)
            name = f"{'H’' if gender == 'nu' else 'Y'} {given} {rng.choice(MNONG_CLANS)}"
        else:
            name = f"{rng.choice(KINH_FAMILIES)} {rng.choice(KINH_MIDDLE[gender])} {rng.choice(KINH_GIVEN)}"
        languages = [LANGUAGE_OF[ethnicity]] if ethnicity in LANGUAGE_OF else []
        if ethnicity == "kinh" and rng.random() < 0.4:
            languages = ["ede"]
        return services.member_create(
            actor=None,
            identifier=f"DL-{self.counter:04d}",
            full_name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_year=rng.randint(1962, 1996),
            languages=languages,
        )


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _staff(
    team: Team, seats: int, people: _People, rng: random.Random, *, positions: bool = True
) -> None:
    """Fill ``seats`` seats from the team's founding; some seats turn over before 2019."""
    for seat in range(seats):
        position = (
            Position.LEADER
            if seat == 0 and positions
            else Position.DEPUTY
            if seat == 1 and positions
            else Position.MEMBER
        )
        start = team.established_on + datetime.timedelta(days=rng.randint(0, 400))
        member = people.new()
        membership = services.membership_start(
            actor=None,
            member=member,
            team=team,
            start=start,
            position=position,
            reason=Membership.StartReason.FOUNDING
            if start == team.established_on
            else Membership.StartReason.JOIN,
        )
        if rng.random() < 0.3:
            last_day = start + datetime.timedelta(days=rng.randint(400, 4500))
            if last_day < REVIEW - datetime.timedelta(days=30):
                services.membership_end(actor=None, membership=membership, last_day=last_day)
                successor = people.new()
                services.membership_start(
                    actor=None,
                    member=successor,
                    team=team,
                    start=last_day + datetime.timedelta(days=1),
                    position=position,
                )


def _start(unit: AdminUnit) -> datetime.date:
    """The team's founding day: 5-7-2004, or the day a unit born later began."""
    return max(FOUNDING, unit.valid_from or FOUNDING)


def roster_load(*, progress: Progress | None = None) -> None:
    """Build the demo organisation. Does nothing if teams already exist."""
    say = progress or (lambda _msg: None)
    if Team.objects.exists():
        return
    rng = random.Random(253)
    people = _People(rng)
    basis = legal_document_get_or_create(
        number="253-TB/TU",
        issued_on=FOUNDING,
        issuer="Thường trực Tỉnh ủy Đắk Lắk",
        title="Thông báo về việc thành lập Đội công tác phát động quần chúng chuyên trách các cấp",
    )
    legal_document_get_or_create(
        number="43-TB/BTC",
        issued_on=datetime.date(2004, 7, 30),
        issuer="Ban Tổ chức Tỉnh ủy Đắk Lắk",
        title="Thông báo về tổ chức, biên chế Đội công tác phát động quần chúng chuyên trách",
    )
    province = unit_by_code("66", level=Level.PROVINCE, on=REVIEW)
    districts = [v.unit for v in units_on(REVIEW, level=Level.DISTRICT, within=province)]
    say("Lập đội công tác cấp tỉnh, 15 huyện và các xã …")
    province_team = services.team_create(
        actor=None,
        name="Đội công tác PĐQC chuyên trách tỉnh Đắk Lắk",
        unit=province,
        established_on=FOUNDING,
        basis=basis,
    )
    _staff(province_team, TARGETS["province"], people, rng)
    district_teams: dict[int, Team] = {}
    for district, seats in zip(districts, _split(TARGETS["district"], len(districts)), strict=True):
        team = services.team_create(
            actor=None,
            name=f"Đội công tác PĐQC {district}",
            unit=district,
            established_on=_start(district),
            basis=basis,
            parent=province_team,
        )
        district_teams[district.pk] = team
        _staff(team, seats, people, rng)
    communes = list(units_on(REVIEW, level=Level.COMMUNE, within=province))
    commune_teams: list[Team] = []
    for version, seats in zip(communes, _split(TARGETS["commune"], len(communes)), strict=True):
        # A commune born after 2004 gets its team then, under its district of that day.
        start = _start(version.unit)
        first = version_on(version.unit, start)
        team = services.team_create(
            actor=None,
            name=f"Tổ công tác PĐQC {version.full_name}",
            kind=Team.Kind.TO,
            unit=version.unit,
            established_on=start,
            basis=basis,
            parent=district_teams.get(first.parent_id if first and first.parent_id else 0),
        )
        commune_teams.append(team)
        _staff(team, seats, people, rng)
    _transfers(province_team, list(district_teams.values()), rng)
    say("Sắp xếp lại từ 01-7-2025: giải thể đội cấp huyện, lập tổ công tác các xã mới …")
    _reorganise_2025(province_team, list(district_teams.values()), commune_teams, rng)
    _assign_demo_villages()
    say("Khen thưởng giai đoạn 2004-2019 …")
    _awards(province_team, list(district_teams.values()), commune_teams, rng)


def _transfers(province_team: Team, district_teams: list[Team], rng: random.Random) -> None:
    """A few district members moved up to the province team, swapping seats, so that the
    2019 counts by level stay as recorded while transfers exist in the history."""
    for district_team in rng.sample(district_teams, 4):
        on = datetime.date(rng.randint(2010, 2017), rng.randint(1, 12), 1)
        mover = district_team.memberships.filter(
            start__lt=on, end__isnull=True, position=Position.MEMBER
        ).first()
        back = province_team.memberships.filter(
            start__lt=on, end__isnull=True, position=Position.MEMBER
        ).first()
        if mover is None or back is None:
            continue
        services.member_transfer(actor=None, member=mover.member, to_team=province_team, on=on)
        services.member_transfer(actor=None, member=back.member, to_team=district_team, on=on)


def _reorganise_2025(
    province_team: Team, district_teams: list[Team], commune_teams: list[Team], rng: random.Random
) -> None:
    note = "Mô hình hóa: không có nguồn công khai về đội cấp huyện sau 01-7-2025 (domain.md §1)."
    by_unit = {team.unit_id: team for team in commune_teams}
    for team in commune_teams:
        # Communes merged in 2024 (NQ 1193): their team joins the successor commune's team.
        ended = team.unit.valid_to
        if ended is not None and ended < REFORM:
            successor = default_successor_on(team.unit, ended)
            if successor is not None and successor.pk in by_unit:
                services.team_dissolve(
                    actor=None, team=team, on=ended, transfer_to=by_unit[successor.pk]
                )
    new_teams: dict[int, Team] = {}
    for team in commune_teams:
        team.refresh_from_db()
        if team.dissolved_on is not None:
            continue
        successor = default_successor_on(team.unit, REFORM)
        if successor is None:
            continue
        if successor.pk not in new_teams:
            new_teams[successor.pk] = services.team_create(
                actor=None,
                name=f"Tổ công tác PĐQC {successor}",
                kind=Team.Kind.TO,
                unit=successor,
                established_on=REFORM,
                parent=province_team,
            )
        services.team_dissolve(
            actor=None, team=team, on=REFORM, transfer_to=new_teams[successor.pk], note=note
        )
    for team in district_teams:
        # District members: the leaders move to the province team, the others leave.
        leaders = list(
            team.memberships.filter(
                end__isnull=True, position__in=[Position.LEADER, Position.DEPUTY]
            )
        )
        for membership in leaders:
            services.member_transfer(
                actor=None, member=membership.member, to_team=province_team, on=REFORM
            )
        services.team_dissolve(actor=None, team=team, on=REFORM, note=note)


def _awards(
    province_team: Team, district_teams: list[Team], commune_teams: list[Team], rng: random.Random
) -> None:
    decision: dict[str, Any] = {
        "awarding_body": "Ban Thường vụ Tỉnh ủy Đắk Lắk",
        "body_level": Award.BodyLevel.PROVINCE,
        "decision_number": "2139-QĐ/TU",
        "decision_date": REVIEW,
        "kind": Award.Kind.BANG_KHEN,
        "reason": "Có thành tích xuất sắc trong công tác phát động quần chúng",
        "phase": "giai đoạn 2004-2019",
    }
    for team in [province_team, *rng.sample(district_teams, 6), *rng.sample(commune_teams, 5)]:
        services.award_create(actor=None, team=team, **decision)
    held = Membership.objects.filter(held_on(REVIEW)).select_related("member").order_by("id")
    for membership in rng.sample(list(held), 13):
        services.award_create(actor=None, member=membership.member, **decision)
    for year in (2009, 2014):
        for team in rng.sample(commune_teams, 3):
            services.award_create(
                actor=None,
                team=team,
                kind=Award.Kind.GIAY_KHEN,
                awarding_body=f"UBND {team.parent.unit if team.parent else ''}",
                body_level=Award.BodyLevel.DISTRICT,
                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND",
                decision_date=datetime.date(year, 12, 20),
                reason="Hoàn thành xuất sắc nhiệm vụ",
                phase=f"năm {year}",
            )


def _assign_demo_villages() -> None:
    """Members of a commune team cover (bám) the demo villages of their commune."""
    from gandan.geo.models import UnitVersion

    for version in UnitVersion.objects.filter(
        unit__level=Level.VILLAGE, valid_from=FOUNDING
    ).select_related("unit"):
        team = Team.objects.filter(unit_id=version.parent_id, established_on=FOUNDING).first()
        if team is None:
            continue
        for membership in team.memberships.filter(start__lte=REVIEW).order_by("start")[:2]:
            services.assignment_create(
                actor=None,
                membership=membership,
                villages=[version.unit],
                start=max(membership.start, version.valid_from or FOUNDING),
                end=min(membership.end or version.valid_to or REFORM, version.valid_to or REFORM),
            )
