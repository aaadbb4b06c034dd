"""One report through the levels, in Chromium: a commune writes and submits it, the
district returns it with a comment, the commune resubmits, the province approves it and
downloads the Word document. A screenshot at each step (``var/screenshots/reports-*``)."""

import datetime
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document as Docx
from playwright.sync_api import expect

from gandan.reports.models import Regime, Report
from gandan.reports.seed import seed_regimes
from gandan.tests.browser import login, screenshot_path
from gandan.tests.cast import OLD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-demo-253"


@pytest.fixture
def seeded(real_units):
    """Transactional tests flush the database, and the data migrations' rows with it."""
    from gandan.indicators.services import catalogue_seed
    from gandan.work.seed import types_movements_seed

    seed_regimes(Regime)
    catalogue_seed()
    types_movements_seed()


@pytest.fixture
def yang_tao_clerk(seeded, field, unit):
    from gandan.accounts.models import User

    return User.objects.create_user(
        username="yangtao_clerk",
        password=PASSWORD,
        unit=unit("24583", "commune", OLD),
        role="clerk",
        full_name="Y Khu Niê",
    )


def _as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server.url, username, PASSWORD)


def _render_first_page(docx_path, png_path):
    """A picture of the Word document's first page (LibreOffice, then poppler), if present."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        shutil.copy(docx_path, source)
        run = {"check": True, "capture_output": True, "timeout": 120}
        subprocess.run(  # noqa: S603 - fixed arguments
            [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo",
             "--convert-to", "pdf", "--outdir", folder, str(source)], **run,
        )  # fmt: skip
        subprocess.run(  # noqa: S603 - fixed arguments
            [pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
             str(Path(folder) / "report.pdf"), png_path.removesuffix(".png")], **run,
        )  # fmt: skip


def _status(page):
    return page.inner_text("#report-title .status")


def test_a_commune_report_goes_up_is_returned_resubmitted_approved_and_exported(
    live_server, page, yang_tao_clerk, lak_clerk, province_admin, field, activity_input
):
    # given campaigns recorded in xã Yang Tao in the third quarter of 2019
    from gandan.work.services import activity_create

    for day, villages, people in [(20, [field.yt_a], 120), (28, [field.yt_b], 85)]:
        activity_create(
            actor=None,
            data=activity_input(
                field.yang_tao, datetime.date(2019, 7, day), villages, participants=people
            ),
        )

    # when the commune clerk creates the quarterly report for 2019-Q3
    _as(page, live_server, "yangtao_clerk")
    page.goto(f"{live_server.url}/reports/")
    page.click("#new-report")
    page.select_option("#id_regime", "quarterly")
    page.fill("#id_period", "2019-Q3")
    page.press("#id_period", "Tab")
    # the unit list follows the period: the clerk's legacy commune, valid in 2019
    expect(page.locator("#id_unit option:checked")).to_have_text("Xã Yang Tao (đến 30/06/2025)")
    page.screenshot(path=screenshot_path("reports-1-new"), full_page=True)
    page.click("#create-report")

    # then the report is a draft, its figures and results paragraph filled from the records
    assert _status(page) == "Nháp"
    assert page.inner_text("tr[data-code=campaigns] td.num >> nth=1") == "2"
    assert "205 lượt người" in page.input_value("#id_ket_qua")

    # when they write the situation and submit it
    page.fill("#id_dac_diem", "Buôn Akŏ Dhŏng và buôn Yang Lah có nhiều hộ đồng bào Ê Đê.")
    page.click("#save-sections")
    assert "Đã lưu nội dung" in page.inner_text(".flash")
    # then the page warns that four sections are still empty and asks to confirm
    assert "Phương hướng, nhiệm vụ" in page.inner_text("#empty-sections")
    page.click("#submit-report")
    assert "4 đề mục trống: «Hạn chế, nguyên nhân»" in page.inner_text("#action-error")
    assert _status(page) == "Nháp"
    page.screenshot(path=screenshot_path("reports-2a-empty-section"), full_page=True)
    page.check("#id_allow_empty_sections")
    page.click("#submit-report")
    assert _status(page) == "Đã gửi"
    assert page.locator("#sections-form").count() == 0  # locked while submitted
    assert "Gửi khi còn đề mục trống: Hạn chế, nguyên nhân" in page.inner_text("#events")
    page.screenshot(path=screenshot_path("reports-2-submitted"), full_page=True)

    # when the district clerk of Lắk returns it with a comment
    _as(page, live_server, "lak_clerk")
    page.goto(f"{live_server.url}/reports/?status=submitted")
    page.click("#reports >> text=Báo cáo quý")
    assert page.locator("#approve-report").is_visible()
    page.fill("#id_comment", "Bổ sung phương hướng quý IV.")
    page.click("#return-report")

    # then it is back with the commune, with the comment in its timeline
    assert _status(page) == "Bị trả lại"
    assert "Bổ sung phương hướng quý IV." in page.inner_text("#events")
    page.screenshot(path=screenshot_path("reports-3-returned"), full_page=True)

    # and the district's dashboard shows Yang Tao as submitted late, the others missing
    page.goto(f"{live_server.url}/reports/completeness/?regime=quarterly&period=2019-Q3")
    assert "Huyện Lắk" in page.inner_text("#id_unit option:checked")
    assert "Xã Yang Tao" in page.inner_text("#late")
    assert "Xã Bông Krang" in page.inner_text("#missing")
    page.screenshot(path=screenshot_path("reports-3b-completeness"), full_page=True)

    # when the commune adds the plan and resubmits
    _as(page, live_server, "yangtao_clerk")
    report = Report.objects.get()
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.fill("#id_phuong_huong", "Quý IV: tiếp tục bám buôn, phát động làm đường giao thông.")
    page.click("#save-sections")
    assert "Còn 3 đề mục trống" in page.inner_text("#empty-sections")
    page.check("#id_allow_empty_sections")
    page.click("#submit-report")
    assert _status(page) == "Đã gửi"
    assert page.locator("#approve-report").count() == 0  # the commune cannot approve
    page.screenshot(path=screenshot_path("reports-4-resubmitted"), full_page=True)

    # when the province admin approves it
    _as(page, live_server, "tinh_admin")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.fill("#id_issued_on", "2019-09-20")
    page.click("#approve-report")

    # then it is locked with a number, and the Word document carries it
    assert _status(page) == "Đã duyệt"
    assert page.inner_text("#doc-number") == "Số: 1/BC-ĐCT · 20/09/2019"
    page.screenshot(path=screenshot_path("reports-5-approved"), full_page=True)
    with page.expect_download() as download:
        page.click("#exports >> text=Word")
    document = Docx(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert download.value.suggested_filename == "bao-cao-quarterly-2019-q3-yang-tao.docx"
    assert "Số: 1/BC-ĐCT" in document.tables[0].rows[0].cells[0].text
    assert "Buôn Akŏ Dhŏng" in text
    assert "(Dự thảo)" not in text
    _render_first_page(download.value.path(), screenshot_path("reports-6-docx"))
