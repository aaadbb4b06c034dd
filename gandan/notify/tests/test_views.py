"""The inbox and the choices through the client: a user sees only their own notifications,
reaches no one else's (404), and the top bar counts the unread."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from gandan.notify.models import Kind, Notification
from gandan.notify.services import Notice, notify

pytestmark = pytest.mark.django_db


def _tell(user, text="Báo cáo năm 2019 của xã Yang Tao đã gửi lên, chờ duyệt.", link="/reports/"):
    return notify(actor=None, users=[user], notice=Notice(Kind.REPORT_SUBMITTED, text, link))[0]


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, BeautifulSoup(response.content, "html.parser")


def test_the_inbox_lists_only_my_notifications_newest_first(client, cast):
    _tell(cast["lak_clerk"], "Cũ hơn")
    _tell(cast["lak_clerk"], "Mới hơn")
    _tell(cast["commune_clerk"], "Của xã")

    response, soup = _page(client, cast["lak_clerk"], reverse("notify:inbox"))

    assert response.status_code == 200
    texts = [li.select_one(".notification-text a").text for li in soup.select(".notification")]
    assert texts == ["Mới hơn", "Cũ hơn"]
    assert soup.select_one("#inbox-link .badge").text == "2"


@pytest.mark.parametrize("who", ["province_admin", "commune_clerk", "leader", "outsider"])
def test_nobody_reads_or_marks_another_users_notification(client, cast, who):
    notification = _tell(cast["lak_clerk"])
    client.force_login(cast[who])

    response = client.post(reverse("notify:read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    _response, soup = _page(client, cast[who], reverse("notify:inbox"))
    assert soup.select(".notification") == []
    assert soup.select_one("#inbox-empty") is not None


def test_marking_read_lowers_the_count_and_open_follows_the_link(client, cast):
    first = _tell(cast["lak_clerk"], link="/reports/7/")
    _tell(cast["lak_clerk"])
    client.force_login(cast["lak_clerk"])

    response = client.post(reverse("notify:read", args=[first.pk]), {"open": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/reports/7/"
    _response, soup = _page(client, cast["lak_clerk"], reverse("notify:inbox"))
    assert soup.select_one("#inbox-link .badge").text == "1"


def test_an_outside_link_is_never_followed(client, cast):
    notification = _tell(cast["lak_clerk"], link="https://evil.example/")
    client.force_login(cast["lak_clerk"])

    response = client.post(reverse("notify:read", args=[notification.pk]), {"open": "1"})

    assert response["Location"] == reverse("notify:inbox")


def test_read_all_only_touches_mine(client, cast):
    _tell(cast["lak_clerk"])
    theirs = _tell(cast["commune_clerk"])
    client.force_login(cast["lak_clerk"])

    client.post(reverse("notify:read-all"))

    assert not Notification.objects.filter(user=cast["lak_clerk"], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_needs_post(client, cast):
    notification = _tell(cast["lak_clerk"])
    client.force_login(cast["lak_clerk"])

    assert client.get(reverse("notify:read", args=[notification.pk])).status_code == 405


def test_the_unread_filter(client, cast):
    read = _tell(cast["lak_clerk"], "Đã đọc")
    _tell(cast["lak_clerk"], "Chưa đọc")
    client.force_login(cast["lak_clerk"])
    client.post(reverse("notify:read", args=[read.pk]))

    _response, soup = _page(client, cast["lak_clerk"], reverse("notify:inbox") + "?unread=1")

    assert [a.text for a in soup.select(".notification-text a")] == ["Chưa đọc"]


def test_choosing_what_to_receive(client, cast):
    user = cast["lak_clerk"]
    user.email = "lak@example.org"
    user.save()
    client.force_login(user)

    response = client.post(
        reverse("notify:preferences"),
        {"shown": [Kind.REPORT_SUBMITTED], "email": [Kind.CASE_OVERDUE]},
    )

    assert response.status_code == 302
    _response, soup = _page(client, user, reverse("notify:preferences"))
    checked = {(i["name"], i["value"]) for i in soup.select("#preferences input[checked]")}
    assert checked == {("shown", Kind.REPORT_SUBMITTED), ("email", Kind.CASE_OVERDUE)}


def test_email_choice_without_an_address_is_refused(client, cast):
    client.force_login(cast["lak_clerk"])

    response = client.post(reverse("notify:preferences"), {"email": [Kind.CASE_OVERDUE]})

    assert response.status_code == 400
    assert "địa chỉ thư điện tử" in response.content.decode()


def test_an_unknown_kind_is_a_form_error(client, cast):
    client.force_login(cast["lak_clerk"])

    response = client.post(reverse("notify:preferences"), {"shown": ["spam"]})

    assert response.status_code == 400


def test_the_inbox_page_costs_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    for i in range(12):
        _tell(cast["lak_clerk"], f"Thông báo {i}")
    client.force_login(cast["lak_clerk"])
    client.get(reverse("notify:inbox"))

    with django_assert_max_num_queries(12):
        client.get(reverse("notify:inbox"))
