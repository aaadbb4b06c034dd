"""Field work in Excel: a good file imports once, a bad file is rejected whole with Vietnamese
row/column messages and nothing written, export → import is a no-op and rebuilds identical
records, the catalogue drives the columns, and no workbook can crash the importer."""

import datetime
import io
import unicodedata
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gandan.accounts.jurisdiction import jurisdictions_forget
from gandan.core.models import AuditEntry
from gandan.core.xlsx_reader import XlsxReader
from gandan.geo.models import Kind
from gandan.geo.services import village_create
from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput, indicator_create
from gandan.org import services as org_services
from gandan.tests.cast import EDE_NAME
from gandan.work import excel, excel_export
from gandan.work.excel_sheet import ACTIVITY_SHEET, AGGREGATE_COLUMNS, AGGREGATE_SHEET, Catalogue
from gandan.work.models import Activity, ActivityValue, AggregateEntry
from gandan.work.services import activity_create, aggregate_entry_create

pytestmark = pytest.mark.django_db

FOUNDED = datetime.date(2004, 7, 5)
TEAM = "Đội công tác xã Yang Tao"
MONEY, LAND = (
    "Tiền nhân dân đóng góp xây dựng nông thôn mới (đồng) [money_vnd]",
    "Đất hiến (m²) [land_m2]",
)
COMPOST, LEAFLETS = "Phân vi sinh (tấn) [compost_tonnes]", "Tờ rơi (tờ) [leaflets]"
POOR = "Phong trào “Xóa đói giảm nghèo”"


@pytest.fixture
def team(field):
    village_create(
        actor=None, commune=field.yang_tao, name=EDE_NAME, kind=Kind.BUON, valid_from=FOUNDED
    )
    return org_services.team_create(
        actor=None, name=TEAM, unit=field.yang_tao, established_on=FOUNDED
    )


def _row(**cells):
    """A campaign in legacy xã Yang Tao (24583) on 14/03/2012; keywords are column names
    with "_" for spaces, or pass a dict with ``cells=``."""
    base = {"Loại hoạt động": "Đợt phát động quần chúng", "Mã xã": "24583", "Từ ngày": "14/03/2012"}
    return base | cells.pop("cells", {}) | {k.replace("_", " "): v for k, v in cells.items()}


GOOD = [  # line 2 onwards
    _row(cells={"Mã dòng": "YT-2012-001", "Thôn, buôn": "buon yang lah; Akŏ Dhŏng", "Đến ngày": "16/03/2012",
                "Đội": TEAM, "Phong trào": POOR, "Phối hợp": "Chính quyền; mttq", "Lượt người": 240,
                "trong đó nữ": 120, "trong đó DTTS": 200, MONEY: 15000000, LAND: "320",
                "Nội dung": "Phát động làm đường liên buôn"}),
    _row(cells={"Loại hoạt động": "Buổi tuyên truyền", "Mã xã": 24586, "Thôn, buôn": "Dơng Băk",
                "Từ ngày": datetime.date(2013, 5, 2), "Lượt người": 80, COMPOST: 2.5, LEAFLETS: 300}),
    _row(cells={"Loại hoạt động": "tham ho", "Thôn, buôn": unicodedata.normalize("NFD", EDE_NAME),
                "Từ ngày": "2019-09-10", "Ghi chú": "Thăm hộ H'Ngơ\u0306ng"}),
]  # fmt: skip
TOTAL = dict(zip(AGGREGATE_COLUMNS, ["Vườn rau, mô hình vườn rau sạch (vườn)", "656", "05/07/2004", "31/12/2008", "2004 - 2008", 5700, "trên", "45-BC/HU", "10/01/2009", "Báo cáo tổng kết"], strict=True))  # fmt: skip


