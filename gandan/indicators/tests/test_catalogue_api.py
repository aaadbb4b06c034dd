"""The catalogue in the API: every user reads the new fields; only the province's
administrator writes; writes for a retired indicator are refused with a message."""

import datetime
import json

import pytest

from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.indicators.services import indicator_retire
from gandan.indicators.usage import usage_of

pytestmark = pytest.mark.django_db

NEW = {
    "code": "fish_ponds",
    "name_vi": "Ao cá",
    "unit": "ao",
    "group": "production",
    "source": "value",
    "aggregation": "sum",
    "position": 245,
}


def _send(client, method, url, body=None):
    return getattr(client, method)(
        url, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )


def test_every_user_reads_the_new_fields(client, cast):
    indicator_retire(actor=None, indicator=Indicator.objects.get(code="wells"), on=datetime.date(2020, 1, 1))  # fmt: skip
    for user in cast.values():
        client.force_login(user)

        rows = {row["code"]: row for row in client.get("/api/v1/indicators").json()}
        share = client.get("/api/v1/indicators/members_minority_share").json()

        assert (share["aggregation"], share["unit"]) == ("ratio", "%")
        assert (share["numerator"], share["denominator"]) == ("members_minority", "members")
        assert rows["livestock_pens"]["parts"] == ["livestock_pens_built", "livestock_pens_moved"]
        assert rows["livestock_pens_built"]["parent"] == "livestock_pens"
        assert rows["wells"]["retired_on"] == "2020-01-01"
        assert rows["money_vnd"]["retired_on"] is None
        assert rows["villages_reached"]["accepts_totals"] is True
        assert rows["awards_collective"]["accepts_totals"] is False
    assert client.get("/api/v1/indicators/nothing").status_code == 404


def test_the_catalogue_list_costs_a_fixed_number_of_queries(client, commune_clerk, django_assert_num_queries):  # fmt: skip
    client.force_login(commune_clerk)
    client.get("/api/v1/indicators")

    with django_assert_num_queries(4):  # session, user, indicators with their relations, parts
        client.get("/api/v1/indicators")


@pytest.mark.parametrize("who", ["lak_clerk", "commune_clerk", "leader", "outsider"])
def test_only_the_province_administrator_writes(client, cast, who):
    client.force_login(cast[who])

    calls = [
        _send(client, "post", "/api/v1/indicators", NEW),
        _send(client, "put", "/api/v1/indicators/wells", NEW | {"code": "wells"}),
        _send(client, "post", "/api/v1/indicators/wells/retire", {"retired_on": "2030-01-01"}),
        _send(client, "post", "/api/v1/indicators/wells/restore"),
        _send(client, "delete", "/api/v1/indicators/wells"),
    ]

    assert [c.status_code for c in calls] == [403] * 5
    assert calls[0].json()["detail"] == "Chỉ quản trị viên cấp tỉnh được quản lý danh mục chỉ tiêu."
    wells = Indicator.objects.get(code="wells")
    assert (wells.name_vi, wells.retired_on) == ("Giếng nước", None)
    assert not Indicator.objects.filter(code="fish_ponds").exists()


def test_the_administrator_creates_edits_retires_and_deletes(client, province_admin):
    client.force_login(province_admin)

    created = _send(client, "post", "/api/v1/indicators", NEW)
    duplicate = _send(
        client, "post", "/api/v1/indicators", NEW | {"code": "ponds", "name_vi": "ao cá"}
    )
    edited = _send(client, "put", "/api/v1/indicators/fish_ponds", NEW | {"name_vi": "Ao nuôi cá"})
    part = _send(client, "post", "/api/v1/indicators", NEW | {"code": "pens_fixed", "name_vi": "Chuồng trại sửa", "unit": "chuồng", "parent": "livestock_pens"})  # fmt: skip
    unknown = _send(client, "post", "/api/v1/indicators", NEW | {"code": "x_share", "name_vi": "Tỉ lệ x", "source": "ratio", "aggregation": "ratio", "unit": "%", "numerator": "nothing", "denominator": "members"})  # fmt: skip
    retired = _send(client, "post", "/api/v1/indicators/fish_ponds/retire", {"retired_on": "2030-01-01"})  # fmt: skip
    deleted = _send(client, "delete", "/api/v1/indicators/fish_ponds")

    assert created.status_code == 201
    assert created.json()["name_vi"] == "Ao cá"
    assert duplicate.status_code == 422
    assert duplicate.json() == {
        "detail": "Đã có chỉ tiêu «Ao cá» (mã fish_ponds); tên chỉ tiêu không được trùng, kể cả khi chỉ khác chữ hoa, chữ thường hay dấu.",
        "field": "name_vi",
    }  # fmt: skip
    assert edited.json()["name_vi"] == "Ao nuôi cá"
    assert part.json()["parent"] == "livestock_pens"
    assert unknown.json() == {"detail": "Không có chỉ tiêu mã «nothing».", "field": "numerator"}
    assert retired.json()["retired_on"] == "2030-01-01"
    assert deleted.status_code == 204
    assert not Indicator.objects.filter(code="fish_ponds").exists()
    actions = set(AuditEntry.objects.filter(actor_username="tinh_admin").values_list("action", flat=True))  # fmt: skip
    assert {"indicators.create", "indicators.update", "indicators.retire", "indicators.delete"} <= actions  # fmt: skip


def test_api_writes_refuse_a_retired_indicator_with_a_message(client, commune_clerk, field):
    indicator_retire(actor=None, indicator=Indicator.objects.get(code="wells"), on=datetime.date(2026, 1, 1))  # fmt: skip
    client.force_login(commune_clerk)
    record = {
        "type": "pdqc", "unit_id": field.lien_son_lak.pk, "start": "2026-02-02", "village_ids": [],
        "team_ids": [], "movements": [], "partners": [], "participants": 10, "values": {"wells": 1},
    }  # fmt: skip
    total = {
        "indicator": "wells", "unit_id": field.lien_son_lak.pk, "period_start": "2026-01-01",
        "period_end": "2026-03-31", "period_label": "Quý I năm 2026", "value": 4,
        "source_number": "3-BC/ĐU", "source_date": "2026-04-02",
    }  # fmt: skip

    activity = _send(client, "post", "/api/v1/activities", record)
    entry = _send(client, "post", "/api/v1/aggregates", total)

    assert activity.status_code == 422
    assert activity.json() == {
        "detail": "«Giếng nước» ngừng sử dụng từ ngày 01/01/2026: không ghi cho hoạt động từ ngày đó.",
        "field": "values.wells",
    }
    assert entry.status_code == 422
    assert entry.json()["detail"].startswith("«Giếng nước» ngừng sử dụng từ ngày 01/01/2026")
    assert usage_of(Indicator.objects.get(code="wells")) == []  # nothing was written
