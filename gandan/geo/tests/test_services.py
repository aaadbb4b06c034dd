"""Writes to the administrative tree, each read back the day before, on and after its date."""

import datetime
from types import SimpleNamespace

import pytest

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.geo.models import AdminUnit, Kind, Level, Succession, UnitChange, UnitVersion
from gandan.geo.selectors import ancestors_on, children_on, search_versions, version_on
from gandan.geo.services import (
    SplitPart,
    legal_document_get_or_create,
    unit_create,
    unit_merge,
    unit_rename,
    unit_reparent,
    unit_split,
    village_create,
    village_update,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
REFORM = datetime.date(2025, 7, 1)
ROUND_2024 = datetime.date(2024, 11, 1)
CHANGED = datetime.date(2020, 1, 1)
FOUNDED = datetime.date(2010, 1, 1)
# (day, whether it is already on or after the change)
AROUND_CHANGE = [(CHANGED - DAY, False), (CHANGED, True), (CHANGED + DAY, True)]


def _ids(versions):
    return {v.unit_id for v in versions}


def _row_counts():
    models = (AdminUnit, UnitVersion, UnitChange, Succession, AuditEntry)
    return [model.objects.count() for model in models]


def _path(unit, on):
    return " / ".join(v.full_name for v in ancestors_on(unit, on))


def _village(commune, name, *, on=FOUNDED, kind=Kind.BUON, actor=None):
    return village_create(actor=actor, commune=commune, name=name, kind=kind, valid_from=on)


def _commune(code, name, parent):
    return unit_create(code=code, name=name, kind=Kind.XA, parent=parent, valid_from=None)


@pytest.fixture
def tree():
    """A test province with districts Một and Hai, and xã Ea Thử under Một."""
    province = unit_create(code="99", name="Thử", kind=Kind.TINH, parent=None, valid_from=None)
    one = unit_create(code="991", name="Một", kind=Kind.HUYEN, parent=province, valid_from=None)
    two = unit_create(code="992", name="Hai", kind=Kind.HUYEN, parent=province, valid_from=None)
    commune = _commune("99001", "Ea Thử", one)
    return SimpleNamespace(province=province, one=one, two=two, commune=commune)


@pytest.fixture
def basis():
    return legal_document_get_or_create(number="12/NQ-HĐND", issued_on=CHANGED - 30 * DAY)


@pytest.fixture
def bong_krang(unit):
    return unit("24586", Level.COMMUNE, FOUNDED)


# Re-parent -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("on", "moved"), AROUND_CHANGE)
def test_reparent_moves_the_commune_from_its_date(tree, basis, on, moved):
    # when
    change = unit_reparent(unit=tree.commune, parent=tree.two, on=CHANGED, basis=basis)

    # then: one identity, two versions, the parent switching on the date
    district = tree.two if moved else tree.one
    assert [v.unit for v in ancestors_on(tree.commune, on)] == [
        tree.commune,
        district,
        tree.province,
    ]
    assert [(v.name, v.parent, v.valid_to) for v in tree.commune.versions.all()] == [
        ("Ea Thử", tree.one, CHANGED),
        ("Ea Thử", tree.two, None),
    ]
    assert (tree.commune.pk in _ids(children_on(tree.two, on))) is moved
    assert (tree.commune.pk in _ids(children_on(tree.one, on))) is not moved
    assert change.type == UnitChange.Type.REPARENT
    assert change.legal_basis == basis
    assert version_on(tree.commune, on).change == (change if moved else None)


def test_reparent_refuses_a_parent_not_valid_on_the_date(tree, basis):
    later = unit_create(
        code="993", name="Ba", kind=Kind.HUYEN, parent=tree.province, valid_from=CHANGED + DAY
    )
    before = _row_counts()

    with pytest.raises(DomainError, match="không có hiệu lực vào ngày 01/01/2020"):
        unit_reparent(unit=tree.commune, parent=later, on=CHANGED, basis=basis)

    assert _row_counts() == before


# Rename --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("on", "renamed"), AROUND_CHANGE)
def test_rename_applies_from_its_date(tree, basis, on, renamed):
    # when
    unit_rename(unit=tree.commune, name="  Ea  Mới ", kind=Kind.PHUONG, on=CHANGED, basis=basis)

    # then
    tree.commune.refresh_from_db()
    current = version_on(tree.commune, on)
    assert (current.name, current.kind) == (
        ("Ea Mới", Kind.PHUONG) if renamed else ("Ea Thử", Kind.XA)
    )
    assert current.parent == tree.one
    assert (tree.commune.name, tree.commune.kind) == ("Ea Mới", Kind.PHUONG)
    assert (tree.commune.pk in _ids(search_versions("EA MOI", on=on))) is renamed
    assert (tree.commune.pk in _ids(search_versions("ea thu", on=on))) is not renamed


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [("  ", None, "Tên mới không được để trống"), ("Ea Mới", Kind.HUYEN, "cùng cấp")],
)
def test_rename_refuses_bad_input(tree, basis, name, kind, message):
    before = _row_counts()

    with pytest.raises(DomainError, match=message):
        unit_rename(unit=tree.commune, name=name, kind=kind, on=CHANGED, basis=basis)

    assert _row_counts() == before