def _book(activities=(), totals=(), *, columns=None, sheets=(ACTIVITY_SHEET, AGGREGATE_SHEET)):
    book = Workbook()
    book.remove(book.active)
    layout = {
        ACTIVITY_SHEET: (columns or Catalogue.load().activity_columns(), activities),
        AGGREGATE_SHEET: (AGGREGATE_COLUMNS, totals),
    }
    for name in sheets:
        header, rows = layout.get(name, (AGGREGATE_COLUMNS, ()))
        sheet = book.create_sheet(name)
        sheet.append(list(header))
        for row in rows:
            sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _counts():
    models = (Activity, ActivityValue, AggregateEntry, AuditEntry)
    return tuple(model.objects.count() for model in models)


def _import(user, activities=(), totals=(), **kwargs):
    return excel.work_import(actor=user, data=_book(activities, totals), **kwargs)


def test_a_good_file_imports_through_the_audited_services(field, team):
    before = AuditEntry.objects.count()

    result = _import(None, GOOD, [TOTAL])

    assert result.ok, result.report()
    assert (result.created, result.unchanged) == (4, 0)
    campaign = Activity.objects.get(import_key="YT-2012-001")
    assert {str(v) for v in campaign.villages.all()} == {"Buôn Yang Lah", "Buôn Akŏ Dhŏng"}
    assert (campaign.end, campaign.participants, campaign.participants_female) == (datetime.date(2012, 3, 16), 240, 120)  # fmt: skip
    assert campaign.partners == ["chinh_quyen", "mttq"]
    assert [str(t) for t in campaign.teams.all()] == [TEAM]
    assert [m.code for m in campaign.movements.all()] == ["xoa_doi_giam_ngheo"]
    assert {v.indicator.code: v.value for v in campaign.values.all()} == {"money_vnd": 15000000, "land_m2": 320}  # fmt: skip
    talk = Activity.objects.get(type__code="tuyen_truyen")
    assert (talk.unit, talk.start, talk.end) == (field.bong_krang, datetime.date(2013, 5, 2), datetime.date(2013, 5, 2))  # fmt: skip
    assert talk.import_key.startswith("h:")
    assert talk.values.get(indicator__code="compost_tonnes").value == Decimal("2.5")
    visit = Activity.objects.get(type__code="tham_ho")
    assert [v.name for v in visit.villages.all()] == [EDE_NAME.removeprefix("Buôn ")]
    total = AggregateEntry.objects.get()
    assert (total.unit, total.value, total.qualifier, total.period_label) == (field.lak, 5700, "tren", "2004 - 2008")  # fmt: skip
    actions = list(AuditEntry.objects.order_by("id")[before:].values_list("action", flat=True))
    assert actions == ["work.aggregate_create", "work.activity_bulk_create"]


def test_a_dry_run_writes_nothing_and_reimporting_changes_nothing(field, team):
    before = _counts()
    assert _import(None, GOOD, [TOTAL], dry_run=True).created == 4
    assert _counts() == before
    _import(None, GOOD, [TOTAL])
    before = _counts()

    result = _import(None, GOOD, [TOTAL])

    assert result.ok
    assert (result.created, result.unchanged) == (0, 4)
    assert result.report()[0] == "Dòng 2: không thay đổi — Đợt phát động quần chúng · Xã Yang Tao · 14/03/2012"  # fmt: skip
    assert result.report()[-1].startswith("Trang «Số liệu tổng hợp», dòng 2: không thay đổi")
    assert _counts() == before


def test_the_same_content_without_a_key_is_recognised_and_duplicates_are_refused(field, team):
    _import(None, [GOOD[1]])

    again = _import(None, [GOOD[1] | {"Thôn, buôn": "DONG BAK"}])  # same village, typed otherwise
    twice = _import(None, [GOOD[2], GOOD[2], GOOD[0], GOOD[0] | {"Nội dung": "Khác"}])

    assert (again.created, again.unchanged) == (0, 1)
    assert twice.report() == [
        "Dòng 3, cột «Mã dòng»: dòng này trùng hoàn toàn với dòng 2; nếu là hai hoạt động khác nhau, ghi Mã dòng khác nhau.",
        "Dòng 5, cột «Mã dòng»: Mã dòng «YT-2012-001» đã dùng ở dòng 4.",
    ]


