"""The bulk write path gives the same rows as the single-entry path, column by column."""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from gandan.work.models import Activity, ActivityValue
from gandan.work.services import activities_bulk_create, activity_create

pytestmark = pytest.mark.django_db

ON = datetime.date(2019, 7, 20)


def _row(field, activity_input, title):
    return activity_input(
        field.yang_tao,
        ON,
        [field.yt_a, field.yt_b],
        participants=120,
        participants_female=60,
        partners=["mttq", "chinh_quyen", "mttq"],
        values={"money_vnd": 1_500_000, "compost_tonnes": "2,5"},
        title=title,
        notes="  Buôn Akŏ Dhŏng  ",
        import_key=f"key-{title}",
    )


def _as_written(activity):
    fields = model_to_dict(activity, exclude=["id", "created_at", "updated_at", "import_key"])
    fields["title"] = fields["title"].removesuffix("-bulk").removesuffix("-single")
    fields["villages"] = sorted(v.pk for v in fields["villages"])
    values = ActivityValue.objects.filter(activity=activity).order_by("indicator__code")
    return fields, [(v.indicator.code, v.value) for v in values]


def test_bulk_rows_equal_single_entry_rows_and_keep_their_order(field, activity_input):
    single = activity_create(actor=None, data=_row(field, activity_input, "a-single"))
    rows = [_row(field, activity_input, f"{n}-bulk") for n in "abc"]

    ids = activities_bulk_create(actor=None, rows=rows, label="test")

    written = Activity.objects.in_bulk(ids)
    assert [written[pk].title for pk in ids] == ["a-bulk", "b-bulk", "c-bulk"]
    assert _as_written(written[ids[0]]) == _as_written(single)
    assert written[ids[0]].import_key == "key-a-bulk"
    assert written[ids[0]].created_at is not None
    assert _as_written(single)[1] == [
        ("compost_tonnes", Decimal("2.500")),
        ("money_vnd", Decimal("1500000")),
    ]
