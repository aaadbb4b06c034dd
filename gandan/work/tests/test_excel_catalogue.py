"""Templates keep working after any change to the catalogue (ADR 0018): a workbook made
before a rename, an addition or a retirement still imports, and one exported after two
indicators got confusable names puts each figure in its own indicator."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.indicators.services import (
    IndicatorInput,
    indicator_create,
    indicator_retire,
    indicator_update,
)
from gandan.work import excel, excel_export
from gandan.work.excel_sheet import ACTIVITY_SHEET, AGGREGATE_SHEET, INDICATOR
from gandan.work.models import Activity, ActivityValue, AggregateEntry

pytestmark = pytest.mark.django_db

CAMPAIGN = {"Loại hoạt động": "Đợt phát động quần chúng", "Mã xã": "24583", "Từ ngày": "14/03/2012"}  # fmt: skip
GARDENS = {
    "Mã đơn vị": "656", "Từ ngày": "05/07/2004", "Đến ngày": "31/12/2008",
    "Kỳ báo cáo (như văn bản)": "2004 - 2008", "Giá trị": 5700, "Mức độ": "trên",
    "Số văn bản": "45-BC/HU", "Ngày văn bản": "10/01/2009",
}  # fmt: skip


def _headers(book_bytes, sheet=ACTIVITY_SHEET):
    return [c.value for c in load_workbook(io.BytesIO(book_bytes))[sheet][1]]


def _column(headers, key):
    """A fixed column by its name, an indicator column by its code (as a clerk finds it)."""
    if key in headers:
        return headers.index(key)
    found = [i for i, h in enumerate(headers) if str(h).endswith(f"[{key}]")]
    assert len(found) == 1, (key, headers)
    return found[0]


def _filled(template, activities=(), totals=()):
    book = load_workbook(io.BytesIO(template))
    for name, rows in ((ACTIVITY_SHEET, activities), (AGGREGATE_SHEET, totals)):
        sheet = book[name]
        headers = [c.value for c in sheet[1]]
        for line, row in enumerate(rows, start=2):
            for key, value in row.items():
                sheet.cell(row=line, column=_column(headers, key) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dropdown_entries(template):
    """The entries of the totals sheet's indicator dropdown, as the hidden list holds them."""
    lists = load_workbook(io.BytesIO(template))["Danh mục"]
    for column in lists.iter_cols(values_only=True):
        if column[0] == INDICATOR:
            return [v for v in column[1:] if v]
    raise AssertionError("no indicator list")


def _dropdown(template, code):
    return next(v for v in _dropdown_entries(template) if v.endswith(f"[{code}]"))


def _import(data, user=None):
    result = excel.work_import(actor=user, data=data)
    assert result.ok, result.report()
    return result


def _values(code):
    return sorted(int(v) for v in ActivityValue.objects.filter(indicator__code=code).values_list("value", flat=True))  # fmt: skip


def _rename(code, name):
    indicator = Indicator.objects.get(code=code)
    fields = ("code", "unit", "group", "source", "aggregation", "name_en", "activity_types",
              "breakdowns", "integer_only", "position", "parent", "numerator", "denominator")  # fmt: skip
    data = IndicatorInput(name_vi=name, **{f: getattr(indicator, f) for f in fields})
    return indicator_update(actor=None, indicator=indicator, data=data)


def test_a_workbook_made_before_a_rename_still_imports(field):
    # given a template downloaded, then two indicators renamed
    template = excel.work_template()
    old_label = _dropdown(template, "vegetable_gardens")
    _rename("money_vnd", "Tiền, hiện vật nhân dân đóng góp")
    _rename("vegetable_gardens", "Vườn rau sạch")
    book = _filled(template, [CAMPAIGN | {"money_vnd": 15_000_000}], [GARDENS | {"Chỉ tiêu": old_label}])  # fmt: skip

    # when the clerk imports the old workbook
    _import(book)

    # then each figure lands in its indicator, by the code in the header and the dropdown entry
    assert old_label == "Vườn rau, mô hình vườn rau sạch (vườn) [vegetable_gardens]"
    assert _values("money_vnd") == [15_000_000]
    assert AggregateEntry.objects.get().indicator.code == "vegetable_gardens"
    assert "Tiền, hiện vật nhân dân đóng góp (đồng) [money_vnd]" in _headers(excel.work_template())


def test_a_workbook_made_before_an_indicator_was_added_still_imports(field):
    template = excel.work_template()
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", unit="ao", group="production", source="value", aggregation="sum",
    ))  # fmt: skip

    _import(_filled(template, [CAMPAIGN | {"money_vnd": 5}]))
    newer = excel.work_template()
    _import(_filled(newer, [CAMPAIGN | {"Mã dòng": "B-1", "fish_ponds": 12}]))

    assert "Ao cá (ao) [fish_ponds]" not in _headers(template)
    assert "Ao cá (ao) [fish_ponds]" in _headers(newer)
    assert _values("fish_ponds") == [12]


