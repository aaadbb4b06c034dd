"""What work's writes do to the figures: records under a paper total, a total over records,
a deleted total, and the same through the API (ADR 0007). The writes are work's services
and API; the figures are the engine's."""

import datetime

import pytest

from gandan.analytics.engine import aggregate
from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.work.models import Activity, AggregateEntry
from gandan.work.services import activity_create, aggregate_entry_create, aggregate_entry_delete
from gandan.work.tests.records import ON, paper_total

pytestmark = pytest.mark.django_db


def _campaigns(unit, start, end):
    return aggregate(
        unit=unit,
        start=datetime.date(*start),
        end=datetime.date(*end),
        indicators=[Indicator.objects.get(code="campaigns")],
    )["campaigns"]


def test_records_under_a_paper_total_are_kept_and_not_counted_twice(field, activity_input):
    # given the district reported "trên 5.700 đợt" for 2004-2008
    paper_total(field.lak)

    # when a detailed campaign in one of its communes in 2006 is recorded
    activity_create(
        actor=None, data=activity_input(field.yang_tao, datetime.date(2006, 5, 1), [field.yt_a])
    )

    # then it is kept, and the district's figure is still the paper total (ADR 0007)
    assert Activity.objects.count() == 1
    figure = _campaigns(field.lak, (2004, 7, 5), (2008, 12, 31))
    assert (figure.value, figure.qualifier) == (5700, "tren")
    assert [s.status for s in figure.sources] == ["used", "used"]
    assert "nằm trong phạm vi báo cáo giấy" in figure.sources[0].reason


def test_a_paper_total_over_records_is_kept_and_the_larger_lower_bound_wins(field, activity_input):
    # given two recorded campaigns in a commune of Lắk in 2006
    for day in (1, 2):
        activity_create(
            actor=None,
            data=activity_input(field.yang_tao, datetime.date(2006, 5, day), [field.yt_a]),
        )

    # when the district's paper report says "1" for 2004-2008 (less than the records)
    paper_total(field.lak, value="1", qualifier="exact")

    # then the total is kept, and the records, which hold more, make the figure
    figure = _campaigns(field.lak, (2004, 7, 5), (2008, 12, 31))
    assert AggregateEntry.objects.count() == 1
    assert (figure.value, figure.qualifier) == (2, "exact")
    assert [s.status for s in figure.sources] == ["used", "covered"]


def test_deleting_a_total_lets_the_records_under_it_count(field, activity_input):
    # given huyện Lắk's paper total of campaigns for 2004-2008 and a record under it
    f = field
    total = paper_total(f.lak)
    activity_create(
        actor=None, data=activity_input(f.yang_tao, datetime.date(2006, 5, 1), [f.yt_a])
    )
    campaigns = Indicator.objects.get(code="campaigns")

    def figure():
        return aggregate(
            unit=f.lak,
            start=datetime.date(2004, 7, 5),
            end=datetime.date(2008, 12, 31),
            indicators=[campaigns],
        )["campaigns"]

    assert (figure().value, figure().qualifier) == (5700, "tren")

    # when the total is deleted
    pk = total.pk
    aggregate_entry_delete(actor=None, entry=total)

    # then the record is the figure, and the deletion is audited
    assert (figure().value, figure().qualifier) == (1, "exact")
    assert AuditEntry.objects.filter(action="work.aggregate_delete", target_id=str(pk)).exists()  # fmt: skip


def test_a_record_a_paper_total_covers_is_kept_and_not_counted_twice(client, lak_clerk, field):
    aggregate_entry_create(
        actor=None, indicator=Indicator.objects.get(code="money_vnd"), unit=field.lak,
        period_start=ON.replace(year=2013), period_end=ON.replace(year=2013, month=12),
        period_label="2013", value="1000", source_number="1-BC", source_date=ON.replace(year=2014),
    )  # fmt: skip
    client.force_login(lak_clerk)
    body = {
        "type": "pdqc", "unit_id": field.yang_tao.pk, "start": "2013-05-01", "village_ids": [],
        "team_ids": [], "movements": [], "partners": [], "participants": 240,
        "values": {"money_vnd": 15000000},
    }  # fmt: skip

    kept = client.post("/api/v1/activities", body, content_type="application/json")
    draft = client.post(
        "/api/v1/activities", {**body, "status": "draft"}, content_type="application/json"
    )

    assert (kept.status_code, draft.status_code) == (201, 201)
    money = aggregate(
        unit=field.lak, start=ON.replace(year=2013), end=ON.replace(year=2013, month=12),
        indicators=[Indicator.objects.get(code="money_vnd")],
    )["money_vnd"]  # fmt: skip
    # the record's money is inside the district's paper total: the larger of the two counts
    assert money.value == max(1000, kept.json()["values"]["money_vnd"])
