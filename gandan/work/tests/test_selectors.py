"""Reads of field work: recent records, the entry form's choices, plausibility warnings,
and the parsing of Vietnamese numbers."""

import datetime

import pytest

from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput, indicator_create
from gandan.org import services as org_services
from gandan.work import selectors
from gandan.work.access import visible_activities
from gandan.work.models import Activity, ActivityType
from gandan.work.services import ActivityInput, activities_bulk_create
from gandan.work.tests.records import AFTER, LAST_DAY, ON, build_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(field):
    return build_records(field)


def _names(activities, records):
    ids = {
        getattr(records, n).pk: n for n in ["yang_tao", "nam_ka", "last_day", "lien_son", "dak_pek"]
    }
    return [ids[a.pk] for a in activities]


# Recent records. ------------------------------------------------------------------------------------


def test_a_legacy_village_record_is_found_under_its_2025_successor_commune(records):
    # given a 2012 record at a village of the legacy xã Yang Tao (merged into Liên Sơn Lắk)
    everything = Activity.objects.all()
    filters = selectors.ActivityFilters(unit=records.places.lien_son_lak)

    # when the records of the 2025 commune are read
    found = selectors.activities_recent(everything, filters)

    # then the legacy records come with it, newest first, and Nam Ka's do not
    assert _names(found, records) == ["lien_son", "last_day", "yang_tao"]


def test_recent_records_filter_by_date_team_village_type_and_movement(records):
    everything = Activity.objects.all()

    def find(**filters):
        return _names(
            selectors.activities_recent(everything, selectors.ActivityFilters(**filters)), records
        )

    assert find(start=ON, end=ON) == ["yang_tao"]
    assert find(start=LAST_DAY) == ["lien_son", "last_day"]
    assert find(team=records.team_yang_tao.pk) == ["yang_tao"]
    assert find(village=records.places.yt_a.pk) == ["lien_son", "last_day", "yang_tao"]
    assert find(type="tuyen_truyen") == ["nam_ka"]
    assert find(movement="ntm_dtvm") == ["yang_tao"]
    assert find(unit=records.places.lak) == ["last_day", "nam_ka", "yang_tao"]
    assert find(status="draft") == []


def test_recent_records_load_in_a_fixed_number_of_queries(records, django_assert_num_queries):
    found = selectors.activities_recent(Activity.objects.all(), selectors.ActivityFilters())

    with django_assert_num_queries(5):  # the records, villages, teams, movements, values
        rows = [
            (a.type.name, a.unit.name, [v.name for v in a.villages.all()], [t.name for t in a.teams.all()],
             [m.code for m in a.movements.all()], [v.indicator.code for v in a.values.all()])
            for a in found
        ]  # fmt: skip

    assert len(rows) == 5


# The entry form's choices. ------------------------------------------------------------------------


def test_commune_options_are_those_valid_on_the_date(records, commune_clerk, lak_clerk):
    from gandan.accounts.access import visible_unit_ids

    def names(user, on):
        return [label for _pk, label in selectors.commune_options(on, visible_unit_ids(user, on))]

    assert names(commune_clerk, ON) == [
        "Xã Bông Krang – Huyện Lắk",
        "Thị trấn Liên Sơn – Huyện Lắk",
        "Xã Yang Tao – Huyện Lắk",
    ]
    assert names(commune_clerk, AFTER) == ["Xã Liên Sơn Lắk"]
    assert "Xã Nam Ka – Huyện Lắk" in names(lak_clerk, LAST_DAY)
    assert names(lak_clerk, AFTER) == []


def test_village_options_are_those_of_the_commune_on_the_date(records):
    f = records.places

    def names(commune, on):
        return [label for _pk, label in selectors.village_options(commune, on, None)]

    assert names(f.yang_tao, ON) == ["Buôn Akŏ Dhŏng", "Thôn Hòa Bình", "Buôn Yang Lah"]
    assert names(f.yang_tao, datetime.date(2004, 7, 4)) == []
    assert names(f.lien_son_lak, AFTER) == [
        "Buôn Akŏ Dhŏng",
        "Buôn Dơng Băk",
        "Thôn Hòa Bình",
        "Buôn Yang Lah",
    ]
    assert names(None, ON) == []