def test_backdated_rename_also_renames_later_stretches(tree, basis):
    """Regression: the stretch after a later re-parent kept the old name."""
    # given: the commune moved to district Hai in 2021
    unit_reparent(unit=tree.commune, parent=tree.two, on=CHANGED.replace(year=2021), basis=basis)

    # when: a rename from 2020 is recorded afterwards
    unit_rename(unit=tree.commune, name="Ea Mới", on=CHANGED, basis=basis)

    # then
    tree.commune.refresh_from_db()
    assert version_on(tree.commune, datetime.date(2022, 1, 1)).name == "Ea Mới"
    assert tree.commune.name == "Ea Mới"


def test_ending_a_unit_resyncs_its_current_name(tree, basis):
    """Regression: AdminUnit.name kept the name of a version deleted by the merge."""
    # given: a rename recorded for 2021
    target = _commune("99002", "Ea Đích", tree.one)
    unit_rename(unit=tree.commune, name="Ea Mới", on=datetime.date(2021, 1, 1), basis=basis)

    # when: the commune is merged away in 2020, before that rename
    unit_merge(source=tree.commune, target=target, on=CHANGED, basis=basis)

    # then
    tree.commune.refresh_from_db()
    assert [v.name for v in tree.commune.versions.all()] == ["Ea Thử"]
    assert tree.commune.name == "Ea Thử"


# Split validation ----------------------------------------------------------------------------
@pytest.fixture
def split_targets(tree):
    return [_commune(f"9900{i}", f"Ea {i}", tree.one) for i in (2, 3)]


@pytest.mark.parametrize(
    ("defaults", "message"),
    [
        ([True], "ít nhất hai"),
        ([], "ít nhất hai"),
        ([False, False], "đúng một đơn vị kế thừa mặc định"),
        ([True, True], "đúng một đơn vị kế thừa mặc định"),
    ],
)
def test_split_refuses_bad_parts_and_writes_nothing(tree, split_targets, basis, defaults, message):
    parts = [
        SplitPart(split_targets[i], population=100, is_default=d) for i, d in enumerate(defaults)
    ]
    before = _row_counts()

    with pytest.raises(DomainError, match=message):
        unit_split(source=tree.commune, parts=parts, on=CHANGED, basis=basis)

    assert _row_counts() == before
    tree.commune.refresh_from_db()
    assert tree.commune.valid_to is None


def test_split_moves_villages_to_the_default_part(tree, split_targets, basis):
    # given: a village recorded before the split was
    village = _village(tree.commune, "Buôn Ơi")
    minor, default = split_targets

    # when
    parts = [SplitPart(successor=minor), SplitPart(successor=default, is_default=True)]
    unit_split(source=tree.commune, parts=parts, on=CHANGED, basis=basis)

    # then: same identity, under the default part from the split date
    assert village.pk in _ids(children_on(tree.commune, CHANGED - DAY))
    assert village.pk in _ids(children_on(default, CHANGED))
    assert not children_on(minor, CHANGED).exists()