BAD = [  # line 2 onwards, imported by the commune clerk of Liên Sơn Lắk (2025)
    _row(cells={"Thôn, buôn": "Buôn Không Có; Dơng Băk", "Từ ngày": "01/05/2008"}),
    _row(
        cells={"Thôn, buôn": "Thôn Hòa Bình", "Từ ngày": "01/05/2008", "Loại hoạt động": "Đi chơi"}
    ),
    _row(cells={"Lượt người": "hai trăm", MONEY: 1500.5, LAND: -5}),
    _row(cells={"Mã xã": "24607"}),
    _row(cells={"Mã xã": "99999", "Từ ngày": "31/02/2012"}),
    _row(cells={"Đến ngày": "01/03/2012", COMPOST: "2.5", LEAFLETS: 10**20}),
    _row(cells={"Từ ngày": "01/08/2025", "Đội": "Đội không có"}),
    _row(cells={"Từ ngày": "01/05/2006", "Thôn, buôn": "Buôn Yang Lah"}),
    _row(cells={"Lượt người": 5, "trong đó DTTS": 6, "Phối hợp": "Bạn bè"}),
    GOOD[0],
]
BAD_TOTALS = [TOTAL | {"Mã đơn vị": "24583", "Chỉ tiêu": "Tiền nhân dân đóng góp xây dựng nông thôn mới (đồng)", "Từ ngày": "01/01/2012", "Đến ngày": "31/12/2012", "Giá trị": "1,000,000"},
              TOTAL | {"Mã đơn vị": "24583", "Chỉ tiêu": "Thôn, buôn, tổ dân phố được phát động", "Mức độ": "chừng"},
              TOTAL | {"Mã đơn vị": "24583", "Chỉ tiêu": "Tiền nhân dân đóng góp xây dựng nông thôn mới (đồng)", "Từ ngày": "01/01/2012", "Đến ngày": "31/12/2012"}]  # fmt: skip
EXPECTED = [
    "Dòng 2, cột «Thôn, buôn»: Xã Yang Tao không có thôn, buôn «Buôn Không Có» vào ngày 01/05/2008.",
    "Dòng 2, cột «Thôn, buôn»: «Dơng Băk» không thuộc Xã Yang Tao vào ngày 01/05/2008 (thuộc Xã Bông Krang).",
    "Dòng 3, cột «Loại hoạt động»: không có loại hoạt động «Đi chơi»; chọn trong danh sách thả xuống.",
    "Dòng 3, cột «Thôn, buôn»: «Thôn Hòa Bình» của Xã Yang Tao không có hiệu lực vào ngày 01/05/2008.",
    "Dòng 4, cột «Lượt người»: «hai trăm» không phải là số. Viết kiểu Việt Nam: 1.350 (một nghìn ba trăm năm mươi), 1.350,5 hoặc 1,35.",
    f"Dòng 4, cột «{MONEY}»: «1500.5» phải là số nguyên (đồng).",
    f"Dòng 4, cột «{LAND}»: «-5»: không được âm.",
    "Dòng 5, cột «Mã xã»: Xã Nam Ka (mã 24607) không thuộc địa bàn của bạn vào ngày 14/03/2012.",
    "Dòng 6, cột «Từ ngày»: ngày «31/02/2012» không hợp lệ; ghi ngày/tháng/năm, ví dụ 05/07/2004.",
    "Dòng 7, cột «Đến ngày»: ngày kết thúc 01/03/2012 trước ngày bắt đầu 14/03/2012.",
    f"Dòng 7, cột «{LEAFLETS}»: «100000000000000000000»: số quá lớn.",
    f"Dòng 7, cột «{COMPOST}»: «2.5»: dấu chấm chỉ dùng để tách hàng nghìn (1.350 là một nghìn ba trăm năm mươi). Phần thập phân viết sau dấu phẩy: 2,5.",
    "Dòng 8, cột «Mã xã»: không có đơn vị mã «24583» vào ngày 01/08/2025; mã này là của Xã Yang Tao đến hết 30/06/2025.",
    "Dòng 8, cột «Đội»: không có đội «Đội không có».",
    "Dòng 10, cột «Phối hợp»: không có đơn vị phối hợp «Bạn bè»; chọn trong danh sách thả xuống.",
    "Dòng 10, cột «trong đó DTTS»: 6 lớn hơn tổng số lượt người (5).",
    "Trang «Số liệu tổng hợp», dòng 2, cột «Giá trị»: «1,000,000» viết theo kiểu tiếng Anh. Theo kiểu Việt Nam, dấu chấm tách hàng nghìn và dấu phẩy đứng trước phần thập phân: viết 1.000.000.",
    "Trang «Số liệu tổng hợp», dòng 3, cột «Mức độ»: không có mức độ «chừng»; chọn trong danh sách thả xuống.",
]


