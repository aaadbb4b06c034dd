"""The first acceptance story: the 2004-2019 review reproduced from the demo records."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from gandan.core.numbers import format_number, in_prose
from gandan.demo.services import demo_load

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ARGS = ["--unit", "66", "--from", "2004-07-05", "--to", "2019-09-10", "--boundaries", "2019-09-10"]


def test_the_2019_review_comes_out_of_the_demo_records(capsys):
    # given the demo dataset (loaded once: it takes tens of seconds)
    demo_load()

    # then --json gives the exact underlying numbers
    call_command("summary", *ARGS, "--json")
    data = json.loads(capsys.readouterr().out)
    values = {code: item["value"] for code, item in data["indicators"].items()}

    assert values["campaigns"] >= 12_000
    assert values["villages_reached"] == 604
    assert values["communes_reached"] == 184
    assert values["participants"] > 170_000
    assert values["trainings"] == 568
    assert values["money_vnd"] > 1_036_000_000_000
    assert values["land_m2"] > 612_500
    labour = data["indicators"]["labour_days"]
    assert (labour["value"], labour["qualifier"], labour["unit"]) == (147_048, "hon", "ngày công")
    # the paper total of huyện Lắk for 2004-2008 is one of its sources, used
    assert [(s["kind"], s["status"]) for s in labour["sources"]] == [
        ("records", "used"),
        ("paper", "used"),
    ]
    assert data["headcount"] == {"province": 30, "district": 88, "commune": 402, "total": 520}

    # and --text words them as the article does
    call_command("summary", *ARGS, "--text")
    text = capsys.readouterr().out

    assert "toàn tỉnh có 520 người" in text
    assert "cấp tỉnh có 30 người, cấp huyện có 88 người và cấp xã có 402 người" in text
    assert (
        "tổ chức trên 12.000 đợt phát động quần chúng, tại 604 thôn, buôn, tổ dân phố ở 184 xã, phường, "
        "thị trấn, với trên 170.000 lượt người tham gia" in text
    )
    assert "568 buổi hướng dẫn" in text
    assert "hơn 1.036 tỷ đồng, hiến trên 612.500 m² đất, hơn 147.048 ngày công" in text
    assert "Bằng khen cho 12 tập thể và 13 cá nhân" in text

    # and every other indicator with data is stated too, with its unit and qualifier
    said_elsewhere = {"members", "communes_reached", "issues_resolved"}
    for code, item in data["indicators"].items():
        if not item["value"] or code in said_elsewhere:
            continue
        figure = str(in_prose(Decimal(str(item["value"])), item["unit"], item["qualifier"]))
        if code in ("awards_collective", "awards_individual"):
            figure = format_number(item["value"])
        figure = figure.replace(" %", "%")  # "79,6%", as Vietnamese writes a percentage
        assert figure in text, (code, figure)
    assert "trên 1.250 vườn rau" in text  # huyện Krông Bông's paper total, "trên" kept

    # the same additive totals under the 2025 boundaries: nothing is lost
    call_command("summary", *ARGS[:-1], "2025-07-01", "--json")
    later = json.loads(capsys.readouterr().out)["indicators"]
    for code, item in data["indicators"].items():
        if code not in ("villages_reached", "communes_reached"):  # distinct places differ
            assert (later[code]["value"], later[code]["qualifier"]) == (
                item["value"],
                item["qualifier"],
            ), code
