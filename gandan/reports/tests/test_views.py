"""The report pages and the workflow's POST endpoints, through the client, for the cast.

Outside a user's jurisdiction a report does not exist (404); a leader who acts gets 403, and
so does a level that may not review (a commune approving its own report); a broken rule of
the workflow re-shows the report with the error (400) and changes nothing.
"""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from docx import Document as Docx
from openpyxl import load_workbook
from pypdf import PdfReader

from gandan.reports import services
from gandan.reports.models import Regime, Report, ReportEvent
from gandan.reports.tests.conftest import bare_report, read_matrix, write_matrix
from gandan.work.services import activity_create

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2019, 12, 20)


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _text(response, selector):
    found = _html(response).select_one(selector)
    return found.get_text(" ", strip=True) if found is not None else None


def _submit(report):
    return services.report_submit(actor=None, report=report)


def _approve(report):
    _submit(report)
    return services.report_approve(actor=None, report=report, issued_on=ISSUED)


def _state(report):
    report.refresh_from_db()
    return report.status, report.events.count(), report.number


@pytest.mark.parametrize(
    "url",
    ["/reports/", "/reports/results/", "/reports/new/", "/reports/completeness/", "/reports/1/"],
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Reading: the report page and its documents. ----------------------------------------------------


@pytest.mark.parametrize(("who", "name", "status"), read_matrix())
def test_report_page_and_exports_are_scoped_to_jurisdiction(
    client, cast, reports, who, name, status
):
    report = getattr(reports, name)
    client.force_login(cast[who])

    page = client.get(f"/reports/{report.pk}/")
    export = client.get(f"/reports/{report.pk}/export.xlsx")

    assert (page.status_code, export.status_code) == (status, status)
    if status == 200:
        assert _text(page, "#report-unit") == str(report.unit)


@pytest.mark.parametrize(
    ("fmt", "content_type", "opens"),
    [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda data: "\n".join(
                cell.text for table in Docx(io.BytesIO(data)).tables for cell in table._cells
            ),
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda data: str(list(load_workbook(io.BytesIO(data)).worksheets[0].values)),
        ),
        (
            "pdf",
            "application/pdf",
            lambda data: "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages),
        ),
    ],
)
def test_exports_download_and_open(client, leader, reports, fmt, content_type, opens):
    # given a read-only leader: exporting is reading
    client.force_login(leader)

    response = client.get(f"/reports/{reports.commune.pk}/export.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-yearly-2019-yang-tao.{fmt}"'
    )
    assert "Đợt phát động quần chúng" in opens(response.content)


def test_an_unknown_export_format_is_404(client, province_admin, reports):
    client.force_login(province_admin)

    assert client.get(f"/reports/{reports.commune.pk}/export.odt").status_code == 404


def test_export_queries_do_not_grow_with_the_figures(
    client, province_admin, reports, django_assert_max_num_queries
):
    client.force_login(province_admin)
    client.get(f"/reports/{reports.commune.pk}/export.xlsx")  # warm the session

    with django_assert_max_num_queries(40):
        assert client.get(f"/reports/{reports.commune.pk}/export.xlsx").status_code == 200


def test_report_page_shows_figures_sections_and_timeline(client, commune_clerk, campaign, yearly):
    report = services.report_create(
        actor=None,
        regime=Regime.objects.get(code="quarterly"),
        unit=campaign.unit,
        period="2019-Q1",
    )
    client.force_login(commune_clerk)

    response = client.get(f"/reports/{report.pk}/")

    page = _html(response)
    assert page.select_one("tr[data-code=campaigns] td.num:nth-of-type(4)").get_text() == "1"
    assert "tổ chức 1 đợt phát động quần chúng" in page.select_one("#id_ket_qua").get_text()
    assert [label.get_text(strip=True) for label in page.select("#sections-form label")] == [
        "1. Đặc điểm tình hình", "2. Kết quả đạt được", "3. Hạn chế, nguyên nhân",
        "4. Bài học kinh nghiệm", "5. Phương hướng, nhiệm vụ", "6. Kiến nghị, đề xuất",
    ]  # fmt: skip
    assert page.select_one("#submit-report") is not None
    assert page.select_one("#approve-report") is None
    assert "Tạo báo cáo" in page.select_one("#events").get_text()
    assert len(page.select("#exports a")) == 3


def test_a_leader_sees_the_report_without_any_action(client, leader, reports):
    client.force_login(leader)

    page = _html(client.get(f"/reports/{reports.commune.pk}/"))

    assert page.select("#actions form, #sections-form, #adjust-form") == []
    assert len(page.select("#sections h3")) == 6


