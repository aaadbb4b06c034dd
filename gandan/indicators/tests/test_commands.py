import json

import pytest
from django.core.management import call_command

from gandan.indicators.models import Indicator
from gandan.indicators.services import IndicatorInput, indicator_create

pytestmark = pytest.mark.django_db

DOMAIN_CODES = {
    "members", "teams", "villages_assigned", "campaigns", "villages_reached", "communes_reached",
    "participants", "key_people_mobilised", "propaganda_sessions", "loudspeaker_runs", "bulletins",
    "leaflets", "news_items", "commitments_signed", "trainings", "training_participants",
    "vegetable_gardens", "nurseries", "compost_tonnes", "livestock_pens_built", "livestock_pens_moved",
    "wells", "households_sanitation", "models", "money_vnd", "land_m2", "labour_days", "roads_km",
    "summer_classes", "students_returned", "union_chapters_strengthened", "party_cells_strengthened",
    "members_recruited", "village_conventions", "issues_received", "issues_resolved",
    "awards_collective", "awards_individual",
}  # fmt: skip


def test_the_catalogue_is_seeded_with_every_indicator_of_the_domain():
    assert set(Indicator.objects.values_list("code", flat=True)) >= DOMAIN_CODES


def test_indicators_json_lists_the_catalogue_with_added_ones(capsys):
    indicator_create(actor=None, data=IndicatorInput(
        code="coffee_trees", name_vi="Cây cà phê tái canh", name_en="Coffee trees", unit="cây",
        group="production", aggregation="sum", source="value",
    ))  # fmt: skip

    call_command("indicators", "--json")
    rows = {row["code"]: row for row in json.loads(capsys.readouterr().out)}

    assert rows["money_vnd"]["unit"] == "đồng"
    assert rows["villages_reached"]["aggregation"] == "distinct_places"
    assert "coffee_trees" in rows
    assert (rows["members_minority_share"]["numerator"], rows["members_minority_share"]["denominator"]) == ("members_minority", "members")  # fmt: skip
    assert rows["livestock_pens_moved"]["parent"] == "livestock_pens"
    assert rows["money_vnd"]["retired_on"] is None
