"""The reports API (/api/v1/reports), through the client, for the cast.

The same rules as the pages: outside a user's jurisdiction a report does not exist (404), a
leader who acts gets 403 and so does a level that may not review; anonymous callers get
401; a broken rule of the workflow is a 422 whose ``detail`` is Vietnamese and which
changes nothing.
"""

import io
import json

import pytest
from docx import Document as Docx
from openpyxl import load_workbook
from pypdf import PdfReader

from gandan.reports import services
from gandan.reports.models import Report, ReportEvent
from gandan.reports.tests.conftest import read_matrix, write_matrix

pytestmark = pytest.mark.django_db

API = "/api/v1/reports"


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def _state(report):
    report.refresh_from_db()
    return report.status, report.events.count(), report.number, report.sections


CALLS = [
    ("get", API),
    ("post", API),
    ("get", f"{API}/completeness?regime=yearly&period=2019"),
    ("get", f"{API}/1"),
    ("patch", f"{API}/1/sections"),
    ("post", f"{API}/1/adjustments"),
    ("post", f"{API}/1/submit"),
    ("post", f"{API}/1/return"),
    ("post", f"{API}/1/approve"),
    ("post", f"{API}/1/unapprove"),
    ("get", f"{API}/1/export/docx"),
]


@pytest.mark.parametrize(("method", "url"), CALLS)
def test_anonymous_callers_get_401(client, method, url):
    response = (
        client.get(url)
        if method == "get"
        else getattr(client, method)(url, data="{}", content_type="application/json")
    )

    assert response.status_code == 401


def test_openapi_lists_the_report_endpoints_under_one_tag(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    ours = {p: ops for p, ops in paths.items() if p.startswith(API)}
    assert {API, f"{API}/{{report_id}}/approve", f"{API}/{{report_id}}/export/{{fmt}}"} <= set(ours)
    assert {op["tags"][0] for ops in ours.values() for op in ops.values()} == {"Báo cáo"}


@pytest.mark.parametrize(("who", "name", "status"), read_matrix())
def test_a_report_and_its_documents_are_scoped_to_jurisdiction(
    client, cast, reports, who, name, status
):
    report = getattr(reports, name)
    client.force_login(cast[who])

    detail = client.get(f"{API}/{report.pk}")
    export = client.get(f"{API}/{report.pk}/export/xlsx")

    assert (detail.status_code, export.status_code) == (status, status)
    if status == 200:
        assert detail.json()["report"]["unit"] == str(report.unit)


@pytest.mark.parametrize(
    ("who", "units"),
    [
        ("province_admin", ["Huyện Lắk", "Xã Liên Sơn Lắk", "Xã Yang Tao"]),
        ("lak_clerk", ["Huyện Lắk", "Xã Yang Tao"]),
        ("commune_clerk", ["Xã Liên Sơn Lắk", "Xã Yang Tao"]),
        ("leader", ["Huyện Lắk", "Xã Liên Sơn Lắk", "Xã Yang Tao"]),
        ("outsider", []),
    ],
)
def test_the_list_is_scoped_to_jurisdiction(client, cast, reports, who, units):
    client.force_login(cast[who])

    response = client.get(API)

    assert sorted(r["unit"] for r in response.json()["items"]) == units


def test_the_list_filters(client, province_admin, reports):
    services.report_submit(actor=None, report=reports.district)
    client.force_login(province_admin)

    assert [r["unit"] for r in client.get(API, {"status": "submitted"}).json()["items"]] == [
        "Huyện Lắk"
    ]
    assert [r["period_code"] for r in client.get(API, {"period": "2025"}).json()["items"]] == [
        "2025"
    ]
    assert client.get(API, {"regime": "weekly"}).json() == {"items": [], "count": 0}
    assert client.get(API, {"status": "lost"}).status_code == 422
    assert client.get(API, {"limit": 0}).status_code == 422
    assert client.get(API, {"offset": 9223372036854775808}).status_code == 422
    assert client.get(API, {"offset": 9223372036854775808}).json()["field"] == "offset"
    assert client.get(API, {"limit": 1}).json()["count"] == len(client.get(API).json()["items"])


def test_the_detail_has_figures_sections_children_and_actions(client, lak_clerk, reports):
    client.force_login(lak_clerk)

    body = client.get(f"{API}/{reports.district.pk}").json()

    assert body["actions"] == ["adjust", "edit", "submit"]
    assert [s["key"] for s in body["sections"]][:2] == ["dac_diem", "ket_qua"]
    assert body["figures"][0] == {
        "code": "members", "name": "Thành viên Đội công tác", "unit": "người", "value": "0",
        "qualifier": "exact", "now": None, "adjustment_reason": None,
    }  # fmt: skip
    assert len(body["children"]) == 11
    assert body["completeness"]["expected"] == 11
    assert body["events"] == []


# Writes. ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("commune_clerk", 201),
        ("lak_clerk", 201),
        ("province_admin", 201),
        ("leader", 403),
        ("outsider", 404),
    ],
)
def test_create_a_report_for_a_unit_of_ones_own(client, cast, places, who, status):
    client.force_login(cast[who])

    response = _post(
        client, API, {"regime": "quarterly", "unit_id": places.yang_tao.pk, "period": "2019-Q3"}
    )

    assert response.status_code == status
    assert Report.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()["period_label"] == "quý III năm 2019"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"regime": "lost"}, "Không có chế độ báo cáo «lost»"),
        ({"period": "2019-Q9"}, "Kỳ không hợp lệ"),
        ({"period": "2026-Q1"}, "không có hiệu lực vào ngày cuối kỳ"),
    ],
)
def test_a_bad_report_is_422(client, commune_clerk, places, body, detail):
    client.force_login(commune_clerk)
    payload = {"regime": "quarterly", "unit_id": places.yang_tao.pk, "period": "2019-Q3"}

    response = _post(client, API, payload | body)

    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert not Report.objects.exists()