def test_merge_moves_villages_to_the_target(tree, basis):
    village = _village(tree.commune, "Thôn 1", kind=Kind.THON)
    target = _commune("99002", "Ea Đích", tree.one)

    unit_merge(source=tree.commune, target=target, on=CHANGED, basis=basis)

    assert [v.parent for v in village.versions.all()] == [tree.commune, target]
    assert village.pk in _ids(children_on(target, CHANGED))


# Villages ------------------------------------------------------------------------------------
def test_village_keeps_one_identity_through_the_2025_merger(unit, bong_krang, lak_clerk):
    lien_son_lak = unit("24580", Level.COMMUNE, REFORM)

    # when
    village = _village(bong_krang, "Buôn Krông", actor=lak_clerk)

    # then
    days = [FOUNDED - DAY, FOUNDED, REFORM - DAY, REFORM, REFORM + DAY]
    assert [village.pk in _ids(children_on(bong_krang, d)) for d in days] == [0, 1, 1, 0, 0]
    assert [village.pk in _ids(children_on(lien_son_lak, d)) for d in days] == [0, 0, 0, 1, 1]
    assert _path(village, REFORM - DAY) == "Buôn Krông / Xã Bông Krang / Huyện Lắk / Tỉnh Đắk Lắk"
    assert _path(village, REFORM) == "Buôn Krông / Xã Liên Sơn Lắk / Tỉnh Đắk Lắk"
    # typed with its prefix, the name is stored without it
    assert AdminUnit.objects.filter(level=Level.VILLAGE, name="Krông").count() == 1
    entry = AuditEntry.objects.get(action="geo.village_create", target_id=str(village.pk))
    assert entry.actor_username == lak_clerk.username


def test_village_in_a_split_commune_follows_the_default_successor(unit):
    ea_blang = unit("24325", Level.COMMUNE)
    legacy_ea_drong = unit("24328", Level.COMMUNE, ROUND_2024)
    new_ea_drong = unit("24328", Level.COMMUNE, REFORM)

    village = _village(ea_blang, "Buôn Blang")

    assert version_on(village, ROUND_2024 - DAY).parent == ea_blang
    assert version_on(village, ROUND_2024).parent == legacy_ea_drong
    assert version_on(village, REFORM - DAY).parent == legacy_ea_drong
    assert version_on(village, REFORM).parent == new_ea_drong
    assert village.valid_to is None


def test_village_name_in_ede_round_trips_intact(bong_krang):
    name = "Akŏ Dh\u01a1\u0306ng"

    village = _village(bong_krang, name)

    assert AdminUnit.objects.get(pk=village.pk).name == name
    assert village.pk in _ids(search_versions("ako dhong", on=FOUNDED))


@pytest.mark.parametrize(
    ("commune_code", "commune_on", "name", "kind", "valid_from", "message"),
    [
        ("24586", FOUNDED, "Thôn Mới", Kind.THON, REFORM, "không có hiệu lực vào ngày 01/07/2025"),
        ("24580", REFORM, "Thôn Mới", Kind.THON, datetime.date(2019, 1, 1), "01/01/2019"),
        ("24586", FOUNDED, "Thôn Mới", Kind.XA, FOUNDED, "Loại phải là thôn"),
        ("656", FOUNDED, "Thôn Mới", Kind.THON, FOUNDED, "phải thuộc một xã"),
        ("24586", FOUNDED, " \t ", Kind.THON, FOUNDED, "không được để trống"),
    ],
)
def test_village_create_refuses_and_writes_nothing(
    unit, commune_code, commune_on, name, kind, valid_from, message
):
    commune = unit(commune_code, None, commune_on)
    before = _row_counts()

    with pytest.raises(DomainError, match=message):
        village_create(actor=None, commune=commune, name=name, kind=kind, valid_from=valid_from)

    assert _row_counts() == before