def test_the_district_page_lists_its_communes_reports_and_completeness(client, lak_clerk, reports):
    # given Yang Tao has submitted, after the deadline
    _submit(reports.commune)
    client.force_login(lak_clerk)

    page = _html(client.get(f"/reports/{reports.district.pk}/"))

    rows = {
        tr.td.get_text(strip=True): tr.select("td")[-1].get_text(strip=True)
        for tr in page.select("#children table.children tbody tr")
    }
    assert len(rows) == 11
    assert rows["Xã Yang Tao"] == "Trễ hạn"
    assert rows["Xã Bông Krang"] == "Chưa gửi"
    assert "1/11" in page.select_one("#rates").get_text()


# The workflow, through the POST endpoints, for the cast. ---------------------------------------

BODY = {
    "sections": {"dac_diem": "Buôn Akŏ Dhŏng."},
    "adjust": {"indicator_code": "campaigns", "value": "3", "reason": "Bổ sung biên bản"},
    "submit": {"allow_empty_sections": "on"},  # the sections post above left some empty
    "return": {"comment": "Bổ sung phương hướng"},
    "approve": {"issued_on": "2019-12-20"},
    "unapprove": {"reason": "Sai số liệu"},
}
# The state each review needs first, reached through the services.
NEEDS = {"return": Report.Status.SUBMITTED, "approve": Report.Status.SUBMITTED}


def _bring(report, status):
    report.refresh_from_db()
    if report.status in {Report.Status.DRAFT, Report.Status.RETURNED}:
        _submit(report)
    if status == Report.Status.APPROVED and report.status != Report.Status.APPROVED:
        services.report_approve(actor=None, report=report, issued_on=ISSUED)


def _post_and_check(client, report, action, status):
    """302 back to the report when allowed; otherwise ``status`` and nothing changes."""
    before = _state(report)
    events = ReportEvent.objects.count()

    response = client.post(f"/reports/{report.pk}/{action}/", BODY[action])

    if status == 200:
        assert (action, response.status_code) == (action, 302)
        assert response["Location"].startswith(f"/reports/{report.pk}/")
    else:
        assert (action, response.status_code) == (action, status)
        assert _state(report) == before
        assert ReportEvent.objects.count() == events


@pytest.mark.parametrize(("who", "name", "status"), write_matrix(review=False))
def test_editing_adjusting_and_submitting_is_for_writers_who_see_the_report(
    client, cast, reports, who, name, status
):
    client.force_login(cast[who])

    for action in ("sections", "adjust", "submit"):
        _post_and_check(client, getattr(reports, name), action, status)


@pytest.mark.parametrize(("who", "name", "status"), write_matrix(review=True))
def test_returning_approving_and_unapproving_is_for_a_higher_level(
    client, cast, reports, who, name, status
):
    report = getattr(reports, name)
    client.force_login(cast[who])

    for action in ("return", "approve", "unapprove"):
        _bring(report, NEEDS.get(action, Report.Status.APPROVED))
        _post_and_check(client, report, action, status)


def test_a_report_goes_up_is_returned_resubmitted_and_approved(
    client, commune_clerk, lak_clerk, province_admin, reports
):
    report = reports.commune
    client.force_login(commune_clerk)
    assert client.post(f"/reports/{report.pk}/submit/").status_code == 302

    client.force_login(lak_clerk)
    response = client.post(f"/reports/{report.pk}/return/", {"comment": "Thiếu phương hướng"})
    assert response.status_code == 302

    client.force_login(commune_clerk)
    page = client.get(f"/reports/{report.pk}/")
    assert "lak_clerk trả lại ngày" in _text(page, "#returned")
    assert "Thiếu phương hướng" in _text(page, "#returned")
    client.post(f"/reports/{report.pk}/sections/", {"phuong_huong": "Bám buôn, bám hộ."})
    confirm = {"allow_empty_sections": "on"}  # only "Phương hướng" is written now
    assert client.post(f"/reports/{report.pk}/submit/", confirm).status_code == 302

    client.force_login(province_admin)
    response = client.post(f"/reports/{report.pk}/approve/", {"issued_on": "2019-12-20"})
    assert response.status_code == 302

    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert report.number_text == "Số 1-BC/ĐCT"
    assert report.sections["phuong_huong"] == "Bám buôn, bám hộ."
    assert list(report.events.values_list("action", "actor__username")) == [
        ("submit", "liensonlak_clerk"), ("return", "lak_clerk"),
        ("submit", "liensonlak_clerk"), ("approve", "tinh_admin"),
    ]  # fmt: skip
    page = client.get(f"/reports/{report.pk}/")
    assert _text(page, "#doc-number") == "Số 1-BC/ĐCT · 20/12/2019"
    assert _html(page).select_one("#unapprove-report") is not None


