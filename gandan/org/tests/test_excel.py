"""The roster in Excel: a good file imports once, a bad file is rejected whole with Vietnamese
row/column messages, export → import is a no-op, and jurisdiction bounds what a file touches."""

import datetime
import io
import unicodedata

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gandan.core.models import AuditEntry
from gandan.org import excel, services
from gandan.org.excel_sheet import COLUMNS, ETHNIC, GENDER, LANGS, LEVEL, NAME, POSITION
from gandan.org.models import Member, Membership, Team

pytestmark = pytest.mark.django_db

FOUNDED = datetime.date(2004, 7, 5)
MOVED = datetime.date(2010, 7, 1)
OLD = datetime.date(2019, 9, 10)
PROVINCE_TEAM, COMMUNE_TEAM = "Đội công tác tỉnh", "Đội công tác xã Yang Tao"
NGONG = "H'Ngơ\u0306ng Êñuôl"  # ơ̆ is ơ + U+0306: no precomposed form


@pytest.fixture
def teams(unit):
    province = services.team_create(
        actor=None, name=PROVINCE_TEAM, unit=unit("66", "province"), established_on=FOUNDED
    )
    commune = services.team_create(
        actor=None,
        name=COMMUNE_TEAM,
        unit=unit("24583", "commune", OLD),  # legacy xã Yang Tao, until 1-7-2025
        established_on=FOUNDED,
        parent=province,
    )
    return province, commune


KEYS = ["id", "name", "gender", "birth", "ethnic", "langs", "phone", "unit", "team", "level", "position", "start", "end"]  # fmt: skip
BASE = ["DL-0001", "Y Săn Ayun", "Nam", 1978, "Ê Đê", "Tiếng Ê Đê, Tiếng M'nông", "0912345678", "24583", COMMUNE_TEAM, "Cấp xã", "Đội trưởng", "05/07/2004", None]  # fmt: skip


def _row(**changes):
    """A row of the commune team from 05/07/2004; keyword names follow KEYS."""
    values = dict(zip(KEYS, BASE, strict=True)) | changes
    return dict(zip(COLUMNS, (values[key] for key in KEYS), strict=True))


def _province(**changes):
    return _row(unit="66", team=PROVINCE_TEAM, level="Cấp tỉnh", **changes)


GOOD = [
    _row(end="30/06/2010"),  # line 2: moves to the province on 1-7-2010 (line 3)
    _province(position="Thành viên", start="01/07/2010"),
    _row(id="dl-0002", name=unicodedata.normalize("NFD", NGONG), gender="Nữ", birth=None,
         langs="", phone=None, position="Thành viên", start=datetime.date(2004, 7, 5)),
    _province(id="DL-0003", name="Nguyễn Văn An", ethnic="Kinh", langs=None, phone="0262",
              position="Đội phó", start="2004-07-05"),
]  # fmt: skip


