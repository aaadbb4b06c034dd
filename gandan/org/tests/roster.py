"""The roster the org page and API tests share: teams and members on the real units.

Built through ``gandan.org.services``, like production data. See :func:`build_roster`.
"""

import datetime
from types import SimpleNamespace

from gandan.core.models import AuditEntry
from gandan.geo.services import legal_document_get_or_create
from gandan.org import services
from gandan.org.models import Award, Member, Membership, Team
from gandan.tests.cast import OLD, REFORM

FOUNDING = datetime.date(2004, 7, 5)
JOINED = datetime.date(2010, 1, 1)
AFTER = datetime.date(2025, 8, 1)


def build_roster(places):
    """Teams on the real units, with members whose history crosses 10-9-2019 and the reform.

    On 10-9-2019 Đắk Lắk has 5 members: Lan (province), An (huyện Lắk), Săn and Hồng (Yang
    Tao; it is Hồng's last day) and Blir (Nam Ka). On 1-7-2025 Lắk's teams are dissolved and
    Yang Tao's members move to the new Liên Sơn Lắk team: Đắk Lắk has Lan and Săn.
    """
    basis = legal_document_get_or_create(number="253-TB/TU", issued_on=FOUNDING)
    team = services.team_create
    r = SimpleNamespace()
    r.province = team(
        actor=None,
        name="Đội tỉnh Đắk Lắk",
        unit=places.dak_lak,
        established_on=FOUNDING,
        basis=basis,
    )
    r.lak = team(
        actor=None,
        name="Đội huyện Lắk",
        unit=places.lak,
        established_on=FOUNDING,
        parent=r.province,
    )
    r.yang_tao, r.nam_ka = (
        team(
            actor=None,
            name=f"Tổ {name}",
            unit=unit,
            established_on=FOUNDING,
            basis=basis,
            parent=r.lak,
            kind="to",
        )
        for name, unit in (("Yang Tao", places.yang_tao), ("Nam Ka", places.nam_ka))
    )
    r.lien_son_lak = team(
        actor=None,
        name="Tổ Liên Sơn Lắk",
        unit=places.lien_son_lak,
        established_on=REFORM,
        parent=r.province,
        kind="to",
    )
    r.dak_pek = team(actor=None, name="Tổ Đắk Pék", unit=places.dak_pek, established_on=FOUNDING)

    def member(identifier, name, gender, ethnicity, team, start, **extra):
        person = services.member_create(
            actor=None,
            identifier=identifier,
            full_name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_year=1985,
            languages=["ede"] if ethnicity == "ede" else [],
        )
        membership = services.membership_start(
            actor=None, member=person, team=team, start=start, **extra
        )
        return person, membership

    r.san, san_in_yang_tao = member(
        "DL-0001", "Y Săn Ayun", "nam", "ede", r.yang_tao, JOINED, position="to_truong"
    )
    r.hong, hong_in_yang_tao = member("DL-0002", "H'Hồng Niê", "nu", "ede", r.yang_tao, JOINED)
    r.an, _ = member("DL-0003", "Nguyễn Văn An", "nam", "kinh", r.lak, JOINED)
    r.blir, _ = member("DL-0004", "Y Blir Mlô", "nam", "mnong", r.nam_ka, JOINED)
    r.lan, _ = member("DL-0005", "Trần Thị Lan", "nu", "kinh", r.province, FOUNDING)
    r.pek, _ = member("KT-0001", "A Vương", "nam", "xodang", r.dak_pek, FOUNDING)
    services.assignment_create(
        actor=None,
        membership=san_in_yang_tao,
        villages=[places.yang_tao_village],
        start=JOINED,
        end=REFORM,
    )
    services.membership_end(actor=None, membership=hong_in_yang_tao, last_day=OLD)
    services.team_dissolve(actor=None, team=r.yang_tao, on=REFORM, transfer_to=r.lien_son_lak)
    services.team_dissolve(actor=None, team=r.nam_ka, on=REFORM)
    services.team_dissolve(actor=None, team=r.lak, on=REFORM)
    award = {"actor": None, "body_level": "province", "decision_date": OLD}
    award["awarding_body"] = "Ban Thường vụ Tỉnh ủy Đắk Lắk"
    services.award_create(kind="bang_khen", decision_number="2139-QĐ/TU", team=r.yang_tao, **award)
    services.award_create(kind="bang_khen", decision_number="2139-QĐ/TU", member=r.san, **award)
    services.award_create(
        kind="giay_khen",
        decision_number="12-QĐ/UBND",
        unit=places.nam_ka,
        collective_name="Nhân dân xã Nam Ka",
        **award,
    )
    services.award_create(kind="bang_khen", decision_number="9-QĐ/KT", team=r.dak_pek, **award)
    return r


def row_counts():
    return [m.objects.count() for m in (Team, Member, Membership, Award, AuditEntry)]


# Who sees which team and member (at any date); the rest is 404.
TEAMS = {
    "province_admin": "province lak yang_tao nam_ka lien_son_lak",
    "lak_clerk": "lak yang_tao nam_ka",
    "commune_clerk": "yang_tao lien_son_lak",
    "leader": "province lak yang_tao nam_ka lien_son_lak",
    "outsider": "dak_pek",
}
MEMBERS = {
    "province_admin": "san hong an blir lan",
    "lak_clerk": "san hong an blir",
    "commune_clerk": "san hong",
    "leader": "san hong an blir lan",
    "outsider": "pek",
}
# Writing is checked on the member's latest period: Y Săn moved to the 2025 commune team of
# Liên Sơn Lắk, outside huyện Lắk, so the Lắk clerk may read but not edit him.
WRITE_MEMBERS = MEMBERS | {"lak_clerk": "hong an blir"}
ALL_TEAMS = ["province", "lak", "yang_tao", "nam_ka", "lien_son_lak", "dak_pek"]
ALL_MEMBERS = ["san", "hong", "an", "blir", "lan", "pek"]


def matrix(table, everything, *, write=False):
    """(user, name, status) rows: 200 inside, 404 outside; 403 for a leader who writes."""
    return [
        (who, name, (403 if write and who == "leader" else 200) if name in seen.split() else 404)
        for who, seen in table.items()
        for name in everything
    ]