def test_team_options_are_the_teams_working_there_that_day(records):
    f = records.places
    org_services.team_dissolve(actor=None, team=records.team_lak, on=datetime.date(2010, 1, 1))

    def names(commune, on, ids=None):
        return [label for _pk, label in selectors.team_options(commune, on, ids)]

    assert names(f.yang_tao, datetime.date(2009, 12, 31)) == ["Đội huyện Lắk", "Tổ Yang Tao"]
    assert names(f.yang_tao, ON) == ["Tổ Yang Tao"]  # the district team was dissolved in 2010
    assert names(f.lien_son_lak, AFTER) == ["Tổ Liên Sơn Lắk"]
    assert names(f.yang_tao, datetime.date(2004, 7, 4)) == []
    assert "Tổ Đắk Pék" in names(None, ON)


def test_value_indicators_include_those_an_admin_adds_in_group_order(db):
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", name_en="Fish ponds", unit="ao", group="production",
        aggregation="sum", source="value", position=1,
    ))  # fmt: skip

    codes = [i.code for i in selectors.value_indicators()]

    assert codes[0] == "key_people_mobilised"  # mobilisation comes first
    assert codes.index("fish_ponds") < codes.index("vegetable_gardens")
    assert "campaigns" not in codes
    assert "money_vnd" in codes


# Plausibility warnings. ----------------------------------------------------------------------------


def _warnings(**given):
    args = {
        "type_code": "pdqc",
        "start": ON,
        "end": ON,
        "village_count": 1,
        "participants": 100,
        "values": {},
    }
    return selectors.activity_warnings(**{**args, **given})


def _money_history(field, amounts, status="recorded"):
    pdqc = ActivityType.objects.get(code="pdqc")
    rows = [
        ActivityInput(
            type=pdqc, unit=field.yang_tao, start=ON, end=ON, villages=[], teams=[], movements=[],
            partners=[], participants=10, values={"money_vnd": str(a)}, status=status,
        )
        for a in amounts
    ]  # fmt: skip
    activities_bulk_create(actor=None, rows=rows, label="test")


def test_a_plausible_record_has_no_warning(field):
    _money_history(field, [10_000_000] * 5)

    assert _warnings(participants=1_800, values={"money_vnd": "9000000000"}) == []


def test_participants_far_above_a_villages_size_are_flagged(db):
    assert _warnings(participants=2_001) == [
        "2.001 lượt người ở 1 thôn, buôn là nhiều hơn mức thường có (khoảng 2.000): kiểm tra số chữ số."
    ]
    assert _warnings(participants=4_000, village_count=2) == []
    assert "ở một xã" in _warnings(participants=20_001, village_count=0)[0]


def test_money_a_thousand_times_the_usual_is_flagged(field):
    _money_history(field, [5_000_000, 10_000_000, 10_000_000, 12_000_000, 40_000_000])

    warnings = _warnings(values={"money_vnd": "10000000000"})

    assert warnings == [
        "Tiền nhân dân đóng góp xây dựng nông thôn mới: 10.000.000.000 đồng gấp hơn 1.000 lần "
        "mức thường ghi (10.000.000 đồng): kiểm tra số chữ số 0."
    ]


def test_no_usual_figure_from_too_few_records_or_from_drafts(field):
    _money_history(field, [10_000] * 4)
    _money_history(field, [10_000] * 5, status="draft")

    assert selectors.usual_value(Indicator.objects.get(code="money_vnd")) is None
    assert _warnings(values={"money_vnd": "900000000"}) == []


def test_dates_and_missing_participants_are_flagged(db):
    future = datetime.date.today() + datetime.timedelta(days=3)  # noqa: DTZ011

    assert "chưa tới" in _warnings(start=future, end=future)[0]
    assert _warnings(end=ON + datetime.timedelta(days=120)) == [
        "Hoạt động kéo dài 121 ngày: kiểm tra ngày kết thúc."
    ]
    assert _warnings(participants=0) == ["Chưa ghi số lượt người tham gia."]
    assert _warnings(participants=0, type_code="giao_ban") == []


# Access on the start date. ------------------------------------------------------------------------

DATED = [
    ("lak_clerk", "last_day", True),  # 30-6-2025: still huyện Lắk's
    ("lak_clerk", "lien_son", False),  # after the reform
    ("commune_clerk", "yang_tao", True),  # a legacy commune merged into theirs
    ("commune_clerk", "nam_ka", False),
    ("outsider", "yang_tao", False),
]


@pytest.mark.parametrize(("who", "name", "visible"), DATED)
def test_visibility_is_decided_on_the_start_date(cast, records, who, name, visible):
    assert visible_activities(cast[who]).filter(pk=getattr(records, name).pk).exists() is visible
