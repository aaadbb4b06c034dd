"""The catalogue meets the records and totals that use it (ADR 0018): an indicator in use
keeps its code and meaning, a retired one takes no later data, and paper totals of the new
kinds (stocks, places, ratios, parents) are taken as published."""

import datetime
from decimal import Decimal

import pytest

from gandan.core.models import AuditEntry
from gandan.indicators.services import (
    indicator_create,
    indicator_retire,
    indicator_update,
)
from gandan.indicators.tests.catalogue import fish_input, indicator, refused
from gandan.work.models import AggregateEntry
from gandan.work.services import activity_create
from gandan.work.tests.records import paper_total

pytestmark = pytest.mark.django_db


def _total(unit, code, value, *, start=(2010, 1, 1), end=(2010, 12, 31), qualifier="exact"):
    return paper_total(unit, code, value, qualifier, start, end)


ON = datetime.date(2012, 3, 14)


def test_an_indicator_in_use_keeps_its_code_and_meaning_but_can_be_renamed(field, activity_input, province_admin):  # fmt: skip
    fish = indicator_create(actor=None, data=fish_input(integer_only=False))
    activity_create(actor=None, data=activity_input(field.yang_tao, ON, values={"fish_ponds": "2,5"}))  # fmt: skip

    message = refused("không đổi được mã", "code", indicator_update, actor=None, indicator=fish,
                       data=fish_input(code="fish_farms", integer_only=False))  # fmt: skip
    refused("không đổi được đơn vị tính, nguồn số liệu,", "unit", indicator_update, actor=None,
             indicator=fish, data=fish_input(unit="trại", source="paper", integer_only=False))  # fmt: skip
    refused("không đổi được yêu cầu số nguyên", "integer_only", indicator_update, actor=None,
             indicator=fish, data=fish_input(integer_only=True))  # fmt: skip
    renamed = indicator_update(actor=province_admin, indicator=fish,
                               data=fish_input(name_vi="Ao nuôi cá", position=7, integer_only=False))  # fmt: skip

    assert message == (
        "«Ao cá» đã được dùng (1 giá trị trong bản ghi hoạt động): không đổi được mã, vì số liệu "
        "đã có sẽ đổi nghĩa. Cần chỉ tiêu khác thì thêm chỉ tiêu mới."
    )
    assert (renamed.code, renamed.name_vi, renamed.name_key) == ("fish_ponds", "Ao nuôi cá", "ao nuoi ca")  # fmt: skip
    entry = AuditEntry.objects.get(action="indicators.update")
    assert entry.message == (
        "Sửa chỉ tiêu «Ao nuôi cá» (mã fish_ponds): tên tiếng Việt «Ao cá» → «Ao nuôi cá»; "
        "thứ tự «0» → «7»"
    )
    assert entry.data == {"before": {"name_vi": "Ao cá", "position": 0}, "after": {"name_vi": "Ao nuôi cá", "position": 7}}  # fmt: skip


def test_a_retired_indicator_keeps_its_history_and_takes_no_later_data(field, activity_input, province_admin):  # fmt: skip
    activity_create(actor=None, data=activity_input(field.yang_tao, ON, values={"wells": 2}))
    wells = indicator("wells")

    refused("có số liệu đến ngày 14/03/2012", "retired_on", indicator_retire, actor=None, indicator=wells, on=ON)  # fmt: skip
    indicator_retire(actor=province_admin, indicator=wells, on=datetime.date(2013, 1, 1))

    # then later records and totals are refused, naming the indicator and the date
    later = activity_input(field.yang_tao, datetime.date(2013, 1, 1), values={"wells": 1})
    message = refused("ngừng sử dụng", "values.wells", activity_create, actor=None, data=later)
    assert message == "«Giếng nước» ngừng sử dụng từ ngày 01/01/2013: không ghi cho hoạt động từ ngày đó."  # fmt: skip
    refused("chỉ nhận số tổng hợp của kỳ kết thúc trước ngày đó", "indicator", _total,
             field.bong_krang, "wells", "5", start=(2012, 1, 1), end=(2013, 6, 30))  # fmt: skip
    # and earlier ones are history, still taken
    activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2012, 12, 31), values={"wells": 1}))  # fmt: skip
    _total(field.bong_krang, "wells", "5", start=(2012, 1, 1), end=(2012, 12, 31))
    assert AuditEntry.objects.get(action="indicators.retire").message == (
        "Ngừng sử dụng chỉ tiêu «Giếng nước» (mã wells) từ ngày 01/01/2013"
    )
    refused("đã ngừng sử dụng từ ngày 01/01/2013", "retired_on", indicator_retire, actor=None,
             indicator=wells, on=datetime.date(2014, 1, 1))  # fmt: skip


@pytest.mark.parametrize(
    ("code", "value", "qualifier"),
    [
        ("members", "51", "exact"),  # "9 đội, 1 tổ … 51 thành viên"
        ("teams", "10", "exact"),
        ("members_minority", "40", "exact"),
        ("villages_reached", "604", "exact"),  # "604 thôn, buôn, tổ dân phố …
        ("communes_reached", "184", "exact"),  # … ở 184 xã, phường, thị trấn"
        ("members_minority_share", "80", "gan"),  # "gần 80% là người dân tộc thiểu số"
        ("members_minority_share", Decimal("79.5"), "exact"),  # a number, not text
        ("livestock_pens", "320", "tren"),  # "chuồng trại", not split
    ],
)
def test_paper_totals_of_stock_places_ratios_and_parents_are_taken_as_published(field, code, value, qualifier):  # fmt: skip
    entry = _total(field.lak, code, value, qualifier=qualifier)

    assert (entry.indicator.code, entry.value, entry.qualifier) == (code, Decimal(value), qualifier)


def test_a_ratio_total_is_a_percentage_and_awards_still_come_from_their_files(field):
    refused("là tỉ lệ phần trăm: ghi số từ 0 đến 100", "value", _total, field.lak, "members_minority_share", "101")  # fmt: skip
    refused("lấy từ hồ sơ tổ chức", "indicator", _total, field.lak, "awards_collective", "12")
    assert not AggregateEntry.objects.exists()


def test_a_parent_total_over_its_parts_records_is_kept(field, activity_input):
    # the engine never adds the two (ADR 0007): analytics/tests/test_catalogue_figures.py
    activity_create(actor=None, data=activity_input(field.yang_tao, datetime.date(2010, 5, 1), values={"livestock_pens_built": 4}))  # fmt: skip

    entry = _total(field.lak, "livestock_pens", "320")

    assert entry.indicator.code == "livestock_pens"