WRITES = {
    "sections": lambda c, pk: _patch(c, f"{API}/{pk}/sections", {"sections": {"dac_diem": "Ê Đê"}}),
    "adjust": lambda c, pk: _post(
        c, f"{API}/{pk}/adjustments", {"indicator_code": "teams", "value": "2", "reason": "Sót"}
    ),
    "submit": lambda c, pk: _post(c, f"{API}/{pk}/submit"),
}
REVIEWS = {
    "return": lambda c, pk: _post(c, f"{API}/{pk}/return", {"comment": "Bổ sung"}),
    "approve": lambda c, pk: _post(c, f"{API}/{pk}/approve", {"issued_on": "2019-12-20"}),
    "unapprove": lambda c, pk: _post(c, f"{API}/{pk}/unapprove", {"reason": "Sai số"}),
}


def _call_and_check(client, report, action, call, status):
    before, events = _state(report), ReportEvent.objects.count()

    response = call(client, report.pk)

    if status == 200:
        assert (action, response.status_code) in {(action, 200), (action, 201)}
    else:
        assert (action, response.status_code) == (action, status)
        assert _state(report) == before
        assert ReportEvent.objects.count() == events


@pytest.mark.parametrize(("who", "name", "status"), write_matrix(review=False))
def test_editing_adjusting_and_submitting(client, cast, reports, who, name, status):
    client.force_login(cast[who])

    for action, call in WRITES.items():
        _call_and_check(client, getattr(reports, name), action, call, status)


@pytest.mark.parametrize(("who", "name", "status"), write_matrix(review=True))
def test_returning_approving_and_unapproving(client, cast, reports, who, name, status):
    report = getattr(reports, name)
    client.force_login(cast[who])

    for action, call in REVIEWS.items():
        report.refresh_from_db()
        if report.status != Report.Status.SUBMITTED and action != "unapprove":
            services.report_submit(actor=None, report=report)
        if action == "unapprove" and report.status != Report.Status.APPROVED:
            services.report_approve(actor=None, report=report)
        _call_and_check(client, report, action, call, status)


def test_approving_twice_is_422_and_changes_nothing(client, province_admin, reports):
    services.report_submit(actor=None, report=reports.commune)
    client.force_login(province_admin)
    first = REVIEWS["approve"](client, reports.commune.pk)
    before = _state(reports.commune)

    second = REVIEWS["approve"](client, reports.commune.pk)

    assert first.json()["number_text"] == "Số 1-BC/ĐCT"
    assert second.status_code == 422
    assert second.json()["detail"] == "Không thể duyệt báo cáo đang ở trạng thái «Đã duyệt»."
    assert _state(reports.commune) == before


def test_workflow_rules_are_422(client, commune_clerk, lak_clerk, reports):
    client.force_login(lak_clerk)
    services.report_submit(actor=None, report=reports.commune)

    no_comment = _post(client, f"{API}/{reports.commune.pk}/return", {"comment": " "})
    locked = _patch(client, f"{API}/{reports.commune.pk}/sections", {"sections": {"dac_diem": "x"}})
    unknown = _patch(client, f"{API}/{reports.district.pk}/sections", {"sections": {"lost": "x"}})

    assert no_comment.json() == {"detail": "Trả lại báo cáo phải ghi ý kiến.", "field": "comment"}
    assert locked.status_code == 422
    assert "không sửa được" in locked.json()["detail"]
    assert unknown.json()["field"] == "sections"


@pytest.mark.parametrize(
    ("fmt", "content_type", "opens"),
    [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda data: Docx(io.BytesIO(data)).tables[0].rows[0].cells[1].text,
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda data: load_workbook(io.BytesIO(data)).worksheets[0]["A1"].value,
        ),
        (
            "pdf",
            "application/pdf",
            lambda data: PdfReader(io.BytesIO(data)).pages[0].extract_text(),
        ),
    ],
)
def test_exports(client, leader, reports, fmt, content_type, opens):
    client.force_login(leader)

    response = client.get(f"{API}/{reports.district.pk}/export/{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert opens(response.content)


def test_an_unknown_export_format_is_404(client, leader, reports):
    client.force_login(leader)

    assert client.get(f"{API}/{reports.district.pk}/export/odt").status_code == 404


@pytest.mark.parametrize(
    ("who", "unit_name", "status"),
    [
        ("lak_clerk", None, 200),
        ("province_admin", "lak", 200),
        ("leader", "lak", 200),
        ("commune_clerk", "lak", 404),
        ("outsider", "lak", 404),
    ],
)
def test_the_completeness_of_the_level_below(client, cast, places, reports, who, unit_name, status):
    services.report_submit(actor=None, report=reports.commune)
    client.force_login(cast[who])
    query = {"regime": "yearly", "period": "2019"}
    if unit_name:
        query["unit_id"] = getattr(places, unit_name).pk

    response = client.get(f"{API}/completeness", query)

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert (body["unit"], body["report_id"]) == ("Huyện Lắk", reports.district.pk)
        assert body["completeness"] | {"missing": len(body["completeness"]["missing"])} == {
            "expected": 11, "submitted": 1, "approved": 0, "late": 1,
            "rate": 1 / 11, "on_time_rate": 0.0, "missing": 10,
        }  # fmt: skip
