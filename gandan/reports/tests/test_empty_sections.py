"""A report whose narrative sections are empty is not sent up by accident (issue 15 §12):
the page lists the empty sections, the clerk must confirm, the confirmation is kept in the
report's history, and the API refuses the same way."""

import pytest
from bs4 import BeautifulSoup

from gandan.core.errors import DomainError
from gandan.reports import services
from gandan.reports.models import Report, ReportEvent
from gandan.reports.selectors import empty_sections

pytestmark = pytest.mark.django_db

TITLES = ["Đặc điểm tình hình", "Kết quả đạt được"]


def _blank(report, *keys):
    report.sections = {**report.sections, **dict.fromkeys(keys, "  ")}
    report.save(update_fields=["sections"])
    return report


def _text(response, selector):
    node = BeautifulSoup(response.content, "html.parser").select_one(selector)
    return node.get_text(" ", strip=True) if node else ""


def test_a_written_report_has_no_empty_section(reports):
    assert empty_sections(reports.commune) == []


def test_empty_sections_are_listed_in_the_regime_order(reports):
    report = _blank(reports.commune, "ket_qua", "dac_diem")

    assert empty_sections(report) == TITLES


def test_the_service_refuses_until_the_clerk_confirms(reports, commune_clerk):
    report = _blank(reports.commune, "dac_diem", "ket_qua")

    with pytest.raises(DomainError) as refused:
        services.report_submit(actor=commune_clerk, report=report)

    assert refused.value.field == "allow_empty_sections"
    assert "2 đề mục trống: «Đặc điểm tình hình», «Kết quả đạt được»" in refused.value.message
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert not ReportEvent.objects.filter(report=report, action="submit").exists()

    services.report_submit(actor=commune_clerk, report=report, allow_empty_sections=True)

    event = ReportEvent.objects.get(report=report, action="submit")
    assert event.comment == "Gửi khi còn đề mục trống: Đặc điểm tình hình, Kết quả đạt được"


def test_the_page_warns_and_the_post_needs_the_confirmation(client, commune_clerk, reports):
    report = _blank(reports.commune, "dac_diem", "ket_qua")
    client.force_login(commune_clerk)

    page = client.get(f"/reports/{report.pk}/")
    refused = client.post(f"/reports/{report.pk}/submit/")
    report.refresh_from_db()
    status_after_refusal = report.status
    sent = client.post(f"/reports/{report.pk}/submit/", {"allow_empty_sections": "on"})
    report.refresh_from_db()

    warning = _text(page, "#empty-sections")
    assert "Còn 2 đề mục trống" in warning
    assert "Đặc điểm tình hình" in warning
    assert "Kết quả đạt được" in warning
    assert refused.status_code == 400
    assert "2 đề mục trống" in _text(refused, "#action-error")
    assert status_after_refusal == Report.Status.DRAFT
    assert sent.status_code == 302
    assert report.status == Report.Status.SUBMITTED


def test_a_written_report_goes_up_without_the_question(client, commune_clerk, reports):
    client.force_login(commune_clerk)

    page = client.get(f"/reports/{reports.commune.pk}/")
    sent = client.post(f"/reports/{reports.commune.pk}/submit/")

    assert _text(page, "#empty-sections") == ""
    assert sent.status_code == 302
    assert ReportEvent.objects.get(report=reports.commune, action="submit").comment == ""


def test_the_api_refuses_with_422_naming_the_field(client, commune_clerk, reports):
    report = _blank(reports.commune, "dac_diem")
    client.force_login(commune_clerk)
    url = f"/api/v1/reports/{report.pk}/submit"

    refused = client.post(url)
    sent = client.post(f"{url}?allow_empty_sections=true")

    assert refused.status_code == 422
    assert refused.json()["field"] == "allow_empty_sections"
    assert "«Đặc điểm tình hình»" in refused.json()["detail"]
    assert sent.status_code == 200
    assert sent.json()["status"] == "submitted"
