"""The Excel import page, through the client: the template, the upload and its dry-run
report, the confirmation, the progress bar, and who may do what.

Jobs run inline here (``ImmediateBackend``): the test's transaction is invisible to
another thread. The browser test drives the background thread.
"""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from gandan.core.models import AuditEntry
from gandan.org import services as org_services
from gandan.work import excel, import_jobs
from gandan.work.models import Activity, ActivityValue, AggregateEntry, ImportJob
from gandan.work.tests.import_files import CAMPAIGN, GARDENS, TALK, filled

pytestmark = pytest.mark.django_db

CAST = ["province_admin", "lak_clerk", "commune_clerk", "leader", "outsider"]


@pytest.fixture(autouse=True)
def _inline_jobs(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def template(client, lak_clerk):
    client.force_login(lak_clerk)
    response = client.get("/activities/import/template/")
    assert response.status_code == 200
    return response.content


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _table(response, name):
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in _html(response).select(f"table.{name} tbody tr")
    ]


def _upload(client, data, name="hoat-dong-2012.xlsx"):
    return client.post("/activities/import/", {"file": SimpleUploadedFile(name, data)})


def _counts():
    return tuple(m.objects.count() for m in (Activity, ActivityValue, AggregateEntry))


def _job_of(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


# The flow. ----------------------------------------------------------------------------------------


def test_the_list_links_to_the_import_page_for_writers_only(client, lak_clerk, leader):
    client.force_login(lak_clerk)
    assert _html(client.get("/activities/")).find("a", string="Nhập từ Excel")["href"] == "/activities/import/"  # fmt: skip
    client.force_login(leader)
    assert _html(client.get("/activities/")).find("a", string="Nhập từ Excel") is None


def test_a_good_file_is_checked_without_writing_then_imported_on_confirmation(
    client, lak_clerk, field, template
):
    # given a filled template with two activities and a paper total
    data = filled(template, [CAMPAIGN, TALK], [GARDENS])
    before = _counts()

    # when the clerk uploads it
    job = _job_of(_upload(client, data))

    # then the dry run reports every row and writes nothing
    assert (job.status, job.stage, job.rows_created, job.rows_unchanged) == ("checked", "check", 3, 0)  # fmt: skip
    assert _counts() == before
    page = client.get(f"/activities/import/{job.pk}/")
    assert page.status_code == 200
    assert _table(page, "import-rows") == [
        ["Hoạt động", "2", "sẽ thêm mới", "Đợt phát động quần chúng · Xã Yang Tao · 14/03/2012"],
        ["Hoạt động", "3", "sẽ thêm mới", "Buổi tuyên truyền · Xã Bông Krang · 02/05/2013"],
        [
            "Số liệu tổng hợp",
            "2",
            "sẽ thêm mới",
            "Vườn rau, mô hình vườn rau sạch · Huyện Lắk · 2004 - 2008: trên 5.700 vườn",
        ],
    ]
    assert "Kiểm tra xong, chưa ghi gì: 2 hoạt động và 1 số tổng hợp thêm mới" in page.content.decode()  # fmt: skip
    assert _html(page).select_one(f"form[action='/activities/import/{job.pk}/confirm/']")

    # when they confirm
    response = client.post(f"/activities/import/{job.pk}/confirm/")

    # then the records exist, and the result page links to each of them
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.stage, job.rows_created) == ("done", "import", 3)
    campaign = Activity.objects.get(import_key="YT-2012-001")
    assert campaign.created_by == lak_clerk
    assert {str(v) for v in campaign.villages.all()} == {"Buôn Yang Lah", "Buôn Akŏ Dhŏng"}
    assert campaign.values.get(indicator__code="money_vnd").value == 15_000_000
    talk = Activity.objects.get(type__code="tuyen_truyen")
    total = AggregateEntry.objects.get()
    assert (total.unit, total.value, total.qualifier) == (field.lak, 5700, "tren")
    page = _html(client.get(f"/activities/import/{job.pk}/"))
    links = {a["href"] for a in page.select("ul.imported a")}
    assert links == {f"/activities/{campaign.pk}/", f"/activities/{talk.pk}/", f"/aggregates/{total.pk}/"}  # fmt: skip
    assert "Đã nhập xong." in page.get_text()
    assert not page.select("form[action$='/confirm/']")


