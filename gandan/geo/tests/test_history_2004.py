"""The tree of Đắk Lắk from 5-7-2004 (issue 10, part G): units born later are not there
before their decree, units that ended before 2019 are, with their successors, and the
unit-count table in ``docs/admin-history.md`` is what the data gives."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from gandan.geo.importers_history import DATA_DIR, history_for
from gandan.geo.models import AdminUnit, Level, UnitChange
from gandan.geo.selectors import (
    unit_by_code,
    unit_count_dates,
    unit_counts,
    units_on,
    version_on,
)
from gandan.geo.tree import tree

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[3] / "docs" / "admin-history.md"
DAY = datetime.timedelta(days=1)
CU_KUIN_ON = datetime.date(2007, 8, 27)  # NĐ 137/2007/NĐ-CP, signed (effect not confirmed)
BUON_HO_ON = datetime.date(2009, 1, 18)  # NĐ 07/NĐ-CP of 23-12-2008, in force 18-1-2009


def _names_on(on, level, within="66"):
    province = unit_by_code(within, level=Level.PROVINCE, on=on)
    return {v.name for v in units_on(on, level=level, within=province)}


def test_the_count_table_in_the_docs_is_what_the_data_gives():
    # given the table in docs/admin-history.md (printed by `gandan unit_counts`)
    rows = re.findall(r"^\| (\d\d-\d\d-\d{4}) \| (\d+) \| (\d+) \|", DOC.read_text(), re.M)
    documented = {
        datetime.date(int(day[6:]), int(day[3:5]), int(day[:2])): (int(d), int(c))
        for day, d, c in rows
    }
    assert list(documented) == unit_count_dates()

    # then every row is what the loaded tree says
    computed = {row.on: (row.districts, row.communes) for row in unit_counts("66", documented)}
    assert computed == documented

    # and the command prints the same table
    out = io.StringIO()
    call_command("unit_counts", "--province", "66", stdout=out)
    assert re.findall(r"^\| (\d\d-\d\d-\d{4}) \| (\d+) \| (\d+) \|", out.getvalue(), re.M) == rows


def test_thirteen_districts_on_the_founding_day_and_fifteen_in_2019():
    districts_2004 = _names_on(datetime.date(2004, 7, 5), Level.DISTRICT)
    assert len(districts_2004) == 13
    assert {"Cư Kuin", "Buôn Hồ"} & districts_2004 == set()
    (review,) = unit_counts("66", [datetime.date(2019, 9, 10)])
    assert (review.districts, review.communes) == (15, 184)


def test_cu_kuin_begins_with_its_decree_and_takes_its_communes_from_krong_ana():
    assert "Cư Kuin" not in _names_on(datetime.date(2007, 8, 1), Level.DISTRICT)
    assert "Cư Kuin" not in _names_on(CU_KUIN_ON - DAY, Level.DISTRICT)
    assert "Cư Kuin" in _names_on(CU_KUIN_ON, Level.DISTRICT)

    cu_kuin = unit_by_code("657", level=Level.DISTRICT, on=CU_KUIN_ON)
    ea_tieu = unit_by_code("24547", level=Level.COMMUNE, on=CU_KUIN_ON)
    assert version_on(ea_tieu, CU_KUIN_ON - DAY).parent.name == "Krông A Na"
    assert version_on(ea_tieu, CU_KUIN_ON).parent == cu_kuin
    # the territory came from Krông Ana, with the decree as basis
    (change,) = UnitChange.objects.filter(successions__successor=cu_kuin)
    assert change.subject.code == "655"
    assert change.legal_basis.number == "137/2007/NĐ-CP"
    assert change.effective_on == CU_KUIN_ON
    # before it began, its records count as Krông Ana's
    krong_ana = unit_by_code("655", level=Level.DISTRICT, on=CU_KUIN_ON)
    assert tree().forerunners(cu_kuin.pk, datetime.date(2005, 1, 1)) == {krong_ana.pk}


def test_buon_ho_begins_on_the_day_its_decree_took_effect_not_the_day_it_was_signed():
    assert "Buôn Hồ" not in _names_on(datetime.date(2008, 12, 23), Level.DISTRICT)
    assert "Buôn Hồ" not in _names_on(BUON_HO_ON - DAY, Level.DISTRICT)
    assert "Buôn Hồ" in _names_on(BUON_HO_ON, Level.DISTRICT)
    basis = UnitChange.objects.filter(effective_on=BUON_HO_ON).first().legal_basis
    assert (basis.number, basis.issued_on, basis.effective_on) == (
        "07/NĐ-CP",
        datetime.date(2008, 12, 23),
        BUON_HO_ON,
    )


def test_the_old_township_of_buon_ho_is_succeeded_by_the_wards_of_the_town():
    # given thị trấn Buôn Hồ, which ended before 2019 and is in no catalogue
    township = AdminUnit.objects.get(code="LS66-0001")
    assert township.valid_to == BUON_HO_ON
    assert version_on(township, BUON_HO_ON - DAY).parent.name == "Krông Búk"
    assert "Buôn Hồ" in _names_on(BUON_HO_ON - DAY, Level.COMMUNE)

    # then its territory went to five wards, An Lạc by default
    found = tree()
    wards = {AdminUnit.objects.get(pk=pk).name for pk in found.successors(township.pk, BUON_HO_ON)}
    assert wards == {"An Lạc", "An Bình", "Thiện An", "Đạt Hiếu", "Bình Tân"}
    default = AdminUnit.objects.get(pk=found.default_successor(township.pk, BUON_HO_ON))
    assert default.name == "An Lạc"
    # and in 2025 its records still reach the province through the wards' successors
    assert found.successors(township.pk, datetime.date(2025, 7, 1))


def test_renames_keep_the_old_name_before_the_decree():
    ea_pal = unit_by_code("24400", level=Level.COMMUNE, on=datetime.date(2019, 9, 10))
    assert version_on(ea_pal, datetime.date(2005, 3, 22)).name == "Ea Păn"
    assert version_on(ea_pal, datetime.date(2005, 3, 23)).name == "Ea Păl"
    doan_ket = unit_by_code("24322", level=Level.COMMUNE, on=datetime.date(2019, 9, 10))
    assert version_on(doan_ket, BUON_HO_ON - DAY).full_name == "Xã Đoàn Kết"
    assert version_on(doan_ket, BUON_HO_ON).full_name == "Phường Đoàn Kết"


def test_communes_established_2005_and_2007_are_absent_before_their_decree():
    def codes(on):
        province = unit_by_code("66", level=Level.PROVINCE, on=on)
        return {v.unit.code for v in units_on(on, level=Level.COMMUNE, within=province)}

    new_2005 = {"24561", "24401", "24404"}  # Dray Bhăng, Cư Prông, Cư Elang
    assert new_2005 & codes(datetime.date(2005, 3, 22)) == set()
    assert new_2005 <= codes(datetime.date(2005, 3, 23))
    assert "24380" not in codes(CU_KUIN_ON - DAY)  # Ea Sar
    assert "24380" in codes(CU_KUIN_ON)


def test_historic_codes_never_collide_with_official_ones():
    history = history_for("66")
    assert history is not None
    for item in history.spec["historic_units"]:
        assert re.fullmatch(r"LS\d{2}-\d{4}", item["code"]), item["code"]
    official = AdminUnit.objects.exclude(level=Level.VILLAGE).exclude(code__startswith="LS")
    assert all(code.isdigit() for code in official.values_list("code", flat=True))


def test_every_change_names_a_decree_and_says_whether_it_is_confirmed():
    for path in DATA_DIR.glob("*_2004_2019.json"):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for change in spec["changes"]:
            assert change["document"] in spec["documents"], change
            assert isinstance(change["confirmed"], bool), change
            assert change["description"], change
        for document in spec["documents"].values():
            assert document["sources"], document
            assert isinstance(document["effective_confirmed"], bool), document


def test_loading_again_changes_nothing():
    from gandan.geo.importers import units_load_province

    before = (AdminUnit.objects.count(), UnitChange.objects.count())
    summary = units_load_province(province_code="66")
    assert summary.already_loaded
    assert (AdminUnit.objects.count(), UnitChange.objects.count()) == before
