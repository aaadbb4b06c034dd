"""As-of reads over real units of Đắk Lắk: the 2024 merge and split (NQ 1193/NQ-UBTVQH15)
and the 2025 reform, each checked the day before, on and after the change."""

import datetime
from decimal import Decimal

import pytest

from gandan.geo.models import AdminUnit, Kind, Level, UnitChange
from gandan.geo.selectors import (
    ancestors_on,
    ancestors_on_many,
    children_on,
    count_units,
    default_successor_on,
    predecessors,
    search_versions,
    successors_on,
    unit_by_code,
    unit_history,
    units_on,
    version_on,
    versions_on,
)
from gandan.geo.services import SplitPart, unit_create, unit_split

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ROUND_2024 = datetime.date(2024, 11, 1)
REFORM = datetime.date(2025, 7, 1)
NQ_1193 = "1193/NQ-UBTVQH15"
# (day, whether a unit ended by the 2024 round still exists that day)
EXISTS_AROUND_2024 = [(ROUND_2024 - DAY, True), (ROUND_2024, False), (ROUND_2024 + DAY, False)]


def _ids(versions):
    return {v.unit_id for v in versions}


@pytest.fixture
def buon_ma_thuot(unit):
    return unit("643", Level.DISTRICT, ROUND_2024)


@pytest.fixture
def thang_loi(unit):
    return unit("24127", Level.COMMUNE)


@pytest.fixture
def thanh_cong(unit):
    return unit("24133", Level.COMMUNE, ROUND_2024)


@pytest.fixture
def ea_blang(unit):
    return unit("24325", Level.COMMUNE)


@pytest.fixture
def ea_sien(unit):
    return unit("24334", Level.COMMUNE, ROUND_2024)


@pytest.fixture
def ea_drong(unit):
    return unit("24328", Level.COMMUNE, ROUND_2024)


# Merge: phường Thắng Lợi into phường Thành Công on 1-11-2024 ---------------------------------


@pytest.mark.parametrize(("on", "exists"), EXISTS_AROUND_2024)
def test_thang_loi_exists_until_the_day_before_the_merge(
    thang_loi, thanh_cong, buon_ma_thuot, on, exists
):
    assert versions_on(on).filter(unit=thang_loi).exists() is exists
    assert (thang_loi.pk in _ids(units_on(on, level=Level.COMMUNE, within=buon_ma_thuot))) is exists
    assert (thang_loi.pk in _ids(children_on(buon_ma_thuot, on))) is exists
    assert (version_on(thang_loi, on) is not None) is exists
    # the receiving ward lives on, under the same city
    assert version_on(thanh_cong, on).parent == buon_ma_thuot


def test_buon_ma_thuot_loses_two_wards_on_the_merge_date(buon_ma_thuot):
    before = count_units(on=ROUND_2024 - DAY, level=Level.COMMUNE, within=buon_ma_thuot)

    assert count_units(on=ROUND_2024, level=Level.COMMUNE, within=buon_ma_thuot) == before - 2


def test_merged_ward_is_its_own_successor_the_day_before(thang_loi):
    [successor] = successors_on(thang_loi, ROUND_2024 - DAY)

    assert successor.unit == thang_loi
    assert successor.share == 1
    assert successor.is_default


@pytest.mark.parametrize("on", [ROUND_2024, ROUND_2024 + DAY, datetime.date(2025, 1, 1)])
def test_merged_ward_is_succeeded_by_thanh_cong_with_share_one(thang_loi, thanh_cong, on):
    [successor] = successors_on(thang_loi, on)

    assert successor.unit == thanh_cong
    assert successor.share == 1
    assert successor.is_default
    assert successor.path == (thang_loi.pk, thanh_cong.pk)
    assert default_successor_on(thang_loi, on) == thanh_cong


def test_merged_ward_chains_into_the_2025_ward_that_reuses_the_code(unit, thang_loi, thanh_cong):
    # given: code 24133 names Thành Công until 30-6-2025 and the new phường Buôn Ma Thuột after
    new_ward = unit("24133", Level.COMMUNE, REFORM)
    assert new_ward != thanh_cong

    # when
    [successor] = successors_on(thang_loi, REFORM)

    # then
    assert successor.unit == new_ward
    assert successor.share == 1
    assert successor.path == (thang_loi.pk, thanh_cong.pk, new_ward.pk)


def test_predecessors_follow_the_merge(unit, thang_loi, thanh_cong):
    tan_tien = unit("24145", Level.COMMUNE, ROUND_2024)
    thong_nhat = unit("24139", Level.COMMUNE)

    assert thang_loi in predecessors(thanh_cong)
    assert thong_nhat not in predecessors(thanh_cong)
    assert thong_nhat in predecessors(tan_tien)
    assert not predecessors(thang_loi).exists()
    # transitively, the 2025 ward took in both 2024 predecessors' territory
    assert {thang_loi, thanh_cong} <= set(predecessors(unit("24133", Level.COMMUNE, REFORM)))