def test_the_import_is_audited(client, lak_clerk, field, template):
    before = AuditEntry.objects.count()
    job = _job_of(_upload(client, filled(template, [CAMPAIGN], [GARDENS])))
    client.post(f"/activities/import/{job.pk}/confirm/")

    entries = list(AuditEntry.objects.order_by("id")[before:])

    assert [e.action for e in entries] == [
        "work.import_upload",
        "work.import_check",
        "work.import_confirm",
        "work.aggregate_create",
        "work.activity_bulk_create",
        "work.import_done",
    ]
    assert {e.actor_id for e in entries} == {lak_clerk.pk}
    assert entries[-1].message == "Nhập tệp «hoat-dong-2012.xlsx»: 2 dòng thêm mới, 0 dòng không thay đổi"  # fmt: skip


BAD_ROWS = [
    CAMPAIGN | {"Mã dòng": "", "Thôn, buôn": "Buôn Không Có"},  # line 2: unknown village
    CAMPAIGN
    | {"Mã dòng": "", "Từ ngày": "01/01/2003", "Đến ngày": ""},  # line 3: before the village
    TALK | {"Lượt người": -5},  # line 4: negative
    TALK | {"Lượt người": "nhiều lắm"},  # line 5: text in a number cell
    TALK | {"Mã xã": "24169", "Thôn, buôn": ""},  # line 6: Ea Kao, Buôn Ma Thuột: not Lắk's
    CAMPAIGN,  # line 7: a good row is not written either
]


def test_a_bad_file_is_rejected_whole_with_vietnamese_messages_by_row(
    client, lak_clerk, field, template
):
    before = (*_counts(), AuditEntry.objects.count())

    job = _job_of(_upload(client, filled(template, BAD_ROWS, [GARDENS | {"Giá trị": "-3"}])))
    page = client.get(f"/activities/import/{job.pk}/")

    assert job.status == "rejected"
    assert _table(page, "import-errors") == [
        [
            "Hoạt động",
            "2",
            "Thôn, buôn",
            "Xã Yang Tao không có thôn, buôn «Buôn Không Có» vào ngày 14/03/2012.",
        ],
        [
            "Hoạt động",
            "3",
            "Thôn, buôn",
            "«Buôn Yang Lah» của Xã Yang Tao không có hiệu lực vào ngày 01/01/2003.",
        ],
        [
            "Hoạt động",
            "3",
            "Thôn, buôn",
            "«Akŏ Dhŏng» của Xã Yang Tao không có hiệu lực vào ngày 01/01/2003.",
        ],
        ["Hoạt động", "4", "Lượt người", "«-5»: không được âm."],
        [
            "Hoạt động",
            "5",
            "Lượt người",
            "«nhiều lắm» không phải là số. Viết kiểu Việt Nam: 1.350 (một nghìn ba trăm năm mươi), 1.350,5 hoặc 1,35.",
        ],
        [
            "Hoạt động",
            "6",
            "Mã xã",
            "Xã Ea Kao (mã 24169) không thuộc địa bàn của bạn vào ngày 02/05/2013.",
        ],
        ["Số liệu tổng hợp", "2", "Giá trị", "«-3»: không được âm."],
    ]
    assert "Không có gì được ghi" in _html(page).select_one(".alert").get_text()
    assert not _html(page).select("form[action$='/confirm/']")
    # nothing written but the upload and its check
    assert (*_counts(), AuditEntry.objects.count()) == (*before[:3], before[3] + 2)
    assert client.post(f"/activities/import/{job.pk}/confirm/").status_code == 409
    assert _counts() == before[:3]


def test_reimporting_the_same_file_changes_nothing(client, lak_clerk, field, template):
    data = filled(template, [CAMPAIGN, TALK], [GARDENS])
    client.post(f"/activities/import/{_job_of(_upload(client, data)).pk}/confirm/")
    before = _counts()

    job = _job_of(_upload(client, data, name="lan-hai.xlsx"))
    page = client.get(f"/activities/import/{job.pk}/")

    assert (job.status, job.rows_created, job.rows_unchanged) == ("done", 0, 3)
    assert _counts() == before
    text = _html(page).get_text(" ", strip=True)
    assert "Không có thay đổi: cả 3 dòng đã có trong hệ thống" in text
    assert [row[2] for row in _table(page, "import-rows")] == ["không thay đổi"] * 3
    assert not _html(page).select("form[action$='/confirm/']")
    assert client.post(f"/activities/import/{job.pk}/confirm/").status_code == 409