def test_a_file_with_bad_rows_is_rejected_whole_with_row_and_column(cast, field, team, activity_input):  # fmt: skip
    # given a paper total for 2004-2008 and a detailed record with money in 2012
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="campaigns"), unit=field.lak,
        period_start=FOUNDED, period_end=datetime.date(2008, 12, 31), period_label="2004 - 2008",
        value=5700, qualifier="tren", source_number="45-BC/HU", source_date=datetime.date(2009, 1, 10),
    )  # fmt: skip
    on = datetime.date(2012, 6, 1)
    activity_create(actor=None, data=activity_input(field.yang_tao, on, values={"money_vnd": 5}))
    before = _counts()

    result = _import(cast["commune_clerk"], BAD, BAD_TOTALS)

    assert result.report() == EXPECTED
    assert (result.rows, result.created) == ([], 0)
    assert _counts() == before


def test_an_outsider_and_a_leader_cannot_import_into_dak_lak(cast, field, team):
    outsider = _import(cast["outsider"], GOOD[:1])
    leader = _import(cast["leader"], GOOD[:1])

    assert outsider.report() == ["Dòng 2, cột «Mã xã»: Xã Yang Tao (mã 24583) không thuộc địa bàn của bạn vào ngày 14/03/2012."]  # fmt: skip
    assert leader.report() == ["Vai trò của bạn chỉ được xem."]
    assert Activity.objects.count() == 0


NOT_A_FILE = [  # built in the test: the column list is read from the catalogue
    (lambda: b"PK\x03\x04 not a workbook", ["Tệp không phải bảng tính Excel .xlsx hợp lệ."]),
    (
        lambda: _book(sheets=["Sheet1"]),
        ["Tệp không có trang «Hoạt động» hay «Số liệu tổng hợp»; hãy điền vào tệp mẫu."],
    ),
    (lambda: _book(), ["Tệp không có dòng dữ liệu nào."]),
    (
        lambda: _book([GOOD[0]], columns=["Mã dòng", "Loại hoạt động", "Thôn, buôn", "STT"]),
        [
            "Dòng 1, cột «Mã xã»: thiếu cột này ở dòng tiêu đề.",
            "Dòng 1, cột «Từ ngày»: thiếu cột này ở dòng tiêu đề.",
        ],
    ),
    (
        lambda: _book(
            [_row(Số_thứ_tự=1)], columns=["Loại hoạt động", "Mã xã", "Từ ngày", "Số thứ tự"]
        ),
        [
            "Dòng 1, cột «Số thứ tự»: cột này không có trong mẫu; xóa cột hoặc tải tệp mẫu mới rồi chép dữ liệu sang."
        ],
    ),
]


