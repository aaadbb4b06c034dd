"""The cases API (/api/v1/) for each of the cast: the same rules as the pages. Outside the
jurisdiction 404, a reader writing 403, anonymous 401, a broken rule 422 naming the field;
contacts never in case payloads, and every read of them audited."""

import json

import pytest

from gandan.cases.models import Aspiration, Case, FollowUp, Inspection
from gandan.cases.tests.conftest import CONTACT, read_matrix, write_matrix
from gandan.core.models import AuditEntry

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(client, url, body=None):
    return client.post(f"{API}{url}", data=json.dumps(body or {}), content_type="application/json")


def test_anonymous_callers_get_401(client, cases):
    assert client.get(f"{API}/cases").status_code == 401
    assert client.get(f"{API}/cases/{cases.old.pk}").status_code == 401


@pytest.mark.parametrize(("who", "name", "status"), read_matrix())
def test_who_gets_which_case(as_user, cases, who, name, status):
    case = getattr(cases, name)
    client = as_user(who)

    one = client.get(f"{API}/cases/{case.pk}")
    listed = {c["id"] for c in client.get(f"{API}/cases", {"tab": "all"}).json()["items"]}

    assert one.status_code == status
    assert (case.pk in listed) == (status == 200)


def test_payloads_carry_no_contacts(as_user, cases):
    client = as_user("province_admin")

    listed = client.get(f"{API}/cases", {"tab": "all"}).content.decode()
    one = client.get(f"{API}/cases/{cases.old.pk}").json()

    assert CONTACT[0] not in listed
    assert CONTACT[1] not in listed
    assert CONTACT[0] not in json.dumps(one, ensure_ascii=False)
    assert one["contact_count"] == 1
    assert [e["action"] for e in one["events"]] == ["receive"]
    assert one["overdue"] is True
    assert not AuditEntry.objects.filter(action="cases.view_contacts").exists()


@pytest.mark.parametrize(("who", "name", "status"), write_matrix())
def test_who_reads_contacts_audited(as_user, cases, who, name, status):
    case = getattr(cases, name)

    response = _post(as_user(who), f"/cases/{case.pk}/contacts")

    expected = 200 if status == 302 else status
    assert response.status_code == expected
    logged = AuditEntry.objects.filter(action="cases.view_contacts", target_id=str(case.pk))
    assert logged.count() == (1 if expected == 200 else 0)
    if expected == 200 and name == "old":
        assert response.json() == [{"name": CONTACT[0], "phone": CONTACT[1]}]


@pytest.mark.parametrize(("who", "name", "status"), write_matrix())
def test_who_may_act_through_the_api(as_user, cases, who, name, status):
    case = getattr(cases, name)

    response = _post(
        as_user(who), f"/cases/{case.pk}/advise", {"agencies": ["mttq"], "advice": "Hòa giải"}
    )

    assert response.status_code == (200 if status == 302 else status)
    advised = Case.objects.get(pk=case.pk).status == Case.Status.ADVISING
    assert advised == (status == 302)


def test_the_queue_tabs_and_filters(as_user, cases):
    client = as_user("lak_clerk")

    def ids(**params):
        return {c["id"] for c in client.get(f"{API}/cases", params).json()["items"]}

    # mine: handled by huyện Lắk itself (the communes below have their own queues)
    assert ids(tab="mine") == {cases.up_old.pk}
    assert ids(tab="escalated") == {cases.up_old.pk}
    assert ids(tab="overdue") == {cases.old.pk, cases.up_old.pk, cases.nam_ka.pk}
    assert ids(tab="all", q="nam ka") == {cases.nam_ka.pk}
    assert ids(tab="all", q="ranh gioi") == set()  # descriptions are not searched
    assert ids(tab="all", kind="khieu_nai") == set()
    assert client.get(f"{API}/cases", {"tab": "later"}).status_code == 422
    assert client.get(f"{API}/cases", {"kind": "none"}).json()["field"] == "kind"


def test_a_case_from_a_village_to_resolution_at_the_province(as_user, field, places):
    clerk = as_user("commune_clerk")
    created = _post(
        clerk,
        "/cases",
        {
            "kind": "kho_khan_doi_song", "unit_id": field.lien_son_lak.pk, "received_on": "2025-09-02",
            "description": "Hộ nghèo thiếu nước sinh hoạt", "households": 6,
            "contacts": [{"name": "Y Thử Ba", "phone": "0900 000 010"}],
        },
    )  # fmt: skip
    assert created.status_code == 201
    case = created.json()
    assert (case["status"], case["contact_count"], case["deadline"]) == (
        "received",
        1,
        "2025-09-17",
    )
    assert case["allowed_actions"] == ["advise"]

    assert (
        _post(
            clerk,
            f"/cases/{case['id']}/advise",
            {"agencies": ["chinh_quyen_xa"], "advice": "Báo xã", "on": "2025-09-03"},
        ).status_code
        == 200
    )
    up = _post(
        clerk, f"/cases/{case['id']}/escalate", {"note": "Cần hỗ trợ của tỉnh", "on": "2025-09-05"}
    ).json()
    assert (up["status"], up["handler_id"]) == ("escalated", places.dak_lak.pk)
    assert _post(clerk, f"/cases/{case['id']}/pause", {"note": "x"}).status_code == 403

    province = as_user("province_admin")
    _post(
        province,
        f"/cases/{case['id']}/advise",
        {"agencies": ["nganh_chuc_nang"], "advice": "Sở Nông nghiệp", "on": "2025-09-10"},
    )
    done = _post(
        province,
        f"/cases/{case['id']}/resolve",
        {"outcome": "Lắp bồn chứa nước", "on": "2025-09-30"},
    ).json()
    assert (done["status"], done["closed_on"]) == ("resolved", "2025-09-30")
    assert [e["action"] for e in done["events"]] == [
        "receive",
        "advise",
        "escalate",
        "advise",
        "resolve",
    ]


