""" "Xuất Excel" on the case queue: the cases the user sees, in the tab and with the filters
of the page; formula-like text inert, numbers as numbers; never descriptions or contacts."""

import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from gandan.cases.models import CaseKind
from gandan.cases.tests.conftest import CONTACT, SEES, receive

pytestmark = pytest.mark.django_db
URL = "/cases/export.xlsx"


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))["Vụ việc"]


def _exported(response) -> set[int]:
    return {row[0] for row in _sheet(response).iter_rows(min_row=2, values_only=True)}


def _ids(cases, names: str) -> set[int]:
    return {getattr(cases, n).pk for n in names.split()}


@pytest.mark.parametrize("who", list(SEES))
def test_each_user_exports_only_the_cases_they_see(as_user, cases, who):
    response = as_user(who).get(URL, {"tab": "all", "status": ""})

    assert _exported(response) == _ids(cases, SEES[who])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "up_old"),  # the page's defaults: my unit's open cases
        ({"tab": "overdue"}, "old up_old nam_ka"),
        ({"tab": "all", "status": "", "q": "nam ka"}, "nam_ka"),
        ({"tab": "all", "status": "escalated"}, "up_old"),
    ],
)
def test_the_tab_and_filters_of_the_page_are_honoured(as_user, cases, params, expected):
    assert _exported(as_user("lak_clerk").get(URL, params)) == _ids(cases, expected)


def test_a_place_outside_the_jurisdiction_exports_nothing(as_user, cases, places):
    response = as_user("outsider").get(URL, {"tab": "all", "place": places.lien_son_lak.pk})

    assert response.status_code in (400, 404)
    assert not response.content.startswith(b"PK")


def test_formula_like_text_is_inert_numbers_stay_numbers_no_contacts(as_user, cases, field):
    kind = CaseKind.objects.create(code="thu_xlsx", name='=HYPERLINK("x")')
    receive(kind, field.lien_son_lak, cases.new.received_on, contacts=[("A Thử", "0900 000 009")])

    response = as_user("province_admin").get(URL, {"tab": "all", "status": "", "q": ""})
    sheet = _sheet(response)

    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    kinds = [row[header.index("Loại vụ việc")] for row in rows]
    formula = next(cell for cell in kinds if cell.value == '=HYPERLINK("x")')
    assert formula.data_type == "s"
    assert formula.quotePrefix
    households = rows[0][header.index("Số hộ liên quan")]
    assert households.value == 2
    assert households.data_type == "n"
    text = " ".join(str(c.value) for row in rows for c in row)
    assert CONTACT[0] not in text
    assert "0900 000" not in text
    assert "Tranh chấp ranh giới rẫy" not in text  # descriptions stay in the app


def test_the_queue_links_to_the_export_with_its_filters(as_user, cases):
    client = as_user("lak_clerk")

    page = BeautifulSoup(
        client.get(reverse("cases:case-queue"), {"tab": "all"}).content, "html.parser"
    )
    link = page.select_one("a#case-export")

    assert link is not None
    assert link["href"] == f"{URL}?tab=all&status=open"