@pytest.mark.parametrize(("build", "report"), NOT_A_FILE)
def test_a_file_that_is_not_the_template_is_rejected(field, build, report):
    assert excel.work_import(actor=None, data=build()).report() == report


def test_an_indicator_added_at_runtime_is_a_template_column_and_imports(field):
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", name_en="Fish ponds", unit="ao", group="production",
        aggregation="sum", source="value", position=999,
    ))  # fmt: skip

    header = next(load_workbook(io.BytesIO(excel.work_template()))[ACTIVITY_SHEET].values)
    result = _import(None, [_row(cells={"Ao cá (ao) [fish_ponds]": 12})])

    assert "Ao cá (ao) [fish_ponds]" in header
    assert result.ok, result.report()
    assert ActivityValue.objects.get(indicator__code="fish_ponds").value == 12


def _records():
    activities = Activity.objects.order_by("start", "type__code").prefetch_related("villages", "teams", "movements", "values__indicator")  # fmt: skip
    return [
        (a.type.code, a.unit_id, a.start, a.end, sorted(v.name for v in a.villages.all()),
         [t.name for t in a.teams.all()], [m.code for m in a.movements.all()], a.partners,
         a.participants, a.participants_female, a.participants_minority,
         sorted((v.indicator.code, v.value) for v in a.values.all()), a.title, a.notes, a.import_key)
        for a in activities
    ] + list(AggregateEntry.objects.values_list("indicator_id", "unit_id", "period_start", "period_end", "period_label", "value", "qualifier", "source_number", "source_date", "source_title", "import_key"))  # fmt: skip


OLD, REFORM = datetime.date(2019, 9, 10), datetime.date(2025, 7, 1)
EXPORTERS = [("province_admin", "66", REFORM, 5), ("lak_clerk", "656", OLD, 5),
             ("commune_clerk", "24580", REFORM, 3)]  # fmt: skip


@pytest.mark.parametrize(("who", "code", "on", "rows"), EXPORTERS)
def test_export_then_import_is_a_no_op(cast, field, team, unit, activity_input, who, code, on, rows):  # fmt: skip
    _import(None, GOOD, [TOTAL])
    web = activity_create(actor=None, data=activity_input(field.nam_ka, datetime.date(2015, 1, 2)))
    data = excel_export.work_export(actor=cast[who], unit=unit(code, on=on), start=FOUNDED, end=datetime.date(2024, 12, 31))  # fmt: skip
    before = _counts()

    result = excel.work_import(actor=cast[who], data=data)

    assert result.ok, result.report()
    assert (result.created, result.unchanged) == (0, rows)
    assert _counts() == before
    keys = [row[0] for row in load_workbook(io.BytesIO(data))[ACTIVITY_SHEET].iter_rows(min_row=2, values_only=True)]  # fmt: skip
    assert (f"#{web.pk}" in keys) == (who != "commune_clerk")


def test_exported_records_rebuild_identically_with_ede_names_in_nfc(field, team):
    _import(None, GOOD, [TOTAL])
    snapshot = _records()
    data = excel_export.work_export(actor=None, unit=field.lak, start=FOUNDED, end=datetime.date(2024, 12, 31))  # fmt: skip
    Activity.objects.all().delete()
    AggregateEntry.objects.all().delete()

    result = excel.work_import(actor=None, data=data)

    assert (result.ok, result.created) == (True, 4)
    assert _records() == snapshot
    cells = [c for row in load_workbook(io.BytesIO(data))[ACTIVITY_SHEET].values for c in row if isinstance(c, str)]  # fmt: skip
    assert EDE_NAME in cells
    assert all(unicodedata.is_normalized("NFC", c) for c in cells)