def test_a_commune_cannot_approve_its_own_report(client, commune_clerk, reports):
    _submit(reports.commune)
    client.force_login(commune_clerk)

    page = _html(client.get(f"/reports/{reports.commune.pk}/"))
    response = client.post(f"/reports/{reports.commune.pk}/approve/")

    assert page.select_one("#approve-report") is None
    assert "chờ cấp trên" in page.select_one("#waiting").get_text()
    assert response.status_code == 403
    assert _state(reports.commune)[0] == Report.Status.SUBMITTED


def test_after_2025_the_province_reviews_a_commune_directly(
    client, province_admin, commune_clerk, lak_clerk, reports
):
    report = reports.commune_2025
    _submit(report)

    client.force_login(lak_clerk)
    assert client.post(f"/reports/{report.pk}/approve/").status_code == 404
    client.force_login(province_admin)
    assert client.post(f"/reports/{report.pk}/approve/").status_code == 302

    assert _state(report)[0] == Report.Status.APPROVED


def test_the_province_report_is_approved_by_a_province_administrator_not_a_clerk(
    client, province_admin, leader, commune_clerk, places, yearly
):
    from gandan.accounts.models import User

    province_clerk = User.objects.create_user(
        "tinh_clerk", password="x", unit=province_admin.unit, role="clerk"
    )
    report = bare_report(yearly, places.dak_lak, "2025")
    client.force_login(province_clerk)
    assert client.post(f"/reports/{report.pk}/submit/").status_code == 302
    page = _html(client.get(f"/reports/{report.pk}/"))
    assert page.select_one("#approve-report") is None

    assert client.post(f"/reports/{report.pk}/approve/").status_code == 403
    client.force_login(leader)
    assert client.post(f"/reports/{report.pk}/approve/").status_code == 403
    client.force_login(commune_clerk)
    assert client.post(f"/reports/{report.pk}/approve/").status_code == 404
    assert _state(report)[0] == Report.Status.SUBMITTED

    client.force_login(province_admin)
    assert _html(client.get(f"/reports/{report.pk}/")).select_one("#approve-report")
    assert client.post(f"/reports/{report.pk}/approve/").status_code == 302
    assert _state(report)[0] == Report.Status.APPROVED


def test_approving_twice_gives_a_clear_error_and_changes_nothing(client, province_admin, reports):
    _submit(reports.commune)
    client.force_login(province_admin)
    assert client.post(f"/reports/{reports.commune.pk}/approve/").status_code == 302
    before = _state(reports.commune)

    response = client.post(f"/reports/{reports.commune.pk}/approve/")

    assert response.status_code == 400
    assert _text(response, "#action-error") == (
        "Không thể duyệt báo cáo đang ở trạng thái «Đã duyệt»."
    )
    assert _state(reports.commune) == before


@pytest.mark.parametrize(
    ("action", "body", "message"),
    [
        ("return", {"comment": "  "}, "Trả lại báo cáo phải ghi ý kiến."),
        ("unapprove", {"reason": ""}, "Hủy duyệt phải ghi lý do."),
        ("submit", {}, "Không thể gửi báo cáo đang ở trạng thái «Đã gửi»."),
    ],
)
def test_a_broken_rule_is_shown_and_changes_nothing(
    client, province_admin, reports, action, body, message
):
    (_approve if action == "unapprove" else _submit)(reports.commune)
    before = _state(reports.commune)
    client.force_login(province_admin)

    response = client.post(f"/reports/{reports.commune.pk}/{action}/", body)

    assert response.status_code == 400
    assert _text(response, "#action-error") == message
    assert _state(reports.commune) == before


def test_a_commune_submitting_twice_sees_why_and_waits(client, commune_clerk, reports):
    _submit(reports.commune)
    before = _state(reports.commune)
    client.force_login(commune_clerk)

    response = client.post(f"/reports/{reports.commune.pk}/submit/")

    assert response.status_code == 400
    assert _text(response, "#action-error") == ("Không thể gửi báo cáo đang ở trạng thái «Đã gửi».")
    assert "chờ cấp trên" in _text(response, "#waiting")
    assert _state(reports.commune) == before


