"""The generated forms: one per activity type, from the catalogue, with the user's places
on the download day, cascading commune → village, and a version that follows the catalogue."""

import datetime
import re

import pytest
from defusedxml import ElementTree as defused

from gandan.field import selectors
from gandan.field.tests.collect import XF
from gandan.field.xlsform import form_version, villages_csv
from gandan.indicators.models import Indicator
from gandan.work.models import ActivityType, Movement

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 9, 1)
H = "{http://www.w3.org/1999/xhtml}"


def _form(user, code="pdqc", on=TODAY):
    forms = {f.form_id: f for f in selectors.field_forms(user, on)}
    return forms[f"gandan_{code}"]


def _choices(xml: str, list_name: str) -> list[str]:
    root = defused.fromstring(xml)
    for instance in root.iter(f"{XF}instance"):
        if instance.get("id") == list_name:
            return [item.findtext(f"{XF}name") for item in instance.iter(f"{XF}item")]
    return []


def test_one_form_per_activity_type_with_every_value_indicator(commune_clerk, field):
    forms = selectors.field_forms(commune_clerk, TODAY)

    assert [f.form_id for f in forms] == [f"gandan_{t.code}" for t in ActivityType.objects.all()]
    xml = forms[0].xml
    root = defused.fromstring(xml)
    binds = {b.get("nodeset").rsplit("/", 1)[-1]: b for b in root.iter(f"{XF}bind")}
    for indicator in Indicator.objects.filter(source="value"):
        bind = binds[f"v_{indicator.code}"]
        assert bind.get("type") == ("int" if indicator.integer_only else "decimal")
        assert bind.get("constraint") == ". >= 0"
    for question in ("start", "end", "commune", "villages", "participants",
                     "participants_female", "participants_minority", "movements", "partners",
                     "notes", "photo", "instanceID"):  # fmt: skip
        assert question in binds, question
    assert binds["participants_female"].get("constraint") == ". >= 0 and . <=  /data/participants "
    assert root.find(f"{H}head/{H}title").text == "Gần Dân · Đợt phát động quần chúng"


def test_labels_are_vietnamese_first_and_english(commune_clerk, field):
    xml = _form(commune_clerk).xml

    assert '<translation lang="Tiếng Việt (vi)" default="true()">' in xml
    assert '<translation lang="English (en)">' in xml
    assert "<value>Lượt người tham gia</value>" in xml
    assert "<value>Leaflets (tờ)</value>" in xml or "<value>Tờ rơi (tờ)</value>" in xml


@pytest.mark.parametrize(
    ("who", "communes"),
    [
        ("commune_clerk", {"lien_son_lak"}),
        ("outsider", {"dak_pek"}),
    ],
)
def test_commune_choices_are_the_users_on_the_download_day(request, field, who, communes):
    user = request.getfixturevalue(who)

    choices = _choices(_form(user).xml, "communes")

    assert set(choices) == {str(getattr(field, name).pk) for name in communes}


def test_a_district_clerk_has_no_form_after_the_district_ended(lak_clerk, field):
    assert selectors.field_forms(lak_clerk, datetime.date(2025, 7, 1)) == []
    assert selectors.field_forms(lak_clerk, datetime.date(2025, 6, 30)) != []


def test_the_province_admin_gets_every_commune_of_the_day(province_admin, field):
    assert len(_choices(_form(province_admin).xml, "communes")) == 102


def test_villages_come_from_the_media_file_filtered_by_the_chosen_commune(commune_clerk, field):
    form = _form(commune_clerk)
    rows = villages_csv(selectors.places_for(commune_clerk, TODAY)).decode().splitlines()

    assert '<instance id="villages" src="jr://file-csv/villages.csv"/>' in form.xml
    assert re.search(r"instance\('villages'\)/root/item\[commune= /data/commune \]", form.xml)
    assert rows[0] == "name,label,commune"
    communes = set(_choices(form.xml, "communes"))
    assert {row.rsplit(",", 1)[1] for row in rows[1:]} <= communes
    assert {row.split(",")[1] for row in rows[1:]} >= {
        "Buôn Yang Lah",
        "Buôn Akŏ Dhŏng",
        "Buôn Dơng Băk",
    }


def test_before_the_reform_the_villages_hang_under_their_legacy_commune(province_admin, field):
    rows = villages_csv(selectors.places_for(province_admin, datetime.date(2019, 9, 10))).decode()

    assert f"{field.yt_a.pk},Buôn Yang Lah,{field.yang_tao.pk}" in rows
    assert f"{field.bk_a.pk},Buôn Dơng Băk,{field.bong_krang.pk}" in rows


def test_the_version_follows_the_catalogue_not_the_places(commune_clerk, field, places):
    from gandan.geo.models import Kind
    from gandan.geo.services import village_create

    before = _form(commune_clerk)
    csv_before = villages_csv(selectors.places_for(commune_clerk, TODAY))
    village_create(actor=None, commune=field.lien_son_lak, name="Buôn Mới", kind=Kind.BUON,
                   valid_from=datetime.date(2025, 8, 1))  # fmt: skip
    commune_clerk = type(commune_clerk).objects.get(pk=commune_clerk.pk)  # a new request
    with_village = _form(commune_clerk)
    csv_after = villages_csv(selectors.places_for(commune_clerk, TODAY))
    Indicator.objects.create(code="wells_repaired", name_vi="Giếng sửa chữa", name_en="Wells repaired",
                             unit="giếng", group="production", aggregation="sum")  # fmt: skip
    with_indicator = _form(commune_clerk)

    assert with_village.version == before.version
    assert with_village.md5 == before.md5
    assert csv_after != csv_before  # the manifest's hash changes: Collect fetches the file again
    assert with_indicator.version != before.version
    assert "v_wells_repaired" in with_indicator.xml


def test_a_unit_change_makes_a_new_version():
    pdqc = ActivityType.objects.get(code="pdqc")
    indicators = list(Indicator.objects.filter(source="value"))
    movements = list(Movement.objects.all())
    before = form_version(pdqc, indicators, movements)

    indicators[0].unit = "nghìn " + indicators[0].unit

    assert form_version(pdqc, indicators, movements) != before
    assert re.fullmatch(r"v[0-9a-f]{10}", before)


def test_teams_working_in_the_jurisdiction_are_a_choice(commune_clerk, field):
    from gandan.org import services as org_services
    from gandan.tests.cast import REFORM

    team = org_services.team_create(actor=None, name="Tổ công tác xã Liên Sơn Lắk",
                                    unit=field.lien_son_lak, established_on=REFORM, kind="to")  # fmt: skip

    assert _choices(_form(commune_clerk).xml, "teams") == [str(team.pk)]
