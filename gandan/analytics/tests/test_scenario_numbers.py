"""The "1.350" scenario of issue 10, end to end as a commune clerk works: figures typed as
TEXT in the import template the Vietnamese way, ``gandan import``, then ``gandan summary
--json`` and ``--text``; ambiguous text refused with the row and the column, nothing written;
a paper total "trên 5.700" shown so in the dry-run report (ADR 0013)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from gandan.work.excel import work_template
from gandan.work.models import Activity, AggregateEntry
from gandan.work.tests.import_files import CAMPAIGN, GARDENS, filled

pytestmark = pytest.mark.django_db

COMPOST = "Phân vi sinh (tấn) [compost_tonnes]"
TYPED = CAMPAIGN | {"Lượt người": "1.350", COMPOST: "1.350"}  # text cells, as a clerk types


def _workbook(tmp_path, activities=(), totals=()):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(filled(work_template(), activities, totals))
    return str(path)


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _summary(*mode):
    args = ("--unit", "24583", "--from", "2012-01-01", "--to", "2012-12-31", *mode)
    return _run("summary", *args)


def test_text_1_350_is_one_thousand_three_hundred_and_fifty_in_every_output(tmp_path, field):
    # given a campaign whose participants and compost tonnes cells hold the TEXT "1.350"
    _run("import", _workbook(tmp_path, [TYPED]))

    # then both are stored as 1350, not 1,35
    campaign = Activity.objects.get(import_key="YT-2012-001")
    assert campaign.participants == 1350
    assert campaign.values.get(indicator__code="compost_tonnes").value == 1350

    # and the summary says 1350 in JSON and "1.350" in words
    figures = json.loads(_summary("--json"))["indicators"]
    assert (figures["participants"]["value"], figures["participants"]["display"]) == (1350, "1.350")
    assert (figures["compost_tonnes"]["value"], figures["compost_tonnes"]["qualifier"]) == (
        1350,
        "exact",
    )
    text = _summary("--text")
    assert "1.350 lượt người" in text
    assert "1.350 tấn" in text
    assert "1,35" not in text


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"Lượt người": "1,350"}, "Lượt người", "Viết 1.350 cho một nghìn ba trăm năm mươi"),
        ({COMPOST: "abc"}, COMPOST, "«abc» không phải là số"),
        ({COMPOST: "1.35"}, COMPOST, "Phần thập phân viết sau dấu phẩy: 1,35"),
        ({COMPOST: "1,350.5"}, COMPOST, "viết 1.350,5"),
    ],
)
def test_text_that_would_be_a_guess_is_refused_by_row_and_column_and_nothing_is_written(
    tmp_path, field, cells, column, words
):
    # given a good campaign on row 2, and on row 3 the same with one doubtful cell
    doubtful = TYPED | {"Mã dòng": "YT-2012-002"} | cells
    path = _workbook(tmp_path, [TYPED, doubtful], [GARDENS])

    # when it is imported, the whole file is refused
    with pytest.raises(CommandError, match="không có gì được ghi"):
        call_command("import", path, stdout=(out := io.StringIO()), stderr=io.StringIO())

    # with a Vietnamese message naming the row and the column, and nothing is written
    (message,) = out.getvalue().splitlines()
    assert message.startswith(f"Dòng 3, cột «{column}»: ")
    assert words in message
    assert Activity.objects.count() == AggregateEntry.objects.count() == 0


def test_the_dry_run_report_shows_a_total_with_its_qualifier(tmp_path, field):
    # given huyện Lắk's paper total "trên 5.700" vườn rau, and one written as text "hàng trăm"
    hundreds = GARDENS | {"Giá trị": 100, "Mức độ": "hàng trăm", "Từ ngày": "01/01/2009",
                          "Đến ngày": "31/12/2011", "Kỳ báo cáo (như văn bản)": "2009 - 2011"}  # fmt: skip
    path = _workbook(tmp_path, [], [GARDENS, hundreds])

    # when the clerk checks the file without writing
    report = _run("import", path, "--dry-run")

    # then each reads as the source said it
    assert "Huyện Lắk · 2004 - 2008: trên 5.700 vườn" in report
    assert "Huyện Lắk · 2009 - 2011: hàng trăm vườn" in report
    assert "5700" not in report
    assert "trên 100" not in report
    assert AggregateEntry.objects.count() == 0