def test_the_export_and_the_import_run_a_fixed_number_of_queries(field, team):
    counts = []
    # The boundary tree is loaded once per process (``geo.tree``), before the first import.
    assert _import(
        None, [GOOD[0] | {"Mã dòng": "W-1", "Từ ngày": "01/05/2012", "Đến ngày": None}]
    ).ok
    for days in (1, 30, 60):
        rows = [GOOD[0] | {"Mã dòng": f"K{days}-{d}", "Từ ngày": f"{(d - 1) % 30 + 1:02d}/04/2012", "Đến ngày": None} for d in range(1, days + 1)]  # fmt: skip
        jurisdictions_forget()  # each size as a first request: nothing kept from the one before
        with CaptureQueriesContext(connection) as imported:
            assert _import(None, rows).ok
        with CaptureQueriesContext(connection) as exported:
            excel_export.work_export(actor=None, unit=field.lak, start=FOUNDED, end=datetime.date(2024, 1, 1))  # fmt: skip
        counts.append((len(imported), len(exported)))
    # The same for 30 rows as for 60; a single row reads its ledger change in one statement
    # on PostgreSQL (``work.ledger``), so it may take fewer.
    assert counts[1] == counts[2]
    assert counts[0][0] <= counts[1][0]
    assert counts[0][1] == counts[1][1]


def test_progress_is_reported_up_to_one_hundred(field, team):
    seen = []

    _import(None, GOOD, progress=lambda percent, message: seen.append(percent))

    assert seen == sorted(seen)
    assert seen[-1] == 100


