"""Workbooks for the import page tests: the template the page serves, filled in as a clerk
would (header on row 1, one row per record), on the ``field`` villages."""

import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import load_workbook

from gandan.work.excel_sheet import ACTIVITY_SHEET, AGGREGATE_SHEET

MONEY = "Tiền nhân dân đóng góp xây dựng nông thôn mới (đồng) [money_vnd]"
CAMPAIGN = {
    "Mã dòng": "YT-2012-001",
    "Loại hoạt động": "Đợt phát động quần chúng",
    "Mã xã": "24583",
    "Thôn, buôn": "Buôn Yang Lah; Akŏ Dhŏng",
    "Từ ngày": "14/03/2012",
    "Đến ngày": "16/03/2012",
    "Lượt người": 240,
    MONEY: 15000000,
    "Nội dung": "Phát động làm đường liên buôn",
}
TALK = {
    "Loại hoạt động": "Buổi tuyên truyền",
    "Mã xã": "24586",
    "Thôn, buôn": "Dơng Băk",
    "Từ ngày": "02/05/2013",
    "Lượt người": 80,
}
GARDENS = {
    "Chỉ tiêu": "Vườn rau, mô hình vườn rau sạch (vườn)",
    "Mã đơn vị": "656",
    "Từ ngày": "05/07/2004",
    "Đến ngày": "31/12/2008",
    "Kỳ báo cáo (như văn bản)": "2004 - 2008",
    "Giá trị": 5700,
    "Mức độ": "trên",
    "Số văn bản": "45-BC/HU",
    "Ngày văn bản": "10/01/2009",
}


def filled(
    template: bytes,
    activities: Iterable[Mapping[str, Any]] = (),
    totals: Iterable[Mapping[str, Any]] = (),
) -> bytes:
    book = load_workbook(io.BytesIO(template))
    for name, rows in ((ACTIVITY_SHEET, activities), (AGGREGATE_SHEET, totals)):
        sheet = book[name]
        header = [str(cell.value) for cell in sheet[1]]
        for line, row in enumerate(rows, start=2):
            unknown = set(row) - set(header)
            assert not unknown, unknown
            for column, value in row.items():
                sheet.cell(row=line, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
