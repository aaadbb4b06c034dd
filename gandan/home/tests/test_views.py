"""The home page "Việc cần làm" for the cast: each list holds only what the user's access
rules let them reach, an ended unit is explained, and empty lists say what to do."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from gandan.cases.models import CaseKind
from gandan.cases.services import case_advise, case_escalate, case_receive
from gandan.reports.models import Regime
from gandan.reports.services import report_create, report_return, report_submit

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _links(soup, section):
    return [a["href"] for a in soup.select(f"#{section} ul.todo a")]


@pytest.fixture
def submitted(places, cast):
    """Xã Yang Tao's 2019 yearly report, sent up by the 2025 commune's clerk."""
    yearly = Regime.objects.get(code="yearly")
    report = report_create(actor=None, regime=yearly, unit=places.yang_tao, period="2019")
    return report_submit(actor=cast["commune_clerk"], report=report, allow_empty_sections=True)


def test_the_landing_page_after_login_is_the_home_page(client, cast):
    response = client.post(
        reverse("accounts:login"),
        {"username": "liensonlak_clerk", "password": "matkhau-demo-253"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home") == "/"


@pytest.mark.parametrize(
    "who", ["province_admin", "lak_clerk", "commune_clerk", "leader", "outsider"]
)
def test_every_user_gets_a_home_page(client, cast, who):
    soup = _home(client, cast[who])

    assert soup.h1.text == "Việc cần làm"
    assert soup.select_one("#todo-dues") is not None


def test_a_report_waits_for_the_district_only(client, cast, submitted):
    detail = reverse("reports:report-detail", args=[submitted.pk])

    assert detail in _links(_home(client, cast["lak_clerk"]), "todo-approve")
    assert _links(_home(client, cast["province_admin"]), "todo-approve") == [detail]
    assert _home(client, cast["commune_clerk"]).select("#todo-approve ul.todo a") == []
    assert _home(client, cast["leader"]).select_one("#todo-approve") is None  # reads only
    assert _home(client, cast["outsider"]).select("#todo-approve ul.todo a") == []


def test_a_returned_report_is_on_the_commune_home(client, cast, submitted):
    report_return(actor=cast["lak_clerk"], report=submitted, comment="Bổ sung")
    detail = reverse("reports:report-detail", args=[submitted.pk])

    assert _links(_home(client, cast["commune_clerk"]), "todo-returned") == [detail]
    assert _links(_home(client, cast["lak_clerk"]), "todo-returned") == []
    assert _links(_home(client, cast["outsider"]), "todo-returned") == []


def test_reports_due_with_their_deadlines(client, cast):
    soup = _home(client, cast["commune_clerk"])

    rows = soup.select("#todo-dues ul.todo li")
    assert rows, "a commune always owes a monthly report within the window"
    assert all("Hạn nộp" in li.text for li in rows)
    assert all("reports/" in li.a["href"] for li in rows)


def test_an_ended_district_is_explained_with_a_way_to_its_history(client, cast):
    soup = _home(client, cast["lak_clerk"])

    ended = soup.select_one("#unit-ended")
    assert ended is not None
    assert "30/06/2025" in ended.text
    assert "không còn cấp huyện" in ended.text
    hrefs = [a["href"] for a in ended.select("a")]
    assert any("start=2025-06-30" in h and "activities/new/" in h for h in hrefs)
    assert any("on=2025-06-30" in h for h in hrefs)
    assert _home(client, cast["commune_clerk"]).select_one("#unit-ended") is None


def test_an_ended_commune_names_where_it_went(client, places):
    from gandan.accounts.models import User

    clerk = User.objects.create_user(
        username="yangtao", password="x-253-x", unit=places.yang_tao, role="clerk"
    )

    ended = _home(client, clerk).select_one("#unit-ended")

    assert "Xã Liên Sơn Lắk" in ended.text
    assert "cấp huyện" not in ended.text


def test_a_leader_sees_what_is_due_without_a_link_to_create_it(client, cast):
    rows = _home(client, cast["leader"]).select("#todo-dues ul.todo li")

    assert rows
    assert all("reports/new/" not in (li.a["href"] if li.a else "") for li in rows)


def test_cases_escalated_to_my_unit_and_overdue(client, cast, places):
    land = CaseKind.objects.get(code="tranh_chap_dat")
    received = datetime.date(2025, 8, 4)
    case = case_receive(
        actor=None, kind=land, unit=places.lien_son_lak, received_on=received, description="Rẫy"
    )
    case_advise(actor=None, case=case, agencies=["mttq"], advice="Hòa giải", on=received)
    up = case_escalate(actor=None, case=case, note="Đề nghị tỉnh", on=received)
    detail = reverse("cases:case-detail", args=[up.pk])

    province = _home(client, cast["province_admin"])
    assert _links(province, "todo-cases") == [detail]
    assert "quá hạn" in province.select_one("#todo-cases").text
    assert _links(_home(client, cast["commune_clerk"]), "todo-cases") == []
    assert _links(_home(client, cast["outsider"]), "todo-cases") == []


def test_my_last_entries(client, cast, places, activity_input):
    from gandan.work.services import activity_create

    mine = activity_create(
        actor=cast["commune_clerk"],
        data=activity_input(places.lien_son_lak, datetime.date(2025, 8, 1), title="Họp dân"),
    )

    assert _links(_home(client, cast["commune_clerk"]), "todo-entries") == [
        reverse("work:activity-detail", args=[mine.pk])
    ]
    assert _links(_home(client, cast["province_admin"]), "todo-entries") == []


def test_empty_lists_say_what_to_do(client, cast):
    soup = _home(client, cast["outsider"])

    assert "chưa ghi hoạt động" in soup.select_one("#todo-entries").text
    assert soup.select_one("#todo-entries a")["href"] == reverse("work:activity-create")
    assert "Tiếp nhận vụ việc mới" in soup.select_one("#todo-cases").text


def test_the_home_page_costs_a_bounded_number_of_queries(
    client, cast, submitted, django_assert_max_num_queries
):
    client.force_login(cast["lak_clerk"])
    client.get(reverse("home"))

    with django_assert_max_num_queries(20):  # 14 on SQLite when written
        client.get(reverse("home"))