def test_sections_are_editable_only_while_draft_or_returned(client, commune_clerk, reports):
    _submit(reports.commune)
    client.force_login(commune_clerk)

    before = reports.commune.sections["dac_diem"]
    page = _html(client.get(f"/reports/{reports.commune.pk}/"))
    response = client.post(f"/reports/{reports.commune.pk}/sections/", {"dac_diem": "Sửa"})

    assert page.select("textarea") == []
    assert response.status_code == 400
    assert "không sửa được" in _text(response, "#sections .alert")
    reports.commune.refresh_from_db()
    assert reports.commune.sections["dac_diem"] == before != "Sửa"


def test_an_adjustment_needs_a_reason_and_shows_in_the_figures(client, commune_clerk, reports):
    client.force_login(commune_clerk)
    url = f"/reports/{reports.commune.pk}/adjust/"

    refused = client.post(url, {"indicator_code": "campaigns", "value": "3", "reason": ""})
    accepted = client.post(url, BODY["adjust"])

    assert refused.status_code == 400
    assert "phải ghi lý do" in _text(refused, "#figures .alert")
    assert accepted.status_code == 302
    page = _html(client.get(f"/reports/{reports.commune.pk}/"))
    row = page.select_one("tr[data-code=campaigns]")
    assert row.select("td")[3].get_text() == "3"
    assert "Điều chỉnh: Bổ sung biên bản" in row.get_text()


def test_an_approved_report_keeps_its_figures_and_shows_what_changed(
    client, province_admin, reports, campaign, field, activity_input
):
    _approve(reports.commune)
    # when another campaign is recorded in the approved period
    activity_create(
        actor=None, data=activity_input(field.yang_tao, datetime.date(2019, 4, 2), [field.yt_b])
    )
    client.force_login(province_admin)

    page = _html(client.get(f"/reports/{reports.commune.pk}/"))

    assert page.select_one("#discrepancies") is not None
    row = page.select_one("tr.changed[data-code=campaigns]")
    assert [td.get_text() for td in row.select("td.num")] == ["3", "1", "2"]
    reports.commune.refresh_from_db()
    assert reports.commune.snapshot["campaigns"]["value"] == "1"


def test_the_xlsx_export_writes_figures_as_numbers_and_names_inert(
    client, leader, reports, campaign
):
    from gandan.indicators.models import Indicator
    from gandan.tests.xlsx import HOSTILE, assert_inert

    # given an indicator an administrator named like a formula
    Indicator.objects.filter(code="campaigns").update(name_vi=HOSTILE[0])
    client.force_login(leader)

    data = client.get(f"/reports/{reports.commune.pk}/export.xlsx").content

    # then the name is inert text and the figures are numbers with Vietnamese formats
    assert_inert(data, HOSTILE[0])
    sheet = load_workbook(io.BytesIO(data)).active
    rows = {row[1].value: row[3] for row in sheet.iter_rows(min_row=6)}
    assert rows[HOSTILE[0]].value == 1
    assert rows["Lượt người tham gia phát động"].value == 120
    assert rows["Lượt người tham gia phát động"].data_type == "n"
    assert rows["Lượt người tham gia phát động"].number_format == "#,##0"
    assert Indicator.objects.get(code="campaigns").name_vi == HOSTILE[0]


def test_a_pdf_rendered_in_the_background_is_downloaded_by_who_asked(
    client, leader, lak_clerk, reports, settings, tmp_path
):
    from gandan.tests.queue import run_tasks

    settings.MEDIA_ROOT = tmp_path
    settings.GANDAN_PERIODIC_TASKS = []
    client.force_login(leader)

    # when the leader asks for the PDF in the background, a task waits for the worker
    started = client.post(f"/reports/{reports.commune.pk}/export.pdf/background/")
    assert started.status_code == 302
    page = started.url
    assert "Đang chờ đến lượt xử lý" in client.get(page).content.decode()

    # then, once a worker ran it, the page offers the file, which is the report's PDF
    assert run_tasks() == 1
    done = BeautifulSoup(client.get(page, headers={"HX-Request": "true"}).content, "html.parser")
    link = done.select_one("a[download]")["href"]
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert "Đợt phát động quần chúng" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages
    )

    # and another user, even one who may see the report, does not get it
    client.force_login(lak_clerk)
    assert client.get(page).status_code == 404
    assert client.get(link).status_code == 404