def test_a_file_that_is_not_a_workbook(client, lak_clerk, field):
    client.force_login(lak_clerk)

    refused = _upload(client, b"%PDF-1.7", name="bao-cao.pdf")
    job = _job_of(_upload(client, b"not a zip", name="hong.xlsx"))

    assert refused.status_code == 400
    assert "Chỉ nhận tệp Excel .xlsx" in _html(refused).select_one(".has-error").get_text()
    assert job.status == "rejected"
    assert job.report["errors"][0]["message"] == "Tệp không phải bảng tính Excel .xlsx hợp lệ."


def test_a_confirmed_job_cannot_be_confirmed_again(client, lak_clerk, field, template):
    job = _job_of(_upload(client, filled(template, [CAMPAIGN])))
    assert client.post(f"/activities/import/{job.pk}/confirm/").status_code == 302

    again = client.post(f"/activities/import/{job.pk}/confirm/")

    assert again.status_code == 409
    assert "Đã xong" in _html(again).select_one(".alert").get_text()
    assert Activity.objects.count() == 1


def test_the_file_changed_under_a_checked_job_is_rejected_at_import(
    client, lak_clerk, field, template
):
    # given a checked file, then someone records the same total by hand
    job = _job_of(_upload(client, filled(template, [], [GARDENS])))
    excel.work_import(actor=None, data=filled(template, [], [GARDENS | {"Giá trị": 5800}]))

    client.post(f"/activities/import/{job.pk}/confirm/")

    job.refresh_from_db()
    assert job.status == "rejected"
    assert "trùng thời gian" in job.report["errors"][0]["message"]
    assert AggregateEntry.objects.get().value == 5800


def test_a_crash_leaves_the_job_failed_and_nothing_written(
    client, lak_clerk, field, template, monkeypatch
):
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(excel, "work_import", crash)

    job = _job_of(_upload(client, filled(template, [CAMPAIGN])))
    page = client.get(f"/activities/import/{job.pk}/")

    assert job.status == "failed"
    assert "không có gì được ghi" in _html(page).select_one(".alert").get_text()
    assert AuditEntry.objects.filter(action="work.import_failed", target_id=str(job.pk)).exists()
    assert not Activity.objects.exists()


def test_one_job_in_flight_per_user_unless_it_died(client, lak_clerk, field, template):
    task = DBTaskResult.objects.create(
        task_path="gandan.work.import_jobs.import_job_task",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
    )
    running = ImportJob.objects.create(
        user=lak_clerk, original_name="dang-chay.xlsx", size=1, status="running", task_id=task.pk
    )

    refused = _upload(client, filled(template, [CAMPAIGN]))

    assert refused.status_code == 400
    assert "đang có một tệp đang được xử lý" in _html(refused).get_text()
    # when the job's task is over without it (the worker failed it), a new upload runs
    DBTaskResult.objects.filter(pk=task.pk).update(status="FAILED")
    job = _job_of(_upload(client, filled(template, [CAMPAIGN])))
    running.refresh_from_db()
    assert (running.status, job.status) == ("failed", "checked")


# The progress bar. ---------------------------------------------------------------------------------


def _bar(response):
    progress = _html(response).select_one("#import-progress progress")
    return int(progress["value"]), int(progress["max"])


def test_the_progress_partial_of_a_finished_job(client, lak_clerk, field, template):
    job = _job_of(_upload(client, filled(template, [CAMPAIGN])))

    plain = client.get(f"/activities/import/{job.pk}/progress/")
    htmx = client.get(f"/activities/import/{job.pk}/progress/", headers={"HX-Request": "true"})

    assert (job.done, job.total) == (100, 100)
    assert _bar(plain) == (100, 100)
    assert not _html(plain).select_one("#import-progress").has_attr("hx-trigger")
    assert htmx.status_code == 200
    assert htmx["HX-Redirect"] == f"/activities/import/{job.pk}/"