def _book(rows, header=COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(data):
    return list(load_workbook(io.BytesIO(data))["Danh sách"].iter_rows(values_only=True))


def _counts():
    return Member.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def _import(user, rows, **kwargs):
    return excel.roster_import(actor=user, data=_book(rows), **kwargs)


def test_a_good_file_imports_through_the_audited_services(province_admin, teams):
    before = AuditEntry.objects.count()

    result = _import(province_admin, GOOD)

    assert result.ok, result.report()
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert result.members_created == 3
    first, moved = Membership.objects.filter(member__identifier="DL-0001").order_by("start")
    assert (first.end, first.end_reason) == (MOVED, Membership.EndReason.TRANSFER)
    assert (moved.start, moved.start_reason, moved.end) == (MOVED, "transfer", None)
    ngong = Member.objects.get(identifier="DL-0002")
    assert (ngong.full_name, ngong.ethnicity, ngong.gender) == (NGONG, "ede", "nu")
    assert Member.objects.get(identifier="DL-0001").languages == ["ede", "mnong"]
    actions = list(AuditEntry.objects.order_by("id")[before:].values_list("action", flat=True))
    assert actions.count("org.member_create") == 3
    assert actions.count("org.membership_start") == 4
    # a closed period is written in one audited step, with its end
    assert (actions.count("org.membership_end"), actions[-1]) == (0, "org.roster_import")


def test_a_dry_run_writes_nothing_and_reimporting_changes_nothing(province_admin, teams):
    before = _counts()
    assert _import(province_admin, GOOD, dry_run=True).created == 4
    assert _counts() == before
    _import(province_admin, GOOD)
    before = _counts()

    result = _import(province_admin, GOOD)

    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert result.report()[0].startswith("Dòng 2: không thay đổi — Y Săn Ayun")
    assert _counts() == before


def test_a_later_file_ends_a_period_and_updates_details_but_cannot_reopen(province_admin, teams):
    _import(province_admin, [_row()])

    result = _import(province_admin, [_row(end="31/12/2014", phone="0987654321", birth=None)])

    assert (result.updated, result.members_updated) == (1, 1)
    member = Member.objects.get(identifier="DL-0001")
    assert (member.phone, member.birth_year) == ("0987654321", 1978)  # blank birth year kept
    assert member.memberships.get().end == datetime.date(2015, 1, 1)
    assert _import(province_admin, [_row()]).report() == [
        "Dòng 2, cột «Đến ngày»: thời gian công tác này đã kết thúc, ngày làm việc cuối 31/12/2014; không kéo dài được bằng Excel."
    ]


BAD = [  # line 2 onwards
    _row(end="30/06/2010"),
    _province(name="Y Sơn Ayun", start="01/07/2010"),
    _row(id="DL-0002", name="H'Hồng Niê", gender="Nữ"),
    _row(unit="9999"),
    _row(id="DL-0002", name="H'Hồng Niê", gender="Nữ"),
    _row(id="DL-0004", team="Đội không có"),
    _row(id="DL-0005", start="01/01/2008"),
    _province(id="DL-0005", start="01/01/2009", end="31/12/2012"),
    _row(id="DL-0006", start="05/07/2010", end="01/01/2010"),
    _row(id="DL-0007", start="31/02/2010"),
    _row(id="DL-0008", gender="Khác", position="Chủ tịch", birth="năm 80", langs="Tiếng Pháp"),
    _row(id="DL-0009", name=None, start=None),
    _row(id="DL-0010", ethnic=None),
    _row(id="DL-0011", level="Cấp tỉnh"),
    _row(id="DL-0100", start="01/01/2015"),
]
EXPECTED = [
    "Dòng 3, cột «Họ và tên»: mã cán bộ «DL-0001» ở dòng 2 ghi «Y Săn Ayun», dòng này ghi «Y Sơn Ayun»; mỗi người chỉ có một họ và tên.",
    "Dòng 5, cột «Mã đơn vị»: không có đơn vị mã «9999» vào ngày 05/07/2004.",
    "Dòng 6, cột «Mã cán bộ»: dòng này trùng hoàn toàn với dòng 4.",
    "Dòng 7, cột «Tên đội»: Xã Yang Tao không có đội «Đội không có».",
    f"Dòng 9, cột «Từ ngày»: trùng thời gian với dòng 8 ({COMMUNE_TEAM} từ 01/01/2008); một người không thể ở hai đội cùng lúc.",
    "Dòng 10, cột «Đến ngày»: ngày làm việc cuối 01/01/2010 trước ngày bắt đầu 05/07/2010.",
    "Dòng 11, cột «Từ ngày»: ngày «31/02/2010» không hợp lệ; ghi ngày/tháng/năm, ví dụ 05/07/2004.",
    "Dòng 12, cột «Giới tính»: «Khác» không có trong danh mục; chọn trong danh sách thả xuống.",
    "Dòng 12, cột «Năm sinh»: năm sinh «năm 80» không hợp lệ.",
    "Dòng 12, cột «Tiếng dân tộc»: không có trong danh mục: Tiếng Pháp.",
    "Dòng 12, cột «Chức vụ»: «Chủ tịch» không có trong danh mục; chọn trong danh sách thả xuống.",
    "Dòng 13, cột «Họ và tên»: không được để trống.",
    "Dòng 13, cột «Từ ngày»: không được để trống.",
    "Dòng 14, cột «Dân tộc»: bắt buộc với người mới (mã cán bộ chưa có trong hệ thống).",
    f"Dòng 15, cột «Cấp đội»: {COMMUNE_TEAM} là đội cấp xã.",
    f"Dòng 16, cột «Từ ngày»: trùng thời gian với thời gian công tác đã có ở {PROVINCE_TEAM} từ 05/07/2004; một người không thể ở hai đội cùng lúc.",
]


def test_a_file_with_bad_rows_is_rejected_whole_with_row_and_column(province_admin, teams):
    province, _commune = teams
    member = services.member_create(
        actor=None, identifier="DL-0100", full_name="Y Săn Ayun", gender="nam", ethnicity="ede"
    )
    services.membership_start(actor=None, member=member, team=province, start=FOUNDED)
    before = _counts()

    result = _import(province_admin, BAD)

    assert result.report() == EXPECTED
    assert (result.rows, result.created, result.members_created) == ([], 0, 0)
    assert _counts() == before


NOT_A_ROSTER = [
    (b"not a workbook", "Tệp không phải bảng tính Excel .xlsx hợp lệ."),
    (_book([_row()], header=COLUMNS[1:]), "Dòng 1, cột «Mã cán bộ»: thiếu cột này ở dòng tiêu đề."),
    (_book([]), "Tệp không có dòng dữ liệu nào."),
]


@pytest.mark.parametrize(("data", "message"), NOT_A_ROSTER)
def test_a_file_that_is_not_a_roster_is_rejected(province_admin, data, message):
    assert excel.roster_import(actor=province_admin, data=data).report() == [message]


def test_a_closed_period_before_one_on_record_can_be_added(province_admin, teams):
    _import(province_admin, [_row(start="01/01/2015")])

    result = _import(province_admin, [_row(start="01/01/2015"), _province(end="31/12/2014")])

    assert (result.ok, result.created, result.unchanged) == (True, 1, 1)
    ends = (
        Membership.objects.filter(member__identifier="DL-0001")
        .order_by("start")
        .values_list("end", flat=True)
    )
    assert list(ends) == [datetime.date(2015, 1, 1), None]


def test_a_dissolved_team_ends_its_periods_and_reimport_is_a_no_op(province_admin, teams):
    _province_team, commune = teams
    services.team_dissolve(actor=None, team=commune, on=datetime.date(2025, 7, 1))
    _import(province_admin, [_row()])
    before = _counts()

    result = _import(province_admin, [_row(end="30/06/2025")])

    assert (result.ok, result.unchanged, _counts()) == (True, 1, before)
    late = _import(province_admin, [_row(end="01/07/2025")])
    assert "ngày làm việc cuối chậm nhất là 30/06/2025" in late.report()[0]


EXPORTERS = [("province_admin", "66", "province", 3), ("lak_clerk", "656", "district", 1),
             ("commune_clerk", "24583", "commune", 1)]  # fmt: skip


@pytest.mark.parametrize(("who", "code", "level", "rows"), EXPORTERS)
def test_export_then_import_is_a_no_op(cast, teams, unit, who, code, level, rows):
    _import(None, GOOD)
    data = excel.roster_export(actor=cast[who], unit=unit(code, level, MOVED), on=MOVED)
    before = _counts()

    result = excel.roster_import(actor=cast[who], data=data)

    assert result.ok, result.report()
    assert (result.created, result.updated, result.unchanged) == (0, 0, rows)
    assert _counts() == before


def test_export_hides_ethnicity_from_clerks_and_audits(cast, teams):
    _import(None, GOOD)
    admin, clerk = cast["province_admin"], cast["lak_clerk"]
    shown = _sheet(excel.roster_export(actor=admin, unit=admin.unit, on=MOVED))
    hidden = _sheet(excel.roster_export(actor=clerk, unit=clerk.unit, on=MOVED))

    column = COLUMNS.index(ETHNIC)
    assert shown[0] == hidden[0] == COLUMNS
    assert {row[column] for row in shown[1:]} == {"Ê Đê", "Kinh"}
    assert [row[column] for row in hidden[1:]] == [None]  # only Yang Tao is Lắk's
    entry = AuditEntry.objects.filter(action="org.roster_export").latest("id")
    assert entry.data == {"on": "2010-07-01", "rows": 1, "ethnicity": False}


def test_ede_names_survive_the_round_trip_in_nfc(province_admin, teams):
    _import(province_admin, GOOD)

    rows = _sheet(excel.roster_export(actor=province_admin, unit=province_admin.unit, on=MOVED))

    names = {row[COLUMNS.index(NAME)] for row in rows[1:]}
    assert names == {"Y Săn Ayun", NGONG, "Nguyễn Văn An"}
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    assert "\u01a1\u0306" in Member.objects.get(identifier="DL-0002").full_name


def test_an_outsider_cannot_import_into_dak_lak_teams(cast, teams):
    before = _counts()

    result = _import(cast["outsider"], GOOD)

    assert _counts() == before
    assert result.report()[:2] == [
        "Dòng 2, cột «Mã đơn vị»: Xã Yang Tao (mã 24583) không thuộc địa bàn của bạn vào ngày 05/07/2004.",
        "Dòng 3, cột «Mã đơn vị»: Tỉnh Đắk Lắk (mã 66) không thuộc địa bàn của bạn vào ngày 01/07/2010.",
    ]


def test_a_commune_clerk_writes_only_inside_their_jurisdiction(cast, teams):
    _import(None, [_province(id="DL-0009")])
    clerk = cast["commune_clerk"]

    result = _import(clerk, [_row(end="31/12/2009"), _row(id="DL-0009", start="01/01/2005")])

    assert result.report() == [
        "Dòng 3, cột «Mã cán bộ»: mã cán bộ «DL-0009» đã dùng cho một người ngoài địa bàn của bạn."
    ]
    assert _import(clerk, [_row(end="31/12/2009")]).created == 1
    assert _import(clerk, [_row(end="31/12/2009", ethnic="Kinh")]).report() == [
        "Dòng 2, cột «Dân tộc»: bạn không được xem nên không sửa được dân tộc của người đã có; để trống ô này."
    ]
    assert _import(cast["leader"], GOOD).report() == ["Vai trò của bạn chỉ được xem."]


GARBAGE = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.sampled_from(
        ["66", "24583", "9999", PROVINCE_TEAM, "Nam", "Ê Đê", "31/02/2010", "1/1/1", "²"]
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(rows=st.lists(st.fixed_dictionaries(dict.fromkeys(COLUMNS, GARBAGE)), min_size=1, max_size=4))  # fmt: skip
def test_garbage_cells_never_raise_and_never_write(province_admin, teams, rows):
    before = _counts()

    result = _import(province_admin, rows)

    assert result.errors
    assert _counts() == before


# Through the client and the command line. ---------------------------------------------------------
def _upload(client, data, name="danh-sach.xlsx", **extra):
    return client.post("/roster/import/", {"file": SimpleUploadedFile(name, data), **extra})


def test_the_import_page_checks_then_imports(client, commune_clerk, teams):
    client.force_login(commune_clerk)
    page = BeautifulSoup(client.get("/roster/import/").content.decode(), "html.parser")
    assert page.find("a", href="/roster/template.xlsx")
    before = _counts()

    checked = _upload(client, _book([_row()]), dry_run="1")
    assert checked.status_code == 200
    assert "thêm mới" in checked.content.decode()
    assert _counts() == before

    imported = _upload(client, _book([_row()]))
    assert imported.status_code == 200
    assert Membership.objects.filter(member__identifier="DL-0001").count() == 1


def test_the_import_page_shows_the_report_of_a_rejected_file(client, commune_clerk, teams):
    client.force_login(commune_clerk)

    response = _upload(client, _book([_row(unit="9999")]))

    assert response.status_code == 400
    page = BeautifulSoup(response.content.decode(), "html.parser")
    cells = [td.get_text() for td in page.find_all("td")]
    assert cells == ["2", "Mã đơn vị", "không có đơn vị mã «9999» vào ngày 05/07/2004."]
    assert Member.objects.count() == 0


REFUSED = [("danh-sach.csv", 10, "Chỉ nhận tệp Excel .xlsx"), ("lon.xlsx", 5 * 2**20 + 1, "lớn hơn 5 MB")]  # fmt: skip


@pytest.mark.parametrize(("name", "size", "message"), REFUSED)
def test_the_import_page_refuses_other_files(client, commune_clerk, name, size, message):
    client.force_login(commune_clerk)

    response = _upload(client, b"x" * size, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_leader_cannot_open_the_import_page(client, leader):
    client.force_login(leader)

    assert client.get("/roster/import/").status_code == 403


def test_the_template_has_instructions_and_dropdowns(client, commune_clerk):
    client.force_login(commune_clerk)

    response = client.get("/roster/template.xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Danh sách", "Hướng dẫn", "Danh mục"]
    assert next(book["Danh sách"].iter_rows(values_only=True)) == COLUMNS
    rules = book["Danh sách"].data_validations.dataValidation
    letter = {column: "ABCDEFGHIJKLM"[i] for i, column in enumerate(COLUMNS)}
    dropdowns = {letter[c] + "2" for c in (GENDER, ETHNIC, LANGS, LEVEL, POSITION)}
    assert {str(rule.sqref).split(":")[0] for rule in rules} == dropdowns
    genders = [row[0] for row in book["Danh mục"].iter_rows(min_row=2, values_only=True)][:2]
    assert genders == ["Nam", "Nữ"]


EXPORTS = [("province_admin", "on=2010-07-01", 200), ("outsider", "on=2010-07-01", 404),
           ("province_admin", "on=05/07/2010", 400)]  # fmt: skip


@pytest.mark.parametrize(("who", "query", "status"), EXPORTS)
def test_the_export_download_is_scoped(client, cast, teams, unit, who, query, status):
    client.force_login(cast[who])

    response = client.get(f"/roster/export.xlsx?unit={unit('66', 'province').pk}&{query}")

    assert response.status_code == status


def test_the_export_runs_a_fixed_number_of_queries(client, province_admin, teams, unit):
    client.force_login(province_admin)
    url = f"/roster/export.xlsx?unit={unit('66', 'province').pk}&on=2010-07-01"
    counts = []
    for rows in ([GOOD[1]], GOOD):
        _import(None, rows)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_command_line_writes_checks_imports_and_exports(tmp_path, teams, capsys):
    call_command("roster", "template", "--out", str(tmp_path / "mau.xlsx"))
    assert _sheet((tmp_path / "mau.xlsx").read_bytes()) == [COLUMNS]
    (tmp_path / "bad.xlsx").write_bytes(_book([_row(unit="9999")]))
    (tmp_path / "good.xlsx").write_bytes(_book(GOOD))

    with pytest.raises(CommandError, match="bị từ chối"):
        call_command("roster", "import", str(tmp_path / "bad.xlsx"))
    call_command("roster", "import", str(tmp_path / "good.xlsx"), "--dry-run")
    assert Member.objects.count() == 0
    call_command("roster", "import", str(tmp_path / "good.xlsx"))
    export = ["--unit", "66", "--on", "2010-07-01", "--out", str(tmp_path / "x.xlsx")]
    call_command("roster", "export", *export)

    out = capsys.readouterr().out
    assert "Dòng 2, cột «Mã đơn vị»: không có đơn vị mã «9999»" in out
    assert "Kiểm tra xong, chưa ghi gì: 4 dòng thêm mới" in out
    assert len(_sheet((tmp_path / "x.xlsx").read_bytes())) == 4
    assert Team.objects.count() == 2


# Formula-like names (OWASP CSV injection). -------------------------------------------------------


def test_the_roster_export_writes_formula_like_names_inert_and_keeps_them(teams, province_admin):
    from gandan.tests.xlsx import HOSTILE, assert_inert

    province, _commune = teams
    for number, name in enumerate(HOSTILE, start=1):
        member = services.member_create(
            actor=None, identifier=f"X-{number}", full_name=name, gender="nu", ethnicity="kinh"
        )
        services.membership_start(actor=None, member=member, team=province, start=FOUNDED)

    data = excel.roster_export(actor=province_admin, unit=province_admin.unit, on=MOVED)

    assert_inert(data, *HOSTILE)
    assert sorted(Member.objects.values_list("full_name", flat=True)) == sorted(HOSTILE)
