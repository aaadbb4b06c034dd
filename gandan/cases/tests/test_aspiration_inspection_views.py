"""Aspiration and inspection pages through the client: entry without names, filters,
plans, results, follow-ups, and the team page's inspection history."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from gandan.cases.models import Aspiration, FollowUp, Inspection

pytestmark = pytest.mark.django_db


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


# Aspirations. -----------------------------------------------------------------------------------


def test_recording_an_aspiration_without_names(as_user, field):
    client = as_user("commune_clerk")

    response = client.post(
        reverse("cases:aspiration-create"),
        {
            "period_start": "2019-04-01", "period_end": "2019-06-30", "unit": field.yang_tao.pk,
            "village": field.yt_a.pk, "topic": "Giống cà phê tái canh", "households": "24",
            "summary": "Đề nghị hỗ trợ giống", "response": "",
        },
    )  # fmt: skip

    assert response.status_code == 302
    aspiration = Aspiration.objects.get()
    assert (aspiration.village, aspiration.households) == (field.yt_a, 24)
    listed = client.get(reverse("cases:aspiration-list"), {"q": "ca phe"})
    assert "Giống cà phê tái canh" in _soup(listed).select_one("#aspirations").get_text()
    assert "Giống cà phê tái canh: 24" in _soup(listed).select_one("#by-topic").get_text()


def test_aspiration_filters(as_user, aspirations, places):
    client = as_user("province_admin")

    def topics(**params):
        rows = _soup(client.get(reverse("cases:aspiration-results"), params)).select(
            "#aspirations tbody tr td strong"
        )
        return {r.get_text() for r in rows}

    assert topics(period="2019-Q1") == {"Nước sinh hoạt mùa khô", "Đường giao thông nội thôn"}
    assert topics(period="2020") == set()
    assert topics(place=places.yang_tao.pk) == {"Nước sinh hoạt mùa khô"}
    assert topics(q="duong") == {"Đường giao thông nội thôn"}


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("commune_clerk", 400)])
def test_aspiration_entry_refusals(as_user, field, who, status):
    data = {
        "period_start": "2019-04-01", "period_end": "2019-03-01", "unit": field.yang_tao.pk,
        "village": field.yt_a.pk, "topic": "x", "households": "3", "summary": "y",
    }  # fmt: skip
    response = as_user(who).post(reverse("cases:aspiration-create"), data)

    assert response.status_code == status
    if status == 400:
        assert "Cuối kỳ phải từ đầu kỳ trở đi." in response.content.decode()
    assert not Aspiration.objects.exists()


# Inspections. -----------------------------------------------------------------------------------


def test_planning_recording_and_following_up_an_inspection(as_user, teams):
    client = as_user("province_admin")

    planned = client.post(
        reverse("cases:inspection-create"),
        {
            "team": teams.lien_son.pk,
            "inspector": "Ban Tuyên giáo và Dân vận",
            "planned_on": "2025-09-01",
            "content": "Giao ban hằng tuần",
        },
    )
    inspection = Inspection.objects.get()
    assert planned["Location"] == reverse("cases:inspection-detail", args=[inspection.pk])

    recorded = client.post(
        reverse("cases:inspection-result", args=[inspection.pk]),
        {
            "held_on": "2025-09-03", "rating": "excellent", "findings": "Đủ sổ sách",
            "fu1_action": "Nhân rộng mô hình", "fu1_owner": "Tổ trưởng", "fu1_deadline": "2025-12-31",
        },
    )  # fmt: skip
    assert recorded.status_code == 302
    follow_up = FollowUp.objects.get()
    done = client.post(
        reverse("cases:follow-up-done", args=[inspection.pk, follow_up.pk]), {"on": "2025-11-20"}
    )
    again = client.post(
        reverse("cases:follow-up-done", args=[inspection.pk, follow_up.pk]), {"on": "2025-11-21"}
    )

    follow_up.refresh_from_db()
    assert done.status_code == 302
    assert follow_up.done_on == datetime.date(2025, 11, 20)
    assert again.status_code == 400
    assert "đã hoàn thành" in _soup(again).select_one("#action-error").get_text()


def test_a_follow_up_needs_a_deadline_and_a_plan_an_active_team(as_user, inspections, teams):
    client = as_user("province_admin")

    result = client.post(
        reverse("cases:inspection-result", args=[inspections.plan.pk]),
        {
            "held_on": "2025-10-02",
            "rating": "done",
            "findings": "Tốt",
            "fu1_action": "Bổ sung hồ sơ",
        },
    )
    plan = client.post(
        reverse("cases:inspection-create"),
        {
            "team": teams.lien_son.pk,
            "inspector": "Đoàn tỉnh",
            "planned_on": "2024-01-10",
            "content": "x",
        },
    )

    assert result.status_code == 400
    assert "Cần ghi hạn cho việc này." in result.content.decode()
    assert plan.status_code in (400, 404)
    assert Inspection.objects.count() == 2


def test_the_inspection_list_shows_open_follow_ups(as_user, inspections):
    soup = _soup(as_user("lak_clerk").get(reverse("cases:inspection-list")))

    assert "Bổ sung sổ giao ban" in soup.select_one("#open-follow-ups").get_text()
    assert soup.select("#open-follow-ups tr.overdue")
    assert "Tổ công tác xã Liên Sơn Lắk" not in soup.select_one("#inspections").get_text()


@pytest.mark.parametrize(("who", "rows"), [("lak_clerk", 1), ("leader", 1), ("province_admin", 1)])
def test_the_team_page_shows_its_inspection_history(as_user, inspections, teams, who, rows):
    response = as_user(who).get(reverse("org:team-detail", args=[teams.lak.pk]))

    table = _soup(response).select_one("#team-inspections")
    assert len(table.select("tbody tr")) == rows
    assert "Hoàn thành tốt" in table.get_text()
    assert "Bổ sung sổ giao ban" in table.get_text()
