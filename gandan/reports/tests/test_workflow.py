import datetime
import io
from decimal import Decimal

import pytest
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pypdf import PdfReader

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.reports.documents import build_document, render_docx, render_pdf, render_xlsx
from gandan.reports.models import Regime, Report, ReportEvent
from gandan.reports.selectors import completeness, discrepancies
from gandan.reports.services import (
    party_term,
    report_adjust,
    report_approve,
    report_create,
    report_return,
    report_submit,
    report_unapprove,
    report_update_sections,
)
from gandan.reports.tests.conftest import written
from gandan.work.services import activity_create

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2019, 12, 20)


@pytest.fixture
def report(field, activity_input):
    activity_create(
        actor=None,
        data=activity_input(
            field.yang_tao, datetime.date(2019, 3, 2), [field.yt_a], participants=120
        ),
    )
    report = report_create(
        actor=None, regime=Regime.objects.get(code="yearly"), unit=field.yang_tao, period="2019"
    )
    text = written(report.regime)
    text.pop("ket_qua")  # keep the generated results paragraph
    return report_update_sections(actor=None, report=report, sections=text)


def test_a_report_is_prefilled_from_the_records(report):
    assert report.status == Report.Status.DRAFT
    assert (report.period_start, report.period_end) == (
        datetime.date(2018, 12, 15),
        datetime.date(2019, 12, 14),
    )
    assert "tổ chức 1 đợt phát động quần chúng" in report.sections["ket_qua"]


def test_submit_return_resubmit_approve(report, province_admin):
    report_submit(actor=None, report=report)
    report_return(actor=province_admin, report=report, comment="Bổ sung phương hướng năm 2020")
    report_update_sections(
        actor=None, report=report, sections={"phuong_huong": "Tiếp tục bám dân."}
    )
    report_submit(actor=None, report=report)
    report_approve(actor=province_admin, report=report, issued_on=ISSUED)

    assert report.status == Report.Status.APPROVED
    assert list(report.events.values_list("action", flat=True)) == [
        "create", "submit", "return", "submit", "approve",
    ]  # fmt: skip
    assert report.events.get(action="return").comment == "Bổ sung phương hướng năm 2020"
    assert AuditEntry.objects.filter(action="reports.approve", target_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("steps", "forbidden"),
    [
        ([], "return"),
        ([], "approve"),
        ([], "unapprove"),
        (["submit"], "submit"),
        (["submit", "approve"], "submit"),
        (["submit", "approve"], "return"),
        (["submit", "approve"], "edit"),
        (["submit"], "edit"),
    ],
)
def test_forbidden_transitions(report, steps, forbidden):
    run = {
        "submit": lambda: report_submit(actor=None, report=report),
        "approve": lambda: report_approve(actor=None, report=report, issued_on=ISSUED),
        "return": lambda: report_return(actor=None, report=report, comment="x"),
        "unapprove": lambda: report_unapprove(actor=None, report=report, reason="x"),
        "edit": lambda: report_update_sections(
            actor=None, report=report, sections={"ket_qua": "y"}
        ),
    }
    for step in steps:
        run[step]()
    events = ReportEvent.objects.count()

    with pytest.raises(DomainError):
        run[forbidden]()
    assert ReportEvent.objects.count() == events


def test_two_concurrent_approvals_cannot_both_succeed(report):
    report_submit(actor=None, report=report)
    first, second = Report.objects.get(pk=report.pk), Report.objects.get(pk=report.pk)

    report_approve(actor=None, report=first, issued_on=ISSUED)
    with pytest.raises(DomainError, match="vừa được người khác thay đổi"):
        report_approve(actor=None, report=second, issued_on=ISSUED)
    assert report.events.filter(action="approve").count() == 1


def test_the_approved_snapshot_is_kept_and_changes_are_shown(report, field, activity_input):
    report_submit(actor=None, report=report)
    report_approve(actor=None, report=report, issued_on=ISSUED)
    assert report.snapshot["campaigns"]["value"] == "1"

    # when records under the approved report change later
    activity_create(
        actor=None, data=activity_input(field.yang_tao, datetime.date(2019, 4, 2), [field.yt_b])
    )

    # then the report keeps its figures and shows the discrepancy
    report.refresh_from_db()
    assert report.snapshot["campaigns"]["value"] == "1"
    assert [
        (d.code, d.approved, d.now) for d in discrepancies(report) if d.code == "campaigns"
    ] == [("campaigns", Decimal(1), Decimal(2))]
    assert "1" in [
        row.value for row in build_document(report).figures if row.name.startswith("Đợt")
    ]