def test_history_names_the_legal_basis_of_the_merge(thang_loi, thanh_cong):
    history = unit_history(thanh_cong)

    [incoming] = [s for s in history.incoming if s.predecessor == thang_loi]
    assert incoming.change.type == UnitChange.Type.MERGE
    assert incoming.change.effective_on == ROUND_2024
    assert incoming.change.legal_basis.number == NQ_1193
    assert NQ_1193 in {c.legal_basis.number for c in history.changes if c.legal_basis}
    # the ward itself ended on the merge date, with that basis on its outgoing side
    source_history = unit_history(thang_loi)
    assert [v.valid_to for v in source_history.versions] == [ROUND_2024]
    assert [s.successor for s in source_history.outgoing] == [thanh_cong]
    assert source_history.outgoing[0].change.legal_basis.number == NQ_1193


@pytest.mark.parametrize(("on", "found"), EXISTS_AROUND_2024)
def test_search_finds_the_merged_ward_only_while_it_exists(thang_loi, on, found):
    assert (thang_loi.pk in _ids(search_versions("THANG LOI", on=on))) is found
    assert (thang_loi.pk in _ids(search_versions("thắng lợi", on=on))) is found


# Split: xã Ea Blang into Ea Siên and Ea Drông on 1-11-2024 -----------------------------------


def test_split_records_areas_populations_and_population_shares(ea_blang, ea_sien, ea_drong):
    history = unit_history(ea_blang)
    parts = {s.successor: s for s in history.outgoing}

    assert set(parts) == {ea_sien, ea_drong}
    assert parts[ea_sien].population == 495
    assert parts[ea_sien].area_km2 == Decimal("19.70")
    assert not parts[ea_sien].is_default
    assert parts[ea_drong].population == 2911
    assert parts[ea_drong].area_km2 == Decimal("10.73")
    assert parts[ea_drong].is_default
    assert float(parts[ea_sien].share) == pytest.approx(495 / 3406, abs=1e-6)
    assert float(parts[ea_drong].share) == pytest.approx(2911 / 3406, abs=1e-6)
    assert parts[ea_sien].change.type == UnitChange.Type.SPLIT
    assert parts[ea_sien].change.legal_basis.number == NQ_1193


def test_split_commune_is_its_own_successor_the_day_before(ea_blang):
    assert [s.unit for s in successors_on(ea_blang, ROUND_2024 - DAY)] == [ea_blang]
    assert ea_blang.is_valid_on(ROUND_2024 - DAY)


@pytest.mark.parametrize("on", [ROUND_2024, ROUND_2024 + DAY])
def test_split_commune_has_two_successors_default_first(ea_blang, ea_sien, ea_drong, on):
    successors = successors_on(ea_blang, on)

    assert [s.unit for s in successors] == [ea_drong, ea_sien]
    assert [s.is_default for s in successors] == [True, False]
    assert successors[0].share == pytest.approx(2911 / 3406, abs=1e-6)
    assert successors[1].share == pytest.approx(495 / 3406, abs=1e-6)
    assert default_successor_on(ea_blang, on) == ea_drong
    assert not ea_blang.is_valid_on(on)


def test_split_parts_chain_into_2025_communes(unit, ea_blang, ea_sien, ea_drong):
    # given: in 2025 both parts merged whole into the new xã Ea Drông
    new_ea_drong = unit("24328", Level.COMMUNE, REFORM)

    # when
    successors = successors_on(ea_blang, REFORM)

    # then: both paths arrive there; shares (part share x 1) add up to the whole commune
    [successor] = successors
    assert successor.unit == new_ea_drong
    assert successor.is_default
    assert successor.share == pytest.approx(1.0, abs=1e-6)
    assert successor.path[0] == ea_blang.pk
    assert successor.path[-1] == new_ea_drong.pk
    [from_sien] = successors_on(ea_sien, REFORM)
    assert from_sien.unit == new_ea_drong
    assert from_sien.share == 1