def test_a_workbook_made_before_a_retirement_imports_history_and_refuses_later_rows(field):
    template = excel.work_template()
    wells = Indicator.objects.get(code="wells")
    indicator_retire(actor=None, indicator=wells, on=datetime.date(2013, 1, 1))
    rows = [
        CAMPAIGN | {"Mã dòng": "W-2012", "wells": 2},
        CAMPAIGN | {"Mã dòng": "W-2013", "Từ ngày": "02/01/2013", "wells": 1},
    ]
    before = (Activity.objects.count(), AuditEntry.objects.count())

    refused = excel.work_import(actor=None, data=_filled(template, rows))
    assert (Activity.objects.count(), AuditEntry.objects.count()) == before
    _import(_filled(template, rows[:1]))
    newer = excel.work_template()

    # then the later row is refused naming row and column, and nothing of the file is written
    assert refused.report() == [
        "Dòng 3, cột «Giếng nước (giếng) [wells]»: «Giếng nước» ngừng sử dụng từ ngày 01/01/2013: "
        "không ghi cho hoạt động từ ngày đó."
    ]
    # the history is in; the retired indicator is offered no more
    assert _values("wells") == [2]
    assert "Giếng nước (giếng) [wells]" not in _headers(newer)
    assert _dropdown(template, "wells") == "Giếng nước (giếng) [wells]"
    assert not [v for v in _dropdown_entries(newer) if v.endswith("[wells]")]


def test_an_export_keeps_a_retired_indicators_column_and_round_trips(field):
    _import(_filled(excel.work_template(), [CAMPAIGN | {"Mã dòng": "W-2012", "wells": 2, "money_vnd": 7}]))  # fmt: skip
    indicator_retire(actor=None, indicator=Indicator.objects.get(code="wells"), on=datetime.date(2013, 1, 1))  # fmt: skip

    exported = excel_export.work_export(actor=None, unit=field.lak, start=datetime.date(2012, 1, 1), end=datetime.date(2012, 12, 31))  # fmt: skip
    again = _import(exported)

    assert "Giếng nước (giếng) [wells]" in _headers(exported)
    assert (again.created, again.unchanged) == (0, 1)
    assert _values("wells") == [2]


def test_a_template_exported_after_names_became_confusable_still_imports(field):
    # given "Ao cá" in ao, and another indicator whose name is the first one's old header
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", unit="ao", group="production", source="value", aggregation="sum",
    ))  # fmt: skip
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_lakes", name_vi="Ao cá (ao)", unit="hồ", group="production", source="value", aggregation="sum",
    ))  # fmt: skip
    _rename("nurseries", "Ao cá (ao) (hồ)")  # and a third that reads like the second's header
    template = excel.work_template()

    _import(_filled(template, [CAMPAIGN | {"fish_ponds": 3, "fish_lakes": 4, "nurseries": 5}]))

    assert (_values("fish_ponds"), _values("fish_lakes"), _values("nurseries")) == ([3], [4], [5])


def test_a_header_without_a_code_that_could_name_two_columns_is_never_guessed(field):
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_ponds", name_vi="Ao cá", unit="ao", group="production", source="value", aggregation="sum",
    ))  # fmt: skip
    indicator_create(actor=None, data=IndicatorInput(
        code="fish_lakes", name_vi="Ao cá (ao)", unit="hồ", group="production", source="value", aggregation="sum",
    ))  # fmt: skip
    book = load_workbook(io.BytesIO(excel.work_template()))
    sheet = book[ACTIVITY_SHEET]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=1, column=headers.index("Ao cá (ao) [fish_ponds]") + 1, value="Ao cá (ao)")
    sheet.cell(row=1, column=headers.index("Ao cá (ao) (hồ) [fish_lakes]") + 1, value="Ao cá")
    for key, value in (CAMPAIGN | {"Ao cá (ao)": 3, "Ao cá": 4}).items():
        sheet.cell(row=2, column=[c.value for c in sheet[1]].index(key) + 1, value=value)
    out = io.BytesIO()
    book.save(out)

    result = excel.work_import(actor=None, data=out.getvalue())

    # "Ao cá (ao)" is the old header of one and the name of the other: refused, not guessed;
    # "Ao cá" names one indicator only: read as it
    assert result.report() == [
        "Dòng 1, cột «Ao cá (ao)»: cột này không có trong mẫu; xóa cột hoặc tải tệp mẫu mới rồi chép dữ liệu sang."
    ]
    assert not ActivityValue.objects.exists()