def test_numbers_are_never_reused(report, field):
    other = report_create(actor=None, regime=report.regime, unit=field.bong_krang, period="2019")
    for r in (report, other):
        report_submit(actor=None, report=r, allow_empty_sections=True)
        report_approve(actor=None, report=r, issued_on=ISSUED)
    report_unapprove(actor=None, report=report, reason="Sai số liệu")
    report_submit(actor=None, report=report)
    report_approve(actor=None, report=report, issued_on=ISSUED)
    report.refresh_from_db()
    other.refresh_from_db()

    assert (report.number, report.number_text) == (1, "Số 1-BC/ĐCT")
    assert other.number == 1  # another issuing unit has its own sequence
    third = report_create(actor=None, regime=report.regime, unit=field.yang_tao, period="2018")
    report_submit(actor=None, report=third, allow_empty_sections=True)
    report_approve(actor=None, report=third, issued_on=ISSUED)
    assert third.number == 2
    assert party_term(ISSUED) == "2015-2020"


def test_adjustments_need_a_reason_and_change_the_figure(report):
    with pytest.raises(DomainError, match="lý do"):
        report_adjust(
            actor=None, report=report, indicator_code="campaigns", value=Decimal(3), reason=" "
        )
    report_adjust(
        actor=None,
        report=report,
        indicator_code="campaigns",
        value=Decimal(3),
        reason="Bổ sung biên bản",
    )

    assert next(r.value for r in build_document(report).figures if r.name.startswith("Đợt")) == "3"


def test_completeness_lists_who_has_not_reported(report, field):
    lak = report_create(actor=None, regime=report.regime, unit=field.lak, period="2019")
    report_submit(actor=None, report=report)

    state = completeness(lak)

    assert state.expected == 11
    assert state.submitted == 1
    assert field.bong_krang in state.missing


def test_docx_follows_the_party_format(report):
    report_update_sections(
        actor=None, report=report, sections={"dac_diem": "Buôn Akŏ Dhŏng, Y Săn Ayun, ơ̆."}
    )
    document = Docx(io.BytesIO(render_docx(build_document(report))))

    header = document.tables[0].rows[0].cells
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
    assert "ĐỘI CÔNG TÁC PHÁT ĐỘNG QUẦN CHÚNG CHUYÊN TRÁCH" in header[0].text
    assert "*" in header[0].text
    assert "Đắk Lắk, ngày" in header[1].text
    italic = [r for p in header[1].paragraphs for r in p.runs if "ngày" in r.text]
    assert all(r.italic for r in italic)
    section = document.sections[0]
    assert (
        round(section.left_margin.mm),
        round(section.right_margin.mm),
        round(section.top_margin.mm),
    ) == (30, 15, 20)
    assert round(section.page_width.mm) == 210
    body = next(p for p in document.paragraphs if "Akŏ Dhŏng" in p.text)
    assert body.runs[0].font.name == "Times New Roman"
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    assert "Y Săn Ayun, ơ̆" in body.text
    # the figure table's grid (what LibreOffice reads) and cells (what Word reads) agree
    figures = document.tables[1]
    assert [round(column.width.cm, 1) for column in figures.columns] == [1.2, 8.3, 3.5, 3.5]
    assert [round(cell.width.cm, 1) for cell in figures.rows[1].cells] == [1.2, 8.3, 3.5, 3.5]
    assert [len(cell.paragraphs) for cell in figures.rows[1].cells] == [1, 1, 1, 1]
    assert figures.rows[1].cells[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_pdf_text_keeps_vietnamese_and_ede_letters(report):
    report_update_sections(
        actor=None, report=report, sections={"dac_diem": "Buôn Akŏ Dhŏng: ƀ č ĕ ĭ ŏ ŭ ñ ơ̆."}
    )

    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_pdf(build_document(report)))).pages
    )

    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "phát động quần chúng" in text
    for letter in ["ƀ", "č", "ĕ", "ĭ", "ŏ", "ŭ", "ñ", "ơ"]:
        assert letter in text


def test_xlsx_has_the_figure_table(report):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render_xlsx(build_document(report)))).worksheets[0]

    assert [c.value for c in sheet[5]] == ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"]
    assert any(row[1] == "Đợt phát động quần chúng" for row in sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("status", Report.Status.values)
def test_the_steps_offered_come_from_the_workflow_table(report, province_admin, status):
    from gandan.reports.access import allowed_actions
    from gandan.reports.workflow import EDITABLE, WORKFLOW

    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()

    offered = allowed_actions(province_admin, report)

    steps = {step.action for step in WORKFLOW if status in step.sources}
    assert offered == steps | ({"edit", "adjust"} if status in EDITABLE else set())