def test_shares_multiply_along_a_chain_of_splits():
    # given: X split 2020 into A (1/4) and B (3/4, default); B split 2022 into C (2/5, default)
    # and D (3/5)
    province = unit_create(code="99", name="Thử", kind=Kind.TINH, parent=None, valid_from=None)
    x, a, b, c, d = (
        unit_create(code=f"9900{i}", name=name, kind=Kind.XA, parent=province, valid_from=None)
        for i, name in enumerate(["Ea X", "Ea A", "Ea B", "Ea C", "Ea D"])
    )
    unit_split(
        source=x,
        parts=[
            SplitPart(successor=a, share=Decimal("0.25")),
            SplitPart(successor=b, share=Decimal("0.75"), is_default=True),
        ],
        on=datetime.date(2020, 1, 1),
        basis=None,
    )
    unit_split(
        source=b,
        parts=[
            SplitPart(successor=c, share=Decimal("0.4"), is_default=True),
            SplitPart(successor=d, share=Decimal("0.6")),
        ],
        on=datetime.date(2022, 1, 1),
        basis=None,
    )

    # when
    successors = {s.unit: s for s in successors_on(x, datetime.date(2023, 1, 1))}

    # then
    assert set(successors) == {a, c, d}
    assert successors[a].share == pytest.approx(0.25)
    assert successors[c].share == pytest.approx(0.3)
    assert successors[d].share == pytest.approx(0.45)
    assert [u for u, s in successors.items() if s.is_default] == [c]
    assert successors[d].path == (x.pk, b.pk, d.pk)
    assert default_successor_on(x, datetime.date(2023, 1, 1)) == c
    # between the two splits, B is still whole
    assert {s.unit for s in successors_on(x, datetime.date(2021, 12, 31))} == {a, b}


def test_split_without_recorded_shares_passes_none():
    province = unit_create(code="99", name="Thử", kind=Kind.TINH, parent=None, valid_from=None)
    x, a, b = (
        unit_create(code=f"9910{i}", name=name, kind=Kind.XA, parent=province, valid_from=None)
        for i, name in enumerate(["Ea X", "Ea A", "Ea B"])
    )
    unit_split(
        source=x,
        parts=[SplitPart(successor=a, is_default=True), SplitPart(successor=b, population=10)],
        on=datetime.date(2020, 1, 1),
        basis=None,
    )

    successors = successors_on(x, datetime.date(2020, 1, 1))

    assert [(s.unit, s.share) for s in successors] == [(a, None), (b, None)]


# Codes, ancestors and search -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected_name"),
    [(REFORM - DAY, "Thành Công"), (REFORM, "Buôn Ma Thuột"), (None, "Buôn Ma Thuột")],
)
def test_unit_by_code_picks_the_unit_valid_on_the_date(on, expected_name):
    assert unit_by_code("24133", level=Level.COMMUNE, on=on).name == expected_name


def test_unit_by_code_raises_for_unknown_code():
    with pytest.raises(AdminUnit.DoesNotExist):
        unit_by_code("00000")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (REFORM - DAY, ["Bông Krang", "Lắk", "Đắk Lắk"]),
        (REFORM, []),
    ],
)
def test_ancestors_of_a_legacy_commune(unit, on, expected):
    bong_krang = unit("24586", Level.COMMUNE, REFORM - DAY)

    assert [v.name for v in ancestors_on(bong_krang, on)] == expected


def test_ancestors_of_a_2025_commune_skip_the_district_tier(unit):
    lien_son_lak = unit("24580", Level.COMMUNE, REFORM)

    assert [v.unit.level for v in ancestors_on(lien_son_lak, REFORM)] == [
        Level.COMMUNE,
        Level.PROVINCE,
    ]


def test_search_ignores_case_and_diacritics_and_respects_the_filter(unit):
    dak_lak = unit("66", Level.PROVINCE, REFORM)

    assert dak_lak.pk in _ids(search_versions("dak lak", on=REFORM))
    assert dak_lak.pk in _ids(search_versions("ĐẮK  LẮK", on=REFORM))
    assert not search_versions("dak lak", on=REFORM, unit_ids={-1}).exists()
    assert len(search_versions("ea", on=REFORM, limit=3)) == 3


def test_search_finds_a_unit_by_its_displayed_full_name(unit):
    ea_kao = unit("24169", Level.COMMUNE, datetime.date(2019, 9, 10))

    assert ea_kao.pk in _ids(search_versions(str(ea_kao), on=datetime.date(2019, 9, 10)))


@pytest.mark.parametrize(
    "on", [datetime.date(2019, 9, 10), datetime.date(2024, 12, 31), datetime.date(2025, 7, 1)]
)
def test_ancestors_of_many_units_equal_their_ancestors_one_by_one(places, on):
    units = [
        places.nam_ka_village,
        places.yang_tao,
        places.lak,
        places.lien_son_lak,
        places.dak_lak,
    ]

    chains = ancestors_on_many(units, on)

    assert chains == {unit.pk: ancestors_on(unit, on) for unit in units}
    assert any(len(chain) >= 3 for chain in chains.values())  # villages reach the province