def test_the_progress_partial_of_a_running_job_polls_and_advances(client, lak_clerk):
    job = ImportJob.objects.create(
        user=lak_clerk,
        original_name="lon.xlsx",
        size=1,
        status="running",
        done=45,
        step="Kiểm tra từng dòng",
    )
    client.force_login(lak_clerk)
    url = f"/activities/import/{job.pk}/progress/"

    first = client.get(url, headers={"HX-Request": "true"})
    import_jobs._Reporter(job)(72, "Ghi")  # the runner, from its thread
    second = client.get(url, headers={"HX-Request": "true"})

    assert _bar(first) == (45, 100)
    assert "Kiểm tra từng dòng" in first.content.decode()
    box = _html(first).select_one("#import-progress")
    assert (box["hx-get"], box["hx-trigger"]) == (url, "every 1s")
    assert _bar(second) == (72, 100)
    assert "72%" in _html(second).select_one(".percent").get_text()
    page = client.get(f"/activities/import/{job.pk}/")
    assert _bar(page) == (72, 100)


def test_progress_is_written_a_few_times_a_second_at_most(lak_clerk):
    job = ImportJob.objects.create(user=lak_clerk, original_name="a.xlsx", size=1, status="running")
    now = [0.0]
    reporter = import_jobs._Reporter(job, clock=lambda: now[0])
    seen = []
    for at, percent in [(0.0, 1), (0.1, 2), (0.2, 3), (0.35, 4), (0.4, 5), (0.41, 100)]:
        now[0] = at
        reporter(percent, "Đọc tệp")
        seen.append(import_jobs.import_job_progress(job).done)

    assert seen == [1, 1, 1, 4, 4, 100]


# Who may do what. ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_the_upload_page_and_template_are_for_writers(client, cast, field, who):
    client.force_login(cast[who])
    expected = 403 if who == "leader" else 200

    page = client.get("/activities/import/")
    template = client.get("/activities/import/template/")
    upload = _upload(client, b"not a zip")

    assert (page.status_code, template.status_code) == (expected, expected)
    assert upload.status_code == (403 if who == "leader" else 302)
    if expected == 200:
        assert template["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "mau-nhap-hoat-dong.xlsx" in template["Content-Disposition"]
    assert ImportJob.objects.filter(user=cast[who]).count() == (0 if who == "leader" else 1)


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in ("/activities/import/", "/activities/import/template/", "/activities/import/1/"):
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, "/accounts/login/")


@pytest.mark.parametrize("who", CAST)
def test_a_job_is_its_uploaders_only(client, cast, field, template, who):
    # given a checked job of the Lắk clerk
    job = _job_of(_upload(client, filled(template, [CAMPAIGN])))
    client.force_login(cast[who])
    mine = who == "lak_clerk"

    statuses = [
        client.get(f"/activities/import/{job.pk}/").status_code,
        client.get(f"/activities/import/{job.pk}/progress/").status_code,
        client.post(f"/activities/import/{job.pk}/confirm/").status_code,
    ]

    assert statuses == ([200, 200, 302] if mine else [404, 404, 404])
    assert Activity.objects.count() == (1 if mine else 0)


def test_the_template_lists_only_teams_of_the_jurisdiction(client, commune_clerk, outsider, field):
    org_services.team_create(actor=None, name="Tổ Yang Tao", unit=field.yang_tao, established_on=datetime.date(2004, 7, 5))  # fmt: skip
    org_services.team_create(actor=None, name="Tổ Đắk Pék", unit=field.dak_pek, established_on=datetime.date(2004, 7, 5))  # fmt: skip

    def teams(user):
        client.force_login(user)
        book = load_workbook(io.BytesIO(client.get("/activities/import/template/").content))
        values = {c.value for row in book["Danh mục"].iter_rows() for c in row}
        return {name for name in ("Tổ Yang Tao", "Tổ Đắk Pék") if name in values}

    assert teams(commune_clerk) == {"Tổ Yang Tao"}
    assert teams(outsider) == {"Tổ Đắk Pék"}


@pytest.mark.parametrize(
    ("who", "accepted"),
    [("province_admin", True), ("lak_clerk", True), ("commune_clerk", True), ("outsider", False)],
)
def test_the_files_units_must_be_in_the_uploaders_jurisdiction(
    client, cast, field, template, who, accepted
):
    client.force_login(cast[who])

    job = _job_of(_upload(client, filled(template, [CAMPAIGN])))

    assert job.status == ("checked" if accepted else "rejected")
    if not accepted:
        assert job.report["errors"][0]["column"] == "Mã xã"
        assert job.report["errors"][0]["line"] == 2
