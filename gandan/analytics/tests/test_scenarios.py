"""Historic figures a leader can sign (issue 10), end to end as a province clerk works:
old paper totals of the province, a district and a commune typed into the import
template, ``gandan import``, then ``gandan summary --json`` and ``--text``.

The totals are made up; the units are the real ones of Đắk Lắk (huyện Lắk ended on
1-7-2025; its communes went to several 2025 communes, xã Yang Tao to Liên Sơn Lắk).
"""

import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from gandan.analytics.engine import TOTAL, UNALLOCATED, pivot
from gandan.core.periods import parse_period
from gandan.geo.models import Level
from gandan.geo.selectors import children_on
from gandan.indicators.models import Indicator
from gandan.work.excel import work_template
from gandan.work.models import AggregateEntry
from gandan.work.tests.import_files import filled

pytestmark = pytest.mark.django_db

LABOUR = "Ngày công lao động (ngày công)"


def _total(unit, start, end, label, value, qualifier, number):
    return {
        "Chỉ tiêu": LABOUR,
        "Mã đơn vị": unit,
        "Từ ngày": start,
        "Đến ngày": end,
        "Kỳ báo cáo (như văn bản)": label,
        "Giá trị": value,
        "Mức độ": qualifier,
        "Số văn bản": number,
        "Ngày văn bản": "15/01/2016",
    }


PROVINCE = _total("66", "05/07/2004", "31/12/2012", "2004 - 2012", 100000, "trên", "01-BC/TU")
DISTRICT = _total("656", "05/07/2004", "31/12/2015", "2004 - 2015", 30000, "chính xác", "02-BC/HU")
COMMUNE = _total("24583", "05/07/2004", "31/12/2008", "2004 - 2008", 5000, "chính xác", "03-BC/ĐU")
LAK_2008 = _total("656", "05/07/2004", "31/12/2008", "2004 - 2008", 21600, "hơn", "112-BC/HU")


