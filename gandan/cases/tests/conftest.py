"""Cases, aspirations and inspections for the cast (see the root ``conftest.py``).

``cases`` holds five cases whose visibility and handlers differ:

- ``old``: xã Yang Tao (huyện Lắk), received 4-3-2019 in buôn Yang Lah, still open at the
  commune (overdue), with one fictional contact;
- ``up_old``: xã Yang Tao, 2019, escalated to huyện Lắk on 10-3-2019;
- ``nam_ka``: xã Nam Ka (huyện Lắk), 2019, not in xã Liên Sơn Lắk's history;
- ``new``: xã Liên Sơn Lắk, received 4-8-2025 (no districts any more);
- ``up_new``: xã Liên Sơn Lắk, 2025, escalated straight to the province on 10-8-2025.
"""

import datetime
from types import SimpleNamespace

import pytest

from gandan.cases.models import CaseKind
from gandan.cases.services import (
    aspiration_record,
    case_advise,
    case_escalate,
    case_receive,
    inspection_plan,
    inspection_record,
)
from gandan.org.services import team_create
from gandan.tests.cast import REFORM

OLD_DAY = datetime.date(2019, 3, 4)
NEW_DAY = datetime.date(2025, 8, 4)
CONTACT = ("Y Thử Nghiệm", "0900 000 001")  # fictional

# Who sees which case (200) — everyone else gets 404.
SEES = {
    "province_admin": "old up_old nam_ka new up_new",
    "lak_clerk": "old up_old nam_ka",
    "commune_clerk": "old up_old new up_new",
    "leader": "old up_old nam_ka new up_new",
    "outsider": "",
}
# Who handles which case (may act and see contacts); others who see it get 403 on writes.
HANDLES = {
    "province_admin": "old up_old nam_ka new up_new",
    "lak_clerk": "old up_old nam_ka",
    "commune_clerk": "old new",
    "leader": "",
    "outsider": "",
}
NAMES = ("old", "up_old", "nam_ka", "new", "up_new")


def read_matrix() -> list[tuple[str, str, int]]:
    return [(w, n, 200 if n in SEES[w].split() else 404) for w in SEES for n in NAMES]


def write_matrix() -> list[tuple[str, str, int]]:
    """(user, case, status): 302 for a handler, 403 for a reader, 404 for the others."""
    rows = []
    for who in SEES:
        for name in NAMES:
            if name in HANDLES[who].split():
                status = 302
            elif name in SEES[who].split():
                status = 403
            else:
                status = 404
            rows.append((who, name, status))
    return rows


@pytest.fixture
def land(db):
    return CaseKind.objects.get(code="tranh_chap_dat")


def receive(kind, unit, on, *, village=None, contacts=(), description="Tranh chấp ranh giới rẫy"):
    return case_receive(
        actor=None, kind=kind, unit=unit, village=village, received_on=on,
        description=description, households=2, contacts=contacts,
    )  # fmt: skip


def advise(case):
    return case_advise(
        actor=None,
        case=case,
        agencies=["chinh_quyen_xa"],
        advice="Hòa giải ở thôn",
        on=case.received_on,
    )


@pytest.fixture
def cases(field, land):
    old = receive(land, field.yang_tao, OLD_DAY, village=field.yt_a, contacts=[CONTACT])
    up_old = receive(land, field.yang_tao, OLD_DAY, description="Lấn chiếm đất rẫy")
    advise(up_old)
    case_escalate(actor=None, case=up_old, note="Vượt thẩm quyền xã", on=datetime.date(2019, 3, 10))
    nam_ka = receive(land, field.nam_ka, OLD_DAY, contacts=[("A Thử", "0900 000 002")])
    new = receive(land, field.lien_son_lak, NEW_DAY, contacts=[("H'Thử Mlô", "0900 000 003")])
    up_new = receive(land, field.lien_son_lak, NEW_DAY, description="Tranh chấp đất giáp ranh")
    advise(up_new)
    case_escalate(actor=None, case=up_new, note="Đề nghị tỉnh", on=datetime.date(2025, 8, 10))
    return SimpleNamespace(old=old, up_old=up_old, nam_ka=nam_ka, new=new, up_new=up_new)


@pytest.fixture
def teams(places):
    """A team of huyện Lắk (2004) and one of xã Liên Sơn Lắk (from 1-7-2025)."""
    lak = team_create(
        actor=None, name="Đội công tác 253 huyện Lắk", unit=places.lak,
        established_on=datetime.date(2004, 7, 30),
    )  # fmt: skip
    lien_son = team_create(
        actor=None, name="Tổ công tác xã Liên Sơn Lắk", unit=places.lien_son_lak,
        established_on=REFORM,
    )  # fmt: skip
    return SimpleNamespace(lak=lak, lien_son=lien_son)


@pytest.fixture
def inspections(teams):
    """A held inspection of the Lắk team (2019) with two follow-ups; a plan for the commune's."""
    held = inspection_plan(
        actor=None, team=teams.lak, inspector="Ban Dân vận Tỉnh ủy",
        planned_on=datetime.date(2019, 5, 10), content="Việc bám địa bàn, giao ban hằng tuần",
    )  # fmt: skip
    inspection_record(
        actor=None, inspection=held, held_on=datetime.date(2019, 5, 12),
        findings="Đội bám buôn tốt, sổ giao ban chưa đầy đủ", rating="good",
        recommendations="Ghi sổ giao ban đầy đủ",
        follow_ups=[
            ("Bổ sung sổ giao ban", "Đội trưởng", datetime.date(2019, 6, 30)),
            ("Báo cáo khắc phục", "Ban Dân vận Huyện ủy", datetime.date(2019, 7, 15)),
        ],
    )  # fmt: skip
    plan = inspection_plan(
        actor=None, team=teams.lien_son, inspector="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        planned_on=datetime.date(2025, 10, 1), content="Kiểm tra sau sắp xếp đơn vị hành chính",
    )  # fmt: skip
    return SimpleNamespace(held=held, plan=plan)


@pytest.fixture
def aspirations(field):
    """One aspiration in buôn Yang Lah (2019), one in Nam Ka's village Hòa Bình (2019)."""
    yang_lah = aspiration_record(
        actor=None, village=field.yt_a, period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 3, 31), topic="Nước sinh hoạt mùa khô", households=37,
        summary="Đề nghị khoan giếng tập trung", response="Báo cáo UBND xã",
    )  # fmt: skip
    nam_ka = aspiration_record(
        actor=None, village=field.nam_ka_village, period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 3, 31), topic="Đường giao thông nội thôn", households=12,
        summary="Đường đất lầy lội mùa mưa",
    )  # fmt: skip
    return SimpleNamespace(yang_lah=yang_lah, nam_ka=nam_ka)


@pytest.fixture
def as_user(client, cast):
    """Log the test client in as a member of the cast."""

    def login(who: str):
        client.force_login(cast[who])
        return client

    return login
