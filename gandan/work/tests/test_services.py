import datetime
from decimal import Decimal

import pytest
from django.db import connection

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.indicators.services import IndicatorInput, indicator_create
from gandan.work.models import Activity, ActivityValue
from gandan.work.services import activity_create
from gandan.work.tests.records import paper_total

pytestmark = pytest.mark.django_db

ON = datetime.date(2012, 3, 14)


def _rows():
    return Activity.objects.count(), ActivityValue.objects.count(), AuditEntry.objects.count()


def test_a_campaign_at_two_villages_with_participants_and_money(field, activity_input):
    data = activity_input(
        field.yang_tao,
        ON,
        [field.yt_a, field.yt_b],
        participants=240,
        values={"money_vnd": "15000000", "land_m2": 320},
    )

    activity = activity_create(actor=None, data=data)

    assert set(activity.villages.all()) == {field.yt_a, field.yt_b}
    assert {v.indicator.code: v.value for v in activity.values.all()} == {
        "money_vnd": Decimal(15000000),
        "land_m2": Decimal(320),
    }
    assert AuditEntry.objects.filter(
        action="work.activity_create", target_id=str(activity.pk)
    ).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"values": {"money_vnd": "-5"}}, "không được âm"),
        ({"values": {"money_vnd": "mười triệu"}}, "không phải là số"),
        ({"values": {"money_vnd": "1500,5"}}, "phải là số nguyên"),
        ({"values": {"money_vnd": "1500.5"}}, "dấu chấm chỉ dùng để tách hàng nghìn"),
        ({"values": {"money_vnd": "1,500"}}, "Viết 1.500 cho một nghìn năm trăm"),
        ({"values": {"khong_co": "1"}}, "Không có chỉ tiêu mã «khong_co»"),
        ({"values": {"campaigns": "3"}}, "được tính từ bản ghi"),
        ({"end": datetime.date(2012, 3, 1)}, "Ngày kết thúc"),
        ({"participants_female": 500}, "Số người nữ"),
        ({"partners": ["ban_be"]}, "Đơn vị phối hợp không hợp lệ"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(field, activity_input, change, message):
    before = _rows()
    data = activity_input(field.yang_tao, ON, [field.yt_a], participants=100, **change)

    with pytest.raises(DomainError, match=message):
        activity_create(actor=None, data=data)

    assert _rows() == before


def test_a_village_of_another_commune_is_refused(field, activity_input):
    with pytest.raises(DomainError, match="không thuộc Xã Yang Tao"):
        activity_create(actor=None, data=activity_input(field.yang_tao, ON, [field.bk_a]))


def test_a_village_not_valid_on_the_date_is_refused(field, activity_input):
    with pytest.raises(DomainError, match="không có hiệu lực vào ngày 01/01/2003"):
        activity_create(
            actor=None, data=activity_input(field.yang_tao, datetime.date(2003, 1, 1), [field.yt_a])
        )


def test_a_legacy_commune_after_2025_is_refused(field, activity_input):
    with pytest.raises(DomainError, match="Xã Yang Tao không có hiệu lực"):
        activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2025, 8, 1)))


def test_a_paper_total_for_another_indicator_does_not_block_records(field, activity_input):
    paper_total(field.lak, code="vegetable_gardens", value="120", qualifier="exact")

    activity_create(
        actor=None, data=activity_input(field.yang_tao, datetime.date(2006, 5, 1), [field.yt_a])
    )


def test_the_same_paper_total_twice_is_refused_and_distinct_places_are_taken_as_published(field):
    paper_total(field.lak)
    paper_total(field.lak, start=(2008, 1, 1), end=(2009, 12, 31))  # overlapping: kept
    with pytest.raises(DomainError, match="trùng thời gian"):
        paper_total(field.lak, value="5800")

    # "604 thôn, buôn ở 184 xã": a published count of distinct places (ADR 0018)
    entry = paper_total(field.lak, code="villages_reached", start=(2010, 1, 1), end=(2010, 12, 31))

    assert entry.indicator.code == "villages_reached"


def test_an_indicator_added_by_an_admin_works_in_records_and_totals(field, activity_input):
    # given an admin adds an indicator without a code change
    indicator_create(actor=None, data=IndicatorInput(
        code="coffee_trees", name_vi="Cây cà phê tái canh", name_en="Coffee trees replanted", unit="cây",
        group="production", aggregation="sum", source="value",
    ))  # fmt: skip

    # then it is accepted as a record value and as a paper total
    activity = activity_create(
        actor=None,
        data=activity_input(
            field.yang_tao,
            ON,
            [field.yt_a],
            type_code="huong_dan_ky_thuat",
            values={"coffee_trees": 1200},
        ),
    )
    paper_total(field.bong_krang, code="coffee_trees", value="300", qualifier="gan")

    assert activity.values.get().value == 1200


def test_an_update_writes_only_what_changed_in_a_fixed_number_of_queries(
    field, activity_input, django_assert_max_num_queries
):
    from gandan.work.services import activity_update

    activity = activity_create(
        actor=None,
        data=activity_input(
            field.yang_tao,
            ON,
            [field.yt_a, field.yt_b],
            participants=240,
            values={"money_vnd": "15.000.000", "land_m2": 320, "labour_days": 12},
        ),
    )
    kept = ActivityValue.objects.get(activity=activity, indicator__code="land_m2").pk
    data = activity_input(
        field.yang_tao,
        ON + datetime.timedelta(days=1),
        [field.yt_a, field.yt_b],
        type_code="tuyen_truyen",
        participants=250,
        values={"money_vnd": "16.000.000", "land_m2": "320", "wells": "2"},
    )
    loaded = Activity.objects.select_related("unit").get(pk=activity.pk)
    # A savepoint and its release; the boundary tree's revision and the villages' versions
    # (the communes come from the tree in memory); the indicators; the record's lock and
    # the ledger's tree; the record's contribution before and after (on PostgreSQL one
    # statement each and the ledger's shared lock; on SQLite three each); the record; its
    # villages, teams and movements; the values: read, one delete (with what cascades from
    # it: 3), one update, one insert; the ledger's rows (on PostgreSQL one statement, on
    # SQLite three); the audit entry.
    budget = 22 if connection.vendor == "postgresql" else 27
    with django_assert_max_num_queries(budget):
        activity_update(actor=None, activity=loaded, data=data)

    assert {v.indicator.code: v.value for v in activity.values.all()} == {
        "money_vnd": Decimal(16000000),
        "land_m2": Decimal(320),
        "wells": Decimal(2),
    }
    # The unchanged value is the same row, not written again.
    assert ActivityValue.objects.get(activity=activity, indicator__code="land_m2").pk == kept
