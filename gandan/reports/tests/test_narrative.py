import datetime
from decimal import Decimal

import pytest

from gandan.indicators.aggregation import Figure
from gandan.indicators.models import Indicator
from gandan.org.selectors import Headcount
from gandan.reports.narrative import (
    AwardLine,
    awards_sentence,
    headcount_sentence,
    issues_sentence,
    narrative,
    results_sentence,
)

pytestmark = pytest.mark.django_db

REVIEW = datetime.date(2019, 9, 10)


def _figures(**values):
    figures = {}
    for code, value in values.items():
        qualifier = "exact"
        if isinstance(value, tuple):
            value, qualifier = value
        figures[code] = Figure(
            Indicator.objects.get(code=code), Decimal(value), qualifier, from_records=True
        )
    return figures


def test_results_sentence_is_worded_as_the_article():
    figures = _figures(
        campaigns=12046, villages_reached=604, communes_reached=184, participants=170412, trainings=568,
        money_vnd=1036418500000, land_m2=612540, labour_days=(147048, "hon"),
    )  # fmt: skip

    assert results_sentence(figures) == (
        "Các Đội công tác phát động quần chúng chuyên trách các cấp đã tổ chức trên 12.000 đợt phát động "
        "quần chúng, tại 604 thôn, buôn, tổ dân phố ở 184 xã, phường, thị trấn, với trên 170.000 lượt người "
        "tham gia; tổ chức 568 buổi hướng dẫn người dân về kỹ thuật chăm sóc cây trồng, vật nuôi; vận động "
        "nhân dân đóng góp hơn 1.036 tỷ đồng, hiến trên 612.500 m² đất, hơn 147.048 ngày công lao động cho "
        "các công trình xây dựng nông thôn mới."
    )


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"issues_received": 11, "issues_resolved": 8},
         "tiếp nhận, tham mưu xử lý 11 vụ việc phát sinh ở cơ sở, trong đó đã giải quyết 8 vụ việc."),
        ({"issues_received": 3, "issues_resolved": 0},
         "tiếp nhận, tham mưu xử lý 3 vụ việc phát sinh ở cơ sở."),
        ({"issues_received": 0, "issues_resolved": 2},
         "tham mưu giải quyết 2 vụ việc phát sinh ở cơ sở."),
    ],
)  # fmt: skip
def test_issues_sentence_says_what_was_received_and_resolved(values, sentence):
    assert issues_sentence(_figures(**values)) == (
        "Các Đội công tác phát động quần chúng chuyên trách các cấp đã " + sentence
    )
    assert issues_sentence(_figures(issues_received=0, issues_resolved=0)) is None


def test_no_clause_for_an_indicator_without_data():
    sentence = results_sentence(_figures(trainings=12, money_vnd=0))

    assert sentence == (
        "Các Đội công tác phát động quần chúng chuyên trách các cấp đã tổ chức 12 buổi hướng dẫn người dân "
        "về kỹ thuật chăm sóc cây trồng, vật nuôi."
    )
    assert results_sentence(_figures(money_vnd=0)) is None


def test_headcount_sentence_by_level(places):
    headcount = Headcount(
        on=REVIEW, unit=places.dak_lak, total=520, by="level",
        rows=[("province", "Cấp tỉnh", 30), ("district", "Cấp huyện", 88), ("commune", "Cấp xã", 402)],
    )  # fmt: skip

    assert headcount_sentence(places.dak_lak, headcount) == (
        "Hiện nay, toàn tỉnh có 520 người làm việc trong các Đội công tác phát động quần chúng chuyên trách, "
        "trong đó Đội công tác cấp tỉnh có 30 người, cấp huyện có 88 người và cấp xã có 402 người."
    )


def test_awards_sentence():
    lines = [AwardLine("Ban Thường vụ Tỉnh ủy", "Bằng khen", 12, 13)]

    assert awards_sentence(lines, "giai đoạn 2004-2019") == (
        "Ban Thường vụ Tỉnh ủy đã tặng Bằng khen cho 12 tập thể và 13 cá nhân có thành tích xuất sắc trong "
        "công tác phát động quần chúng giai đoạn 2004-2019."
    )


def test_an_empty_period_says_nothing(places):
    empty = Headcount(on=REVIEW, unit=places.dak_pek, total=0, by="level")

    text = narrative(
        unit=places.dak_pek, start=REVIEW, end=REVIEW, figures={}, headcount=empty, awards=[]
    )

    assert text == ""