def test_the_reader_understands_what_excel_writes():
    """Shared and rich-text strings, phonetic runs, dates by style, formulas, booleans."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="{rel}/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {main} xmlns:r="{rel}"><sheets><sheet name="Hoạt động" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": f"<sst {main}><si><t>Buôn Akŏ</t></si><si><r><t>Dhŏng</t></r><r><t xml:space=\"preserve\"> ơ̆</t></r><rPh><t>x</t></rPh></si></sst>",
        "xl/styles.xml": f'<styleSheet {main}><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": f'<worksheet {main}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row><row r="3"><c r="B3" s="1"><v>40982</v></c><c r="C3"><f>1+1</f><v>2</v></c><c r="D3" t="b"><v>1</v></c><c r="E3"><v>2.345</v></c><c r="F3"><f>A1</f></c></row></sheetData></worksheet>',
    }  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)

    rows = list(XlsxReader(out.getvalue()).rows(ACTIVITY_SHEET))

    assert rows == [
        (1, {0: "Buôn Akŏ", 2: "Dhŏng ơ̆"}),
        (3, {1: datetime.date(2012, 3, 14), 2: 2, 3: True, 4: Decimal("2.345")}),
    ]


# Fuzzing: whatever the workbook, the result is a report, and a rejected file writes nothing.
GARBAGE = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=20),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.sampled_from(["24583", "24586", "9999", "14/03/2012", "31/02/2012", "2012-03-14", "=1+1",
                     "=A1*2", "Đợt phát động quần chúng", "Dơng Băk", "Buôn Yang Lah; x", TEAM,
                     "1e400", "-0", "NaN", "#12", "h:00"]),
)  # fmt: skip
COLUMNS = ["Mã dòng", "Loại hoạt động", "Mã xã", "Thôn, buôn", "Từ ngày", "Đến ngày", "Đội", "Lượt người", "trong đó nữ", MONEY, COMPOST]  # fmt: skip
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


def _holds(result, before):
    """Rejected: nothing written. Accepted: exactly the rows it reports as new."""
    activities = Activity.objects.count() - before[0]
    totals = AggregateEntry.objects.count() - before[2]
    if not result.ok or result.dry_run:
        return (activities, totals) == (0, 0)
    return (activities, totals) == (result.count("created", ACTIVITY_SHEET), result.count("created", AGGREGATE_SHEET))  # fmt: skip


@FUZZ
@given(rows=st.lists(st.fixed_dictionaries(dict.fromkeys(COLUMNS, GARBAGE)), min_size=1, max_size=4),
       totals=st.lists(st.fixed_dictionaries(dict.fromkeys(AGGREGATE_COLUMNS, GARBAGE)), max_size=2))  # fmt: skip
def test_garbage_cells_never_raise_and_never_write_in_part(field, team, rows, totals):
    before = _counts()

    result = _import(None, rows, totals)

    assert _holds(result, before)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=10**6), noise=st.binary(min_size=1, max_size=64),
       keep=st.booleans())  # fmt: skip
def test_broken_workbooks_never_raise_and_never_write_in_part(field, team, cut, noise, keep):
    good = _book(GOOD, [TOTAL])
    at = cut % len(good)
    data = good[:at] + noise + (good[at + len(noise) :] if keep else b"")
    before = _counts()

    result = excel.work_import(actor=None, data=data)

    assert _holds(result, before)


def test_a_zip_of_a_version_python_cannot_open_is_not_a_workbook(field):
    # hypothesis found it: a central directory entry that needs zip version 6.4 to extract
    # made zipfile raise NotImplementedError, not BadZipFile
    data = bytearray(_book(GOOD, [TOTAL]))
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")  # "version needed to extract"
    before = _counts()

    result = excel.work_import(actor=None, data=bytes(data))

    assert result.report() == ["Tệp không phải bảng tính Excel .xlsx hợp lệ."]
    assert _counts() == before


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_are_not_a_workbook(field, data):
    assert excel.work_import(actor=None, data=data).report() == ["Tệp không phải bảng tính Excel .xlsx hợp lệ."]  # fmt: skip


# The command line. -----------------------------------------------------------------------
def test_the_command_line_checks_imports_and_exports(tmp_path, cast, field, team, capsys):
    (tmp_path / "bad.xlsx").write_bytes(_book([_row(Mã_xã="9999")]))
    (tmp_path / "good.xlsx").write_bytes(_book(GOOD, [TOTAL]))
    before = _counts()

    with pytest.raises(CommandError, match="bị từ chối"):
        call_command("import", str(tmp_path / "bad.xlsx"))
    call_command("import", str(tmp_path / "good.xlsx"), "--dry-run")
    assert _counts() == before
    call_command("import", str(tmp_path / "good.xlsx"), "--user", "tinh_admin")
    export = ["--unit", "656", "--from", "2004-07-05", "--to", "31/12/2019", "--out", str(tmp_path / "x.xlsx")]  # fmt: skip
    call_command("export", *export)
    call_command("import", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="Huyện Lắk không thuộc địa bàn của kontum_admin"):
        call_command("export", *export, "--user", "kontum_admin")

    out, err = capsys.readouterr()
    assert "Dòng 2, cột «Mã xã»: không có đơn vị mã «9999»." in out
    assert "Kiểm tra xong, chưa ghi gì: 3 hoạt động và 1 số tổng hợp thêm mới; 0 dòng không thay đổi." in out  # fmt: skip
    assert "Đã nhập: 0 hoạt động và 0 số tổng hợp thêm mới; 4 dòng không thay đổi." in out
    assert "100% Xong" in err
    assert Activity.objects.count() == 3


# Formula-like text (OWASP CSV injection). --------------------------------------------------------


def test_gandan_export_writes_formula_like_text_inert_and_reimports_it_unchanged(
    field, activity_input, tmp_path
):
    from gandan.tests.xlsx import HOSTILE, assert_inert

    title, notes = HOSTILE
    activity = activity_create(
        actor=None,
        data=activity_input(field.yang_tao, datetime.date(2012, 3, 14), title=title, notes=notes),
    )
    out = tmp_path / "x.xlsx"

    call_command(
        "export", "--unit", "656", "--from", "2012-01-01", "--to", "2012-12-31", "--out", str(out)
    )

    assert_inert(out.read_bytes(), *HOSTILE)
    activity.refresh_from_db()
    assert (activity.title, activity.notes) == (title, notes)
    assert excel.work_import(actor=None, data=out.read_bytes()).unchanged == 1
