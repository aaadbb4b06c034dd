import datetime

import pytest

from gandan.geo.importers import units_load_province
from gandan.geo.models import AdminUnit, Level
from gandan.geo.selectors import successors_on, units_on

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("on", "level", "expected"),
    [
        ("2019-09-10", Level.DISTRICT, 15),
        ("2019-09-10", Level.COMMUNE, 184),
        ("2024-10-31", Level.COMMUNE, 184),
        ("2024-11-01", Level.COMMUNE, 180),
        ("2024-12-31", Level.COMMUNE, 180),
        ("2025-06-30", Level.COMMUNE, 180),
        ("2025-06-30", Level.DISTRICT, 15),
        ("2025-07-01", Level.COMMUNE, 102),
        ("2025-07-01", Level.DISTRICT, 0),
    ],
)
def test_dak_lak_unit_counts_through_time(unit, on, level, expected):
    day = datetime.date.fromisoformat(on)
    dak_lak = unit("66", Level.PROVINCE, day)

    assert units_on(day, level=level, within=dak_lak).count() == expected


def test_phu_yen_communes_are_among_the_2025_dak_lak_communes(unit):
    reform = datetime.date(2025, 7, 1)
    dak_lak = unit("66", Level.PROVINCE, reform)
    tuy_hoa = units_on(reform, level=Level.COMMUNE, within=dak_lak).filter(name="Tuy Hòa").get()

    assert tuy_hoa.unit.code == "22015"
    assert unit("54", Level.PROVINCE).valid_to == reform


def test_every_legacy_commune_maps_to_a_2025_successor(unit):
    reform = datetime.date(2025, 7, 1)
    legacy = AdminUnit.objects.filter(level=Level.COMMUNE, valid_to=reform)
    new_ids = set(
        units_on(
            reform, level=Level.COMMUNE, within=unit("66", Level.PROVINCE, reform)
        ).values_list("unit_id", flat=True)
    )

    assert legacy.count() == 180 + 106
    for commune in legacy:
        successors = successors_on(commune, reform)
        assert successors, commune
        assert {s.unit.pk for s in successors} <= new_ids
        assert sum(s.is_default for s in successors) == 1


def test_loading_again_is_a_no_op():
    before = AdminUnit.objects.count()

    summary = units_load_province(province_code="66")

    assert summary.already_loaded
    assert AdminUnit.objects.count() == before


def test_commune_coordinates_are_kept(unit):
    ea_kao = unit("24169", Level.COMMUNE, datetime.date(2019, 9, 10))

    assert ea_kao.latitude == pytest.approx(12.63, abs=0.1)
    assert ea_kao.longitude == pytest.approx(108.0, abs=0.2)
