"""Correcting and deleting works and paper-report totals: the services (same rules as
entry, the records-versus-totals rule included, audited), the pages and the API, for each
of the cast."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.work import services
from gandan.work.models import ActivityValue, AggregateEntry, Work, WorkContribution
from gandan.work.tests.records import build_records, counts, rolled_back

pytestmark = pytest.mark.django_db

CAST = ["province_admin", "lak_clerk", "commune_clerk", "leader", "outsider"]
# Who sees what: a work at a village of the legacy Yang Tao, a total of huyện Lắk (2004–2008).
SEES_WORK = {"province_admin", "lak_clerk", "commune_clerk", "leader"}
SEES_LAK_TOTAL = {"province_admin", "lak_clerk", "leader"}


@pytest.fixture
def records(field):
    r = build_records(field)
    r.road = services.work_create(
        actor=None,
        name="Đường buôn Yang Lah",
        kind="road",
        place=field.yt_a,
        started_on=datetime.date(2012, 1, 5),
    )
    services.work_link_contributions(actor=None, work=r.road, activity=r.yang_tao)
    r.gardens = _total(field.lak, "vegetable_gardens", value="5700")
    return r


def _total(unit, code, start=(2004, 7, 5), end=(2008, 12, 31), value="100", **extra):
    return services.aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code=code), unit=unit,
        period_start=datetime.date(*start), period_end=datetime.date(*end),
        period_label=extra.pop("label", "2004 - 2008"), value=value, qualifier="tren",
        source_number="45-BC/HU", source_date=datetime.date(2009, 1, 10), **extra,
    )  # fmt: skip


def _as_input(entry, **changes):
    fields = {
        "indicator": entry.indicator, "unit": entry.unit, "period_start": entry.period_start,
        "period_end": entry.period_end, "period_label": entry.period_label, "value": entry.value,
        "qualifier": entry.qualifier, "source_number": entry.source_number,
        "source_date": entry.source_date, "source_title": entry.source_title,
    }  # fmt: skip
    return services.AggregateInput(**(fields | changes))


def _html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


# Services. ------------------------------------------------------------------------------------------


def test_a_total_is_corrected_by_the_rules_of_entry_and_audited(records):
    entry = records.gardens
    entry.import_key = "k:1"
    entry.save()

    services.aggregate_entry_update(
        actor=None, entry=entry, data=_as_input(entry, value="6000", qualifier="hon")
    )

    entry.refresh_from_db()
    assert (entry.value, entry.qualifier, entry.import_key) == (6000, "hon", "")
    audit = AuditEntry.objects.filter(action="work.aggregate_update").get()
    assert audit.target_id == str(entry.pk)
    assert "trên" in audit.message
    assert "hơn" in audit.message


@pytest.mark.parametrize(
    ("changes", "name", "words"),
    [
        ({"value": "-1"}, "value", "không được âm"),
        ({"value": "12,5"}, "value", "phải là số nguyên"),
        ({"value": "abc"}, "value", "không phải là số"),
        ({"period_end": datetime.date(2004, 1, 1)}, "period_end", "Cuối kỳ"),
        ({"source_number": " "}, "source_number", "số văn bản"),
        ({"indicator": "awards_collective"}, "indicator", "lấy từ hồ sơ tổ chức"),
        # the same total as another one of Lắk
        (
            {"period_start": datetime.date(2009, 1, 1), "period_end": datetime.date(2011, 12, 31)},
            "period_start",
            "trùng thời gian",
        ),
    ],
)
def test_a_refused_correction_names_the_field_and_writes_nothing(records, changes, name, words):
    _total(records.places.lak, "vegetable_gardens", (2009, 1, 1), (2011, 12, 31), label="2009 - 2011")  # fmt: skip
    entry = records.gardens
    if isinstance(changes.get("indicator"), str):
        changes["indicator"] = Indicator.objects.get(code=changes["indicator"])
    before = (counts(), AggregateEntry.objects.get(pk=entry.pk).value)

    with pytest.raises(DomainError) as refused:
        services.aggregate_entry_update(actor=None, entry=entry, data=_as_input(entry, **changes))

    assert refused.value.field == name
    assert words in refused.value.message
    assert (counts(), AggregateEntry.objects.get(pk=entry.pk).value) == before


def test_a_work_is_corrected_by_the_rules_of_entry(records):
    road = records.road
    data = services.WorkInput(
        name="  Đường   bê tông buôn Yang Lah ", kind="road", place=records.places.yt_b,
        status="done", started_on=datetime.date(2012, 1, 5), completed_on=datetime.date(2012, 6, 1),
    )  # fmt: skip

    services.work_update(actor=None, work=road, data=data)

    road.refresh_from_db()
    assert (road.name, road.place, road.status) == ("Đường bê tông buôn Yang Lah", records.places.yt_b, "done")  # fmt: skip
    assert road.contributions.count() == 2  # money and land of the campaign stay linked
    assert AuditEntry.objects.filter(action="work.work_update", target_id=str(road.pk)).exists()
    for bad, field in [
        ({"name": " "}, "name"),
        ({"kind": "tower"}, "kind"),
        ({"status": "xong"}, "status"),
        ({"completed_on": datetime.date(2011, 1, 1)}, "completed_on"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.work_update(
                actor=None, work=road, data=services.WorkInput(**(vars(data) | bad))
            )
        assert refused.value.field == field
    road.refresh_from_db()
    assert road.completed_on == datetime.date(2012, 6, 1)


def test_deleting_a_work_keeps_the_values_counted_through_the_activity(records):
    values = ActivityValue.objects.count()

    services.work_delete(actor=None, work=records.road)

    assert not Work.objects.exists()
    assert not WorkContribution.objects.exists()
    assert ActivityValue.objects.count() == values
    audit = AuditEntry.objects.get(action="work.work_delete")
    assert "bỏ 2 liên kết đóng góp" in audit.message


# Pages. ---------------------------------------------------------------------------------------------


def _work_form(records, **extra):
    data = {"name": "Đường bê tông buôn Yang Lah", "kind": "road", "place": records.places.yt_a.pk,
            "status": "done", "started_on": "2012-01-05", "completed_on": "2012-06-01"}  # fmt: skip
    return data | extra


def _total_form(entry, **extra):
    data = {"indicator": entry.indicator_id, "unit": entry.unit_id, "period_start": "2004-07-05",
            "period_end": "2008-12-31", "period_label": "2004 - 2008", "qualifier": "hon",
            "value": "6.000", "source_number": "45-BC/HU", "source_date": "2009-01-10"}  # fmt: skip
    return data | extra


def _expected(who, sees, write):
    if who not in sees:
        return 404
    return 403 if write and who == "leader" else 200


@pytest.mark.parametrize("who", CAST)
def test_work_pages_for_each_of_the_cast(client, cast, records, who):
    client.force_login(cast[who])
    road = records.road
    base = f"/works/{road.pk}"

    detail = client.get(f"{base}/")
    edit_form = client.get(f"{base}/edit/")
    confirm = client.get(f"{base}/delete/")
    with rolled_back():
        edited = client.post(f"{base}/edit/", _work_form(records))
        renamed = Work.objects.filter(pk=road.pk, status="done").exists()
    with rolled_back():
        deleted = client.post(f"{base}/delete/")
        gone = not Work.objects.filter(pk=road.pk).exists()

    assert detail.status_code == _expected(who, SEES_WORK, write=False)
    assert (edit_form.status_code, confirm.status_code) == (_expected(who, SEES_WORK, write=True),) * 2  # fmt: skip
    writes = _expected(who, SEES_WORK, write=True)
    assert edited.status_code == (302 if writes == 200 else writes)
    assert deleted.status_code == (302 if writes == 200 else writes)
    assert (renamed, gone) == (writes == 200, writes == 200)
    if detail.status_code == 200:
        page = _html(detail)
        assert bool(page.find("a", string="Sửa")) is (writes == 200)
        assert "15.000.000 đồng" in page.select_one("table.contributions").get_text()


@pytest.mark.parametrize("who", CAST)
def test_total_pages_for_each_of_the_cast(client, cast, records, who):
    client.force_login(cast[who])
    entry = records.gardens
    base = f"/aggregates/{entry.pk}"

    detail = client.get(f"{base}/")
    edit_form = client.get(f"{base}/edit/")
    with rolled_back():
        edited = client.post(f"{base}/edit/", _total_form(entry))
        changed = AggregateEntry.objects.filter(pk=entry.pk, value=6000).exists()
    with rolled_back():
        deleted = client.post(f"{base}/delete/")
        gone = not AggregateEntry.objects.filter(pk=entry.pk).exists()

    writes = _expected(who, SEES_LAK_TOTAL, write=True)
    assert detail.status_code == _expected(who, SEES_LAK_TOTAL, write=False)
    assert edit_form.status_code == writes
    assert (edited.status_code, deleted.status_code) == ((302, 302) if writes == 200 else (writes,) * 2)  # fmt: skip
    assert (changed, gone) == (writes == 200, writes == 200)
    if detail.status_code == 200:
        assert "trên 5.700 vườn" in _html(detail).select_one("h1").get_text()


def test_the_edit_forms_show_what_is_on_record(client, lak_clerk, records):
    client.force_login(lak_clerk)

    total = _html(client.get(f"/aggregates/{records.gardens.pk}/edit/"))
    work = _html(client.get(f"/works/{records.road.pk}/edit/"))

    assert total.select_one("#id_value")["value"] == "5.700"
    assert total.select_one("#id_unit option[selected]")["value"] == str(records.places.lak.pk)
    assert work.select_one("#id_name")["value"] == "Đường buôn Yang Lah"
    assert work.select_one("#id_started_on")["value"] == "2012-01-05"


def test_a_delete_asks_first(client, lak_clerk, records):
    client.force_login(lak_clerk)

    page = _html(client.get(f"/works/{records.road.pk}/delete/"))

    assert "Xóa công trình?" in page.select_one("h1").get_text()
    assert "2 khoản đóng góp" in page.select_one("form.confirm-delete").get_text()
    assert Work.objects.filter(pk=records.road.pk).exists()


@pytest.mark.parametrize(
    ("changes", "name", "words"),
    [
        ({"value": "-5"}, "value", "không được âm"),
        ({"value": "1.5"}, "value", "dấu chấm chỉ dùng để tách hàng nghìn"),
        ({"period_start": "2025-07-01", "period_end": "2025-12-31"}, "unit", "không thuộc địa bàn"),
    ],
)
def test_a_refused_total_correction_is_a_form_error(client, lak_clerk, records, changes, name, words):  # fmt: skip
    client.force_login(lak_clerk)
    if "indicator" in changes:
        changes["indicator"] = Indicator.objects.get(code=changes["indicator"]).pk
    before = counts()

    response = client.post(f"/aggregates/{records.gardens.pk}/edit/", _total_form(records.gardens, **changes))  # fmt: skip

    assert response.status_code == 400
    box = _html(response).select_one(f"#id_{name}").find_parent(class_="field")
    assert words in box.select_one(".errorlist").get_text()
    assert counts() == before
    assert AggregateEntry.objects.get(pk=records.gardens.pk).value == 5700


def test_a_refused_work_correction_is_a_form_error(client, commune_clerk, records):
    client.force_login(commune_clerk)

    late = client.post(f"/works/{records.road.pk}/edit/", _work_form(records, completed_on="2011-01-01"))  # fmt: skip
    not_theirs = client.post(f"/works/{records.road.pk}/edit/", _work_form(records, place=records.places.nam_ka.pk))  # fmt: skip

    assert (late.status_code, not_theirs.status_code) == (400, 400)
    assert "sau ngày khởi công" in _html(late).get_text()
    place = _html(not_theirs).select_one("#id_place").find_parent(class_="field")
    assert "has-error" in place["class"]  # Nam Ka was never the Liên Sơn Lắk clerk's
    assert Work.objects.get().status == "building"


# API. -----------------------------------------------------------------------------------------------


def _send(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")  # fmt: skip


def _work_body(records, **extra):
    body = {"name": "Đường bê tông", "kind": "road", "place_id": records.places.yt_a.pk,
            "status": "done", "started_on": "2012-01-05"}  # fmt: skip
    return body | extra


def _total_body(**extra):
    body = {"indicator": "vegetable_gardens", "period_start": "2004-07-05", "period_end": "2008-12-31",
            "period_label": "2004 - 2008", "value": 6000, "qualifier": "hon",
            "source_number": "45-BC/HU", "source_date": "2009-01-10"}  # fmt: skip
    return body | extra


@pytest.mark.parametrize("who", CAST)
def test_api_changes_to_works_and_totals_for_each_of_the_cast(client, cast, records, who):
    client.force_login(cast[who])
    road, entry = records.road, records.gardens
    total_body = _total_body(unit_id=records.places.lak.pk)

    with rolled_back():
        put_work = _send(client, "put", f"/api/v1/works/{road.pk}", _work_body(records))
    with rolled_back():
        delete_work = client.delete(f"/api/v1/works/{road.pk}")
        work_gone = not Work.objects.filter(pk=road.pk).exists()
    with rolled_back():
        put_total = _send(client, "put", f"/api/v1/aggregates/{entry.pk}", total_body)
    with rolled_back():
        delete_total = client.delete(f"/api/v1/aggregates/{entry.pk}")
        total_gone = not AggregateEntry.objects.filter(pk=entry.pk).exists()

    works = _expected(who, SEES_WORK, write=True)
    totals = _expected(who, SEES_LAK_TOTAL, write=True)
    assert (put_work.status_code, delete_work.status_code, work_gone) == (works, 204 if works == 200 else works, works == 200)  # fmt: skip
    assert (put_total.status_code, delete_total.status_code, total_gone) == (totals, 204 if totals == 200 else totals, totals == 200)  # fmt: skip
    if works == 200:
        assert (put_work.json()["name"], put_work.json()["status"]) == ("Đường bê tông", "done")
        assert put_work.json()["contributions"] == {"money_vnd": 15000000, "land_m2": 320}
    if totals == 200:
        assert (put_total.json()["value"], put_total.json()["qualifier"]) == (6000, "hon")


def test_api_refuses_bad_corrections_with_422_and_writes_nothing(client, lak_clerk, records):
    client.force_login(lak_clerk)
    f = records.places
    before = (counts(), list(AggregateEntry.objects.values_list("value", flat=True)))
    url = f"/api/v1/aggregates/{records.gardens.pk}"

    twice = _total(f.lak, "vegetable_gardens", (2009, 1, 1), (2011, 12, 31), label="2009 - 2011")
    before = (counts(), list(AggregateEntry.objects.values_list("value", flat=True)))
    same_total = _send(client, "put", url, _total_body(unit_id=f.lak.pk, period_start="2009-01-01", period_end="2011-12-31"))  # fmt: skip
    negative = _send(client, "put", url, _total_body(unit_id=f.lak.pk, value=-1))
    unknown = _send(client, "put", url, _total_body(unit_id=f.lak.pk, indicator="khong_co"))
    not_theirs = _send(client, "put", url, _total_body(unit_id=f.ea_kao.pk))
    bad_work = _send(client, "put", f"/api/v1/works/{records.road.pk}", _work_body(records, kind="tower"))  # fmt: skip

    assert [r.status_code for r in (same_total, negative, unknown, not_theirs, bad_work)] == [422, 422, 422, 404, 422]  # fmt: skip
    assert [r.json()["field"] for r in (same_total, negative, unknown, bad_work)] == ["period_start", "value", "indicator", "kind"]  # fmt: skip
    assert twice.source_number in same_total.json()["detail"]
    assert (counts(), list(AggregateEntry.objects.values_list("value", flat=True))) == before


def test_api_changes_need_a_login(client, records):
    for method, url in [("put", f"/api/v1/works/{records.road.pk}"), ("delete", f"/api/v1/works/{records.road.pk}"),
                        ("put", f"/api/v1/aggregates/{records.gardens.pk}"), ("delete", f"/api/v1/aggregates/{records.gardens.pk}")]:  # fmt: skip
        assert _send(client, method, url).status_code == 401, (method, url)