@pytest.mark.parametrize(
    ("who", "body", "status", "field_name"),
    [
        ("commune_clerk", {"village": "bk_a"}, 422, "village"),  # not in Yang Tao
        ("commune_clerk", {"kind": "khong_co"}, 422, "kind"),
        ("commune_clerk", {"description": " "}, 422, "description"),
        ("lak_clerk", {"received_on": "2025-08-01"}, 422, "unit"),  # Yang Tao had ended
        ("commune_clerk", {"unit": "nam_ka"}, 404, None),
        ("leader", {}, 403, None),
        ("outsider", {}, 404, None),
    ],
)
def test_case_entry_refusals(as_user, field, who, body, status, field_name):
    payload = {
        "kind": "mau_thuan", "unit_id": field.yang_tao.pk, "village_id": field.yt_a.pk,
        "received_on": "2019-05-02", "description": "Mâu thuẫn lối đi chung",
    }  # fmt: skip
    for key, value in body.items():
        if key in {"village", "unit"}:
            payload[f"{key}_id"] = getattr(field, value).pk
        else:
            payload[key] = value

    response = _post(as_user(who), "/cases", payload)

    assert response.status_code == status
    if field_name:
        assert response.json()["field"] == field_name
    assert not Case.objects.exists()


def test_a_forbidden_transition_is_422(as_user, cases):
    response = _post(
        as_user("commune_clerk"),
        f"/cases/{cases.new.pk}/resolve",
        {"outcome": "Xong", "on": "2025-08-20"},
    )

    assert response.status_code == 422
    assert "Không thể chuyển" in response.json()["detail"]


def test_aspirations_through_the_api(as_user, aspirations, field):
    clerk = as_user("commune_clerk")

    listed = [a["topic"] for a in clerk.get(f"{API}/aspirations").json()["items"]]
    created = _post(
        clerk,
        "/aspirations",
        {"village_id": field.yt_b.pk, "period_start": "2019-04-01", "period_end": "2019-06-30",
         "topic": "Vay vốn sản xuất", "households": 15, "summary": "Đề nghị vay ưu đãi"},
    )  # fmt: skip
    outside = _post(
        clerk,
        "/aspirations",
        {
            "village_id": field.nam_ka_village.pk,
            "period_start": "2019-04-01",
            "period_end": "2019-06-30",
            "topic": "x",
            "households": 1,
            "summary": "y",
        },
    )
    # (the test client is shared: logging in as the leader logs the clerk out)
    leader = _post(
        as_user("leader"),
        "/aspirations",
        {
            "village_id": field.yt_b.pk,
            "period_start": "2019-04-01",
            "period_end": "2019-06-30",
            "topic": "x",
            "households": 1,
            "summary": "y",
        },
    )

    assert listed == ["Nước sinh hoạt mùa khô"]
    assert created.status_code == 201
    assert (leader.status_code, outside.status_code) == (403, 404)
    assert Aspiration.objects.count() == 3
    assert "name" not in created.json()


def test_inspections_through_the_api(as_user, inspections, teams):
    lak = as_user("lak_clerk")

    listed = lak.get(f"{API}/inspections").json()["items"]
    assert [i["id"] for i in listed] == [inspections.held.pk]
    assert [f["action"] for f in listed[0]["follow_ups"]] == [
        "Bổ sung sổ giao ban",
        "Báo cáo khắc phục",
    ]
    assert lak.get(f"{API}/inspections/{inspections.plan.pk}").status_code == 404

    follow_up = FollowUp.objects.filter(inspection=inspections.held).first()
    done = _post(
        lak,
        f"/inspections/{inspections.held.pk}/follow-ups/{follow_up.pk}/done",
        {"on": "2019-06-20"},
    )
    assert done.json()["done_on"] == "2019-06-20"
    assert (
        _post(
            as_user("leader"),
            f"/inspections/{inspections.held.pk}/follow-ups/{follow_up.pk}/done",
            {"on": "2019-06-21"},
        ).status_code
        == 403
    )

    admin = as_user("province_admin")
    plan = _post(
        admin,
        "/inspections",
        {
            "team_id": teams.lien_son.pk,
            "inspector": "Đoàn tỉnh",
            "planned_on": "2025-11-02",
            "content": "Giao ban",
        },
    )
    assert plan.status_code == 201
    result = _post(
        admin, f"/inspections/{plan.json()['id']}/result",
        {"held_on": "2025-11-03", "findings": "Tốt", "rating": "good",
         "follow_ups": [{"action": "Bổ sung hồ sơ", "owner": "Tổ trưởng", "deadline": "2025-11-01"}]},
    )  # fmt: skip
    assert result.status_code == 422  # a deadline before the inspection
    assert result.json()["field"] == "follow_ups"
    assert (
        _post(
            as_user("outsider"),
            "/inspections",
            {"team_id": teams.lak.pk, "inspector": "x", "planned_on": "2019-01-02", "content": "y"},
        ).status_code
        == 404
    )
    assert Inspection.objects.count() == 3
