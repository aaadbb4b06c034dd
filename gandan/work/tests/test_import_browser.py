"""Playwright, against Debian's Chromium: the Lắk clerk downloads the template, fills it,
uploads it, reads the dry-run report, confirms, and finds the imported rows in the list.
The job runs as a task of the queue, in a worker's loop on a thread of the test, as
``gandan worker`` runs it in production (screenshots in var/)."""

import contextlib

import pytest

from gandan.indicators.services import catalogue_seed
from gandan.tests.browser import login, screenshot_path
from gandan.tests.queue import worker_thread
from gandan.work.models import Activity, AggregateEntry, ImportJob
from gandan.work.seed import types_movements_seed
from gandan.work.tests.import_files import CAMPAIGN, GARDENS, TALK, filled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(real_units):
    """The seeded catalogue, types and movements (an earlier browser test may have flushed
    the data the migrations seeded)."""
    catalogue_seed()
    types_movements_seed()


@pytest.fixture
def stack():
    with contextlib.ExitStack() as entered:
        yield entered


def test_lak_clerk_imports_a_filled_template_and_sees_the_rows(
    catalogue, live_server, page, lak_clerk, field, settings, tmp_path, stack
):
    settings.MEDIA_ROOT = tmp_path
    settings.GANDAN_PERIODIC_TASKS = []
    worker = stack.enter_context(worker_thread())
    login(page, live_server.url, "lak_clerk", "matkhau-demo-253")

    # given the template, downloaded from the import page the list links to
    page.goto(f"{live_server.url}/activities/")
    page.click("text=Nhập từ Excel")
    with page.expect_download() as download:
        page.click("text=Tải tệp mẫu (.xlsx)")
    download.value.save_as(tmp_path / "mau.xlsx")
    template = (tmp_path / "mau.xlsx").read_bytes()
    upload = tmp_path / "hoat-dong-lak-2012.xlsx"
    upload.write_bytes(filled(template, [CAMPAIGN, TALK], [GARDENS]))
    page.screenshot(path=screenshot_path("work-import-upload"), full_page=True)

    # when the clerk uploads the filled file
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Tải lên và kiểm tra')")

    # then, once the progress bar is done, the page shows the row-by-row dry run
    page.wait_for_selector("table.import-rows", timeout=60_000)
    rows = page.locator("table.import-rows tbody tr")
    assert rows.count() == 3
    assert "sẽ thêm mới" in rows.nth(0).inner_text()
    assert "Đợt phát động quần chúng · Xã Yang Tao · 14/03/2012" in rows.nth(0).inner_text()
    assert not Activity.objects.exists()
    page.screenshot(path=screenshot_path("work-import-report"), full_page=True)

    # when they confirm
    page.click("button:has-text('Xác nhận nhập')")

    # then the records are written and the result page links to them
    page.wait_for_selector("text=Đã nhập xong.", timeout=60_000)
    assert ImportJob.objects.get().status == "done"
    assert worker.worker_id == "browser-worker"
    assert Activity.objects.count() == 2
    assert AggregateEntry.objects.count() == 1
    assert page.locator("ul.imported a").count() == 3
    page.screenshot(path=screenshot_path("work-import-done"), full_page=True)

    # and the activity list shows the imported rows
    page.click("text=Xem danh sách hoạt động")
    table = page.inner_text("table.activities")
    for text in ("14/03/2012", "Phát động làm đường liên buôn", "Buôn Akŏ Dhŏng, Buôn Yang Lah",
                 "15.000.000 đồng", "02/05/2013", "Buổi tuyên truyền"):  # fmt: skip
        assert text in table
    page.screenshot(path=screenshot_path("work-import-list"), full_page=True)


def test_the_progress_bar_advances_then_gives_way_to_the_report(
    catalogue, live_server, page, lak_clerk
):
    # given a long job of the clerk's, running (its runner is played by the test)
    job = ImportJob.objects.create(
        user=lak_clerk, original_name="lich-su-2004-2019.xlsx", size=7_200_000,
        status="running", done=30, step="Kiểm tra từng dòng",
    )  # fmt: skip
    login(page, live_server.url, "lak_clerk", "matkhau-demo-253")
    page.goto(f"{live_server.url}/activities/import/{job.pk}/")
    bar = page.locator("#import-progress progress")
    assert bar.get_attribute("value") == "30"
    page.screenshot(path=screenshot_path("work-import-progress"), full_page=True)

    # when the runner advances, the polled bar follows
    ImportJob.objects.filter(pk=job.pk).update(done=80, step="Ghi")
    page.wait_for_selector("#import-progress progress[value='80']")
    assert "80%" in page.inner_text("#import-progress")

    # and when it finishes, the page shows the report in place of the bar
    error = {"sheet": "Hoạt động", "line": 7, "column": "Mã xã", "message": "Không có xã mã «99999»."}  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(
        status="rejected", done=100, report={"errors": [error], "error_count": 1}
    )
    page.wait_for_selector("table.import-errors")
    assert page.inner_text("table.import-errors tbody tr") == "Hoạt động\t7\tMã xã\tKhông có xã mã «99999»."  # fmt: skip
    page.screenshot(path=screenshot_path("work-import-rejected"), full_page=True)
