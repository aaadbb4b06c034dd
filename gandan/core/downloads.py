"""The response that downloads an exporter's workbook (every list's "Xuất Excel")."""

import datetime

from django.http import HttpResponse

from gandan.core.exporters import Exporter, Style, Styled, number_format

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = Style(bold=True, fill="EEF1F5", wrap=True, vertical="top")
DAY = Style(number_format="dd/mm/yyyy")


def xlsx_response(exporter: Exporter, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(exporter.xlsx(), content_type=XLSX)
    name = filename or exporter.filename
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def header(*titles: str) -> list[object]:
    return [Styled(title, HEADER) for title in titles]


def day(value: datetime.date | None) -> object:
    """A date cell shown dd/mm/yyyy (a real date: it sorts and filters)."""
    return None if value is None else Styled(value, DAY)


def count(value: int | float | None) -> object:
    """A number cell shown "1.350" on a Vietnamese machine; still a number for SUM."""
    return None if value is None else Styled(value, Style(number_format=number_format(value)))
