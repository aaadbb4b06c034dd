"""The ``headcount`` command: parse, count from membership records, print."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from gandan.org import services
from gandan.org.tests.factories import MemberFactory, MembershipFactory, team_tree

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
D = datetime.date(2019, 9, 10)


def _headcount(capsys, *args: str) -> str:
    call_command("headcount", *args)
    return str(capsys.readouterr().out)


@pytest.fixture
def roster(places):
    """On 10-9-2019: 2 at province level, 3 at district level, 4 at commune level."""
    teams = team_tree(places)
    for team, seats in ((teams.province, 2), (teams.lak, 2), (teams.yang_tao, 3)):
        for _ in range(seats):
            MembershipFactory(team=team)
    # one moves from Yang Tao's team to Lắk's on the day: counted once, at district level
    mover = MembershipFactory(team=teams.yang_tao).member
    services.member_transfer(actor=None, member=mover, to_team=teams.lak, on=D)
    # one joins Nam Ka's team on the day, one left it the day before
    MembershipFactory(team=teams.nam_ka, start=D, member=MemberFactory(ethnicity="kinh"))
    leaver = MembershipFactory(team=teams.nam_ka)
    services.membership_end(actor=None, membership=leaver, last_day=D - DAY)
    return teams


def test_headcount_by_level_as_json(capsys, roster):
    out = _headcount(capsys, "--unit", "66", "--on", "2019-09-10", "--by", "level", "--json")

    assert json.loads(out) == {
        "unit": "66",
        "on": "2019-09-10",
        "total": 9,
        "teams": 4,
        "villages_covered": 0,
        "minority": 8,
        "by": "level",
        "rows": {"province": 2, "district": 3, "commune": 4},
    }


def test_headcount_as_text_of_a_district(capsys, roster):
    out = _headcount(capsys, "--unit", "656", "--on", "2019-09-10")

    assert out.splitlines() == [
        "Huyện Lắk · ngày 10/09/2019",
        f"  {'Cấp tỉnh':<40} {0:>6}  (province)",
        f"  {'Cấp huyện':<40} {3:>6}  (district)",
        f"  {'Cấp xã':<40} {4:>6}  (commune)",
        f"  {'Tổng số':<40} {7:>6}",
        "  3 đội/tổ · 0 thôn, buôn được phân công · dân tộc thiểu số 85,7%",
    ]


def test_headcount_the_day_before(capsys, roster):
    out = _headcount(capsys, "--unit", "66", "--on", "2019-09-09", "--json")

    assert json.loads(out)["rows"] == {"province": 2, "district": 2, "commune": 5}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "66", "--on", "2019-13-01"], "Ngày không hợp lệ ở trường «--on»"),
        (["--unit", "66", "--on", "10/09/2019"], "Dùng định dạng NNNN-TT-NN"),
        (["--unit", "99", "--on", "2019-09-10"], "Không có đơn vị mã «99» vào ngày 10/09/2019"),
        # huyện Lắk ended on 1-7-2025
        (["--unit", "656", "--on", "2025-07-01"], "Không có đơn vị mã «656» vào ngày 01/07/2025"),
    ],
)
def test_headcount_bad_input_fails_with_a_vietnamese_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("headcount", *args)
