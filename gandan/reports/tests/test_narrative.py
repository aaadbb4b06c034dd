import datetime
from decimal import Decimal

import pytest

from gandan.analytics.engine import Figure
from gandan.indicators.models import Indicator
from gandan.org.selectors import Headcount
from gandan.reports.narrative import (
    AwardLine,
    awards_sentence,
    headcount_sentence,
    issues_sentence,
    narrative,
    results_sentence,
    voice_of,
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


def test_an_empty_period_says_so_in_one_sentence(places):
    empty = Headcount(on=REVIEW, unit=places.dak_pek, total=0, by="level")

    text = narrative(
        unit=places.dak_pek, start=REVIEW, end=REVIEW, figures={}, headcount=empty, awards=[]
    )

    assert text == "Trong năm 2019, chưa có số liệu về hoạt động của Đội công tác Xã Đắk Pék."


def test_every_other_indicator_is_said_in_the_review_s_order(places):
    figures = _figures(
        campaigns=40, propaganda_sessions=12, leaflets=5000, vegetable_gardens=(1250, "tren"),
        nurseries=3, wells=7, households_sanitation=40, summer_classes=4, students_returned=30,
        party_cells_strengthened=5, union_chapters_strengthened=7, members_recruited=120,
        village_conventions=12, roads_km=Decimal("12.5"),
    )  # fmt: skip
    empty = Headcount(on=REVIEW, unit=places.dak_lak, total=0, by="level")

    text = narrative(
        unit=places.dak_lak, start=REVIEW, end=REVIEW, figures=figures, headcount=empty, awards=[]
    )

    assert text.splitlines() == [
        "Các Đội công tác phát động quần chúng chuyên trách các cấp đã tổ chức 40 đợt phát động quần chúng.",
        "Các Đội công tác đã tổ chức 12 buổi tuyên truyền; phát hành 5.000 tờ rơi.",
        "Các Đội công tác đã cùng nhân dân làm mới, sửa chữa 12,5 km đường giao thông nông thôn.",
        "Các Đội công tác đã hướng dẫn, giúp đỡ nhân dân xây dựng trên 1.250 vườn rau, 3 vườn ươm; "
        "đào 7 giếng nước; vận động 40 hộ làm nhà tắm, nhà vệ sinh; mở 4 lớp học hè; vận động 30 "
        "học sinh bỏ học trở lại trường.",
        "Các Đội công tác đã tham gia củng cố, kiện toàn 5 chi bộ thôn, buôn, 7 chi hội đoàn thể; "
        "kết nạp 120 hội viên; xây dựng 12 bản quy ước, hương ước.",
    ]


def test_a_commune_speaks_as_a_commune(places):
    figures = _figures(
        campaigns=9, villages_reached=4, communes_reached=1, participants=300, money_vnd=2_000_000
    )

    sentence = results_sentence(figures, voice_of(places.yang_tao))

    assert sentence == (
        "Đội công tác phát động quần chúng chuyên trách xã đã tổ chức 9 đợt phát động quần chúng, "
        "tại 4 thôn, buôn, tổ dân phố, với 300 lượt người tham gia; vận động nhân dân đóng góp "
        "2.000.000 đồng cho các công trình xây dựng nông thôn mới."
    )
    assert "các cấp" not in sentence
    assert "1 xã" not in sentence