def test_village_create_refuses_a_duplicate_name_on_that_date(bong_krang, unit):
    _village(bong_krang, "Tơng Jú")
    before = _row_counts()

    with pytest.raises(DomainError, match="đã có «TƠNG JU»") as caught:
        _village(bong_krang, "BUÔN TƠNG JU", on=CHANGED)

    assert caught.value.field == "name"
    assert _row_counts() == before
    # the same name in another commune is fine
    yang_tao = unit("24583", Level.COMMUNE, FOUNDED)
    _village(yang_tao, "Tơng Jú")


def test_village_create_refuses_a_duplicate_in_any_overlapping_period(bong_krang):
    """Regression: only the start date was checked, so an earlier namesake was let in."""
    _village(bong_krang, "Ea", on=CHANGED)

    with pytest.raises(DomainError, match="đã có «Ea»"):
        _village(bong_krang, "Ea")


@pytest.fixture
def village(bong_krang):
    return _village(bong_krang, "Krang")


def test_village_correction_changes_every_version(village):
    # when: a typo is corrected (no date), typed with the new kind's prefix
    village_update(actor=None, village=village, name="Thôn Kriêng", kind=Kind.THON)

    # then
    village.refresh_from_db()
    assert {(v.name, v.kind) for v in village.versions.all()} == {("Kriêng", Kind.THON)}
    assert village.versions.count() == 2
    assert village.full_name == "Thôn Kriêng"
    assert version_on(village, FOUNDED).full_name == "Thôn Kriêng"
    assert village.pk in _ids(search_versions("krieng", on=FOUNDED))
    assert village.pk not in _ids(search_versions("krang", on=REFORM))


@pytest.mark.parametrize(("on", "renamed"), AROUND_CHANGE)
def test_village_rename_with_a_date_keeps_the_old_name_before(village, bong_krang, on, renamed):
    # when
    village_update(actor=None, village=village, name="Ea Mới", kind=Kind.BUON, on=CHANGED)

    # then
    village.refresh_from_db()
    assert version_on(village, on).name == ("Ea Mới" if renamed else "Krang")
    assert version_on(village, on).parent == bong_krang
    assert version_on(village, REFORM).name == "Ea Mới"  # the later stretch follows
    assert village.name == "Ea Mới"
    assert (village.pk in _ids(search_versions("ea moi", on=on))) is renamed


def test_backdated_village_rename_stops_at_the_next_rename(village):
    """Regression: a backdated rename overwrote every later version."""
    village_update(actor=None, village=village, name="B", kind=Kind.BUON, on=CHANGED)

    village_update(
        actor=None, village=village, name="C", kind=Kind.BUON, on=FOUNDED.replace(year=2015)
    )

    assert version_on(village, datetime.date(2016, 1, 1)).name == "C"
    assert version_on(village, CHANGED).name == "B"


@pytest.mark.parametrize(
    ("name", "kind", "on", "message"),
    [
        ("", Kind.BUON, None, "không được để trống"),
        ("Buôn Mới", Kind.XA, None, "Loại phải là thôn"),
        ("Buôn Mới", Kind.BUON, FOUNDED - DAY, "không có hiệu lực vào ngày 31/12/2009"),
    ],
)
def test_village_update_refuses_bad_input(village, name, kind, on, message):
    before = _row_counts()

    with pytest.raises(DomainError, match=message):
        village_update(actor=None, village=village, name=name, kind=kind, on=on)

    assert _row_counts() == before
    village.refresh_from_db()
    assert village.name == "Krang"


def test_village_update_refuses_a_sibling_name(village, bong_krang):
    _village(bong_krang, "Ea Sup")

    with pytest.raises(DomainError, match="đã có"):
        village_update(actor=None, village=village, name="Ea Sup", kind=Kind.BUON)


def test_village_update_refuses_a_unit_that_is_not_a_village(bong_krang):
    with pytest.raises(DomainError):
        village_update(actor=None, village=bong_krang, name="Bông Krang", kind=Kind.THON)