def _import(tmp_path, *totals):
    path = tmp_path / "so-lieu-cu.xlsx"
    path.write_bytes(filled(work_template(), [], totals))
    out = io.StringIO()
    call_command("import", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _summary(unit, start, end, boundaries="recorded", *, text=False):
    out = io.StringIO()
    mode = "--text" if text else "--json"
    call_command(
        "summary", "--unit", unit, "--from", start, "--to", end, "--boundaries", boundaries, mode,
        stdout=out,
    )  # fmt: skip
    return out.getvalue() if text else json.loads(out.getvalue())


def _labour(summary):
    figure = summary["indicators"]["labour_days"]
    return figure["value"], figure["qualifier"], {s["label"]: s for s in figure["sources"]}


def test_a_district_total_inside_a_province_total_is_not_added(tmp_path, field):
    # given paper totals of the province (2004-2012), of huyện Lắk (2004-2015) and of xã Yang
    # Tao (2004-2008), all imported from one workbook
    _import(tmp_path, PROVINCE, DISTRICT, COMMUNE)
    assert AggregateEntry.objects.count() == 3

    # when the province is asked for 2004-2015
    value, qualifier, sources = _labour(_summary("66", "2004-07-05", "2015-12-31"))

    # then the figure is the largest lower bound, never the sum 135.000
    assert (value, qualifier) == (100000, "tren")
    statuses = {label.split(" ngày ")[0]: s["status"] for label, s in sources.items()}
    assert statuses == {
        "Báo cáo số 01-BC/TU": "used",
        "Báo cáo số 02-BC/HU": "aside",  # overlaps the province's in part: not added
        "Báo cáo số 03-BC/ĐU": "covered",  # inside the province's
    }
    district = next(s for label, s in sources.items() if "02-BC/HU" in label)
    assert "trùng một phần" in district["reason"]
    assert "01-BC/TU" in district["reason"]
    commune = next(s for label, s in sources.items() if "03-BC/ĐU" in label)
    assert "01-BC/TU" in commune["reason"]


def test_a_commune_total_inside_its_district_total_is_not_added(tmp_path, field):
    _import(tmp_path, PROVINCE, DISTRICT, COMMUNE)

    value, qualifier, sources = _labour(_summary("656", "2004-07-05", "2015-12-31"))

    # the district's own total holds the commune's; the province's is bigger than the district
    assert (value, qualifier) == (30000, "exact")
    by_number = {label.split(" ngày ")[0]: s for label, s in sources.items()}
    assert by_number["Báo cáo số 02-BC/HU"]["status"] == "used"
    assert by_number["Báo cáo số 03-BC/ĐU"]["status"] == "covered"
    # the province's total reaches the district but cannot be cut down to it: said, not added
    province = by_number["Báo cáo số 01-BC/TU"]
    assert province["status"] == "aside"
    assert province["reason"] == "số liệu cấp tỉnh, không phân bổ được xuống cấp huyện"


def test_a_total_that_runs_past_the_question_is_said_not_added(tmp_path, field):
    _import(tmp_path, DISTRICT, COMMUNE)

    value, qualifier, sources = _labour(_summary("656", "2004-07-05", "2010-12-31"))

    # the district's 2004-2015 total cannot be cut to 2004-2010: it is said, and the figure
    # (the commune's 2004-2008 total) is only a lower bound
    assert (value, qualifier) == (5000, "tren")
    district = next(s for label, s in sources.items() if "02-BC/HU" in label)
    assert district["status"] == "aside"
    assert "không nằm trọn trong kỳ hỏi" in district["reason"]


def test_the_total_of_a_district_that_ended_is_kept_under_2025_boundaries(tmp_path, field):
    # given huyện Lắk's "hơn 21.600 ngày công" for 2004-2008 (the district ended on 1-7-2025)
    _import(tmp_path, LAK_2008)

    # then the province keeps every ngày công under every set of boundaries
    for boundaries in ("recorded", "2019-09-10", "2024-12-31", "2025-07-01"):
        value, qualifier, _sources = _labour(_summary("66", "2004-07-05", "2019-09-10", boundaries))
        assert (value, qualifier) == (21600, "hon"), boundaries

    # and a 2025 commune that took in part of the district says it cannot carry it
    value, qualifier, sources = _labour(_summary("24580", "2004-07-05", "2019-09-10", "2025-07-01"))
    assert (value, qualifier) == (0, "tren")
    (note,) = sources.values()
    assert note["status"] == "aside"
    assert note["reason"] == "số liệu cấp huyện, không phân bổ được xuống cấp xã"
    text = _summary("24580", "2004-07-05", "2019-09-10", "2025-07-01", text=True)
    assert "số liệu cấp huyện, không phân bổ được xuống cấp xã" in text
    assert "hơn 21.600 ngày công" in text


def test_a_pivot_by_2025_communes_carries_the_district_total_in_its_own_row(tmp_path, field):
    _import(tmp_path, LAK_2008)
    province = field.dak_lak
    reform = datetime.date(2025, 7, 1)
    communes = [v.unit for v in children_on(province, reform, level=Level.COMMUNE)]
    period = parse_period("2004-07-05..2019-09-10")
    labour = Indicator.objects.get(code="labour_days")

    result = pivot(
        units=communes,
        periods=[period],
        indicators=[labour],
        boundaries=reform,
    )

    row = result.figure(UNALLOCATED, period, "labour_days")
    total = result.figure(TOTAL, period, "labour_days")
    assert (row.value, row.qualifier) == (21600, "hon")
    assert (total.value, total.qualifier) == (21600, "hon")
    assert sum(result.figure(c, period, "labour_days").value for c in communes) == 0


def test_the_pivot_page_shows_the_row_no_unit_carries_and_each_cell_s_sources(
    tmp_path, client, province_admin, outsider, field
):
    # given huyện Lắk's paper total, asked by the 2025 communes of the province
    _import(tmp_path, LAK_2008)
    question = {
        "unit": field.dak_lak.pk, "drill": "children", "from": "2004-07-05", "to": "2019-09-10",
        "boundaries": "2025-07-01", "indicator": "labour_days",
    }  # fmt: skip
    client.force_login(province_admin)

    page = client.get("/analytics/pivot/", question)

    # then its own row carries it, the total includes it, and the cell links to its sources
    html = BeautifulSoup(page.content.decode(), "html.parser")
    row = html.select_one(f'tr[data-key="{UNALLOCATED}"]')
    assert row.select_one("td").get_text(" ", strip=True).startswith("hơn 21.600")
    assert (
        html.select_one('tr[data-key="__total__"] td')
        .get_text(" ", strip=True)
        .startswith("hơn 21.600")
    )
    link = row.select_one("a.sources")["href"]
    sources = client.get(link, HTTP_HX_REQUEST="true")
    assert sources.status_code == 200
    text = BeautifulSoup(sources.content.decode(), "html.parser").get_text(" ", strip=True)
    assert "112-BC/HU" in text
    assert "Tính vào số liệu" in text

    # and someone from another province cannot ask it
    client.force_login(outsider)
    assert client.get(link).status_code == 404


def test_the_report_appendix_says_where_each_figure_came_from(tmp_path, field):
    from docx import Document as Docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    # given the province's, huyện Lắk's and xã Yang Tao's overlapping paper totals
    _import(tmp_path, PROVINCE, DISTRICT, COMMUNE)
    args = ["--regime", "phase", "--unit", "66", "--period", "2004-07-05..2015-12-31"]

    # when the province's phase report is exported in the three formats
    files = {}
    for fmt in ("docx", "xlsx", "pdf"):
        files[fmt] = tmp_path / f"bao-cao.{fmt}"
        call_command("report", "export", *args, "--format", fmt, "--out", str(files[fmt]))

    # then each carries an appendix of sources: what was counted, what was already inside
    # another source and what was said but not added, with the reason
    docx_text = "\n".join(p.text for p in Docx(str(files["docx"])).paragraphs)
    sheet = load_workbook(files["xlsx"])["Nguồn số liệu"]
    xlsx_text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    pdf_text = " ".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    pdf_text = " ".join(pdf_text.split())
    for text in (docx_text, xlsx_text, pdf_text):
        assert "Nguồn số liệu" in text or "Chỉ tiêu" in text
        assert "01-BC/TU" in text
        assert "trên 100.000 ngày công — tính vào số liệu" in text
        assert "03-BC/ĐU" in text
        assert "đã có trong nguồn khác, không cộng lại" in text
        assert "để riêng, không cộng" in text
        assert "trùng một phần" in text
    assert "Phụ lục: Nguồn số liệu" in docx_text
    assert "Phụ lục: Nguồn số liệu" in pdf_text
