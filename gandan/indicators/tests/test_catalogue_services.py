"""The catalogue's services: every rule with its Vietnamese message, the audit, the seed,
and what a retirement or a new kind of indicator means for entry (ADR 0018)."""

import dataclasses
import datetime
import unicodedata

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandan.core.errors import DomainError
from gandan.core.models import AuditEntry
from gandan.indicators.models import Indicator
from gandan.indicators.services import (
    IndicatorInput,
    catalogue_rows,
    catalogue_seed,
    indicator_create,
    indicator_delete,
    indicator_restore,
    indicator_retire,
    indicator_update,
)
from gandan.indicators.tests.catalogue import FISH, fish_input, indicator, refused

pytestmark = pytest.mark.django_db

ON = datetime.date(2012, 3, 14)
# -- the seed ------------------------------------------------------------------------------------


def test_the_seed_holds_the_new_kinds_and_is_idempotent():
    share = indicator("members_minority_share")

    assert (share.aggregation, share.unit) == ("ratio", "%")
    assert (share.numerator.code, share.denominator.code) == ("members_minority", "members")
    assert indicator("members_minority").source == "members_minority"
    assert sorted(p.code for p in indicator("livestock_pens").parts.all()) == [
        "livestock_pens_built",
        "livestock_pens_moved",
    ]
    assert catalogue_seed() == 0
    assert Indicator.objects.count() == len(catalogue_rows())


def test_the_seed_gives_a_seeded_name_taken_by_an_admin_its_code():
    # given the ratio is gone and an admin took its name for an indicator of their own
    Indicator.objects.filter(code="members_minority_share").delete()
    indicator_create(
        actor=None, data=fish_input(name_vi="Tỉ lệ thành viên là người dân tộc thiểu số")
    )

    assert catalogue_seed() == 1
    assert indicator("members_minority_share").name_vi.endswith("(members_minority_share)")


# -- create: names and codes ------------------------------------------------------------------------


def test_an_administrator_adds_an_indicator_and_it_is_audited(province_admin):
    indicator = indicator_create(actor=province_admin, data=fish_input(name_vi="  Ao   cá  "))

    assert (indicator.name_vi, indicator.name_key) == ("Ao cá", "ao ca")
    entry = AuditEntry.objects.get(action="indicators.create")
    assert (entry.actor_username, entry.target_id) == ("tinh_admin", str(indicator.pk))
    assert entry.message == "Thêm chỉ tiêu «Ao cá» (mã fish_ponds, ao)"


@pytest.mark.parametrize(
    "name",
    [
        "Vườn ươm",
        "VƯỜN ƯƠM",
        "vuon uom",
        "  Vườn   ươm ",
        unicodedata.normalize("NFD", "Vườn ươm"),
    ],
)
def test_a_name_that_folds_to_an_existing_one_is_refused(name):
    message = refused("Đã có chỉ tiêu", "name_vi", indicator_create, actor=None, data=fish_input(name_vi=name))  # fmt: skip

    assert message == (
        "Đã có chỉ tiêu «Vườn ươm» (mã nurseries); tên chỉ tiêu không được trùng, kể cả khi "
        "chỉ khác chữ hoa, chữ thường hay dấu."
    )
    assert not Indicator.objects.filter(code="fish_ponds").exists()


@given(
    flips=st.lists(st.booleans(), min_size=5, max_size=5),
    decompose=st.booleans(),
    spaces=st.integers(1, 3),
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
def test_no_variant_of_case_form_or_spacing_gets_a_second_indicator(flips, decompose, spaces):
    cased = "".join(c.upper() if flip else c for c, flip in zip("ao cá", flips, strict=True))
    name = unicodedata.normalize("NFD" if decompose else "NFC", cased.replace(" ", " " * spaces))
    with transaction.atomic():
        indicator_create(actor=None, data=FISH)
        with pytest.raises(DomainError, match="Đã có chỉ tiêu «Ao cá»"):
            indicator_create(actor=None, data=fish_input(code="fish_ponds_2", name_vi=name))
        assert Indicator.objects.filter(name_key="ao ca").count() == 1
        transaction.set_rollback(True)


def test_renaming_to_a_name_that_folds_to_another_is_refused():
    fish = indicator_create(actor=None, data=FISH)

    refused("Đã có chỉ tiêu «Giếng nước» (mã wells)", "name_vi", indicator_update,
             actor=None, indicator=fish, data=fish_input(name_vi="GIENG NUOC"))  # fmt: skip

    fish.refresh_from_db()
    assert fish.name_vi == "Ao cá"


def test_the_database_refuses_two_names_that_fold_alike():
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            code="nurseries_2", name_vi="VƯỜN ƯƠM", name_key="vuon uom", unit="vườn",
            group="production", aggregation="sum", source="value",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "match"),
    [
        ({"code": "Fish Ponds"}, "code", "Mã «Fish Ponds» không hợp lệ"),
        ({"code": "ao_cá"}, "code", "chữ thường không dấu"),
        ({"code": "nurseries"}, "code", "Đã có chỉ tiêu mã «nurseries»: «Vườn ươm»"),
        ({"name_vi": "  "}, "name_vi", "Cần ghi tên tiếng Việt"),
        ({"unit": ""}, "unit", "Cần ghi đơn vị tính"),
        ({"group": "sport"}, "group", "Nhóm không hợp lệ: «sport»"),
        ({"source": "rumours"}, "source", "Nguồn số liệu không hợp lệ"),
        (
            {"aggregation": "count"},
            "aggregation",
            "Nguồn «Giá trị ghi cho chỉ tiêu» chỉ tổng hợp theo cách «Cộng dồn»",
        ),
        (
            {"activity_types": ["pdqc"]},
            "activity_types",
            "Chỉ chọn loại hoạt động cho chỉ tiêu đếm",
        ),
        (
            {"source": "activities", "aggregation": "count", "activity_types": ["bogus"]},
            "activity_types",
            "Không có loại hoạt động mã «bogus»",
        ),
        ({"breakdowns": ["religion"]}, "breakdowns", "Phân tổ không hợp lệ: «religion»"),
        ({"position": 40000}, "position", "Thứ tự từ 0 đến 32767"),
        ({"name_vi": "x" * 201}, "name_vi", "Tối đa 200 ký tự"),
    ],
)
def test_an_indicator_breaking_a_rule_is_refused_naming_the_field(changes, field, match):
    refused(match, field, indicator_create, actor=None, data=fish_input(**changes))

    assert not Indicator.objects.filter(name_key="ao ca").exists()
    assert not AuditEntry.objects.filter(action="indicators.create").exists()


# -- ratios and parents -------------------------------------------------------------------------------


def _ratio(**changes):
    base = IndicatorInput(
        code="women_share", name_vi="Tỉ lệ thành viên nữ", unit="%", group="organisation",
        source="ratio", aggregation="ratio", integer_only=False,
        numerator=indicator("members_minority"), denominator=indicator("members"),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


def test_a_ratio_is_a_percentage_of_two_indicators():
    share = indicator_create(actor=None, data=_ratio(unit=""))

    assert (share.unit, share.numerator.code, share.denominator.code) == ("%", "members_minority", "members")  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "match"),
    [
        ({"numerator": None}, "numerator", "Chỉ tiêu tỉ lệ cần tử số"),
        ({"denominator": None}, "denominator", "Chỉ tiêu tỉ lệ cần mẫu số"),
        ({"unit": "người"}, "unit", "Chỉ tiêu tỉ lệ có đơn vị tính là «%»"),
        ({"denominator": "members_minority"}, "denominator", "hai chỉ tiêu khác nhau"),
        (
            {"numerator": "members_minority_share"},
            "numerator",
            "Tử số là một chỉ tiêu khác, không phải tỉ lệ",
        ),
        (
            {"numerator": "money_vnd"},
            "denominator",
            "Tử số («đồng») và mẫu số («người») phải cùng đơn vị tính",
        ),
        ({"aggregation": "sum"}, "aggregation", "chỉ tổng hợp theo cách «Tỉ lệ phần trăm"),
    ],
)
def test_a_ratio_needs_two_distinct_terms_of_one_unit(changes, field, match):
    changes = {k: indicator(v) if k in ("numerator", "denominator") and v else v for k, v in changes.items()}  # fmt: skip

    refused(match, field, indicator_create, actor=None, data=_ratio(**changes))


def test_only_a_ratio_has_terms():
    refused("Chỉ chỉ tiêu tỉ lệ mới có tử số", "numerator", indicator_create, actor=None,
             data=fish_input(numerator=indicator("members")))  # fmt: skip


def test_the_database_refuses_a_ratio_without_terms_and_an_indicator_that_is_its_own_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            code="bad_ratio", name_vi="Tỉ lệ hỏng", name_key="ti le hong", unit="%",
            group="organisation", aggregation="ratio", source="ratio",
        )  # fmt: skip
    pens = indicator("livestock_pens")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=pens.pk).update(parent=pens)


def _part(**changes):
    base = IndicatorInput(
        code="livestock_pens_repaired", name_vi="Chuồng trại sửa chữa", unit="chuồng",
        group="production", source="value", aggregation="sum", parent=indicator("livestock_pens"),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


def test_a_part_shares_its_parents_unit_and_aggregation():
    part = indicator_create(actor=None, data=_part())

    assert part.parent.code == "livestock_pens"
    assert indicator("livestock_pens").parts.count() == 3


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (
            {"unit": "cái"},
            "phải cùng đơn vị tính («chuồng») và cách tổng hợp («Cộng dồn») với «Chuồng trại»",
        ),
        ({"parent": "livestock_pens_built"}, "«Chuồng trại làm mới» không phải chỉ tiêu tổng"),
        ({"source": "parts"}, "chỉ một cấp"),
    ],
)
def test_a_part_is_one_level_deep_under_a_parent_of_its_kind(changes, match):
    changes = {k: indicator(v) if k == "parent" else v for k, v in changes.items()}

    refused(match, "parent", indicator_create, actor=None, data=_part(**changes))


def test_nothing_is_its_own_parent_and_a_parent_keeps_its_parts_unit():
    pens = indicator("livestock_pens")
    same = IndicatorInput(code=pens.code, name_vi=pens.name_vi, unit=pens.unit, group=pens.group,
                          source="parts", aggregation="sum")  # fmt: skip

    refused("chính nó", "parent", indicator_update, actor=None, indicator=pens, data=dataclasses.replace(same, parent=pens))  # fmt: skip
    refused("Chỉ tiêu thành phần «Chuồng trại làm mới» tính bằng «chuồng»", "unit",
             indicator_update, actor=None, indicator=pens, data=dataclasses.replace(same, unit="con"))  # fmt: skip
    refused("bỏ liên kết với chúng", "source", indicator_update, actor=None, indicator=pens,
             data=dataclasses.replace(same, source="paper"))  # fmt: skip


# -- in use: codes fixed, retire not delete --------------------------------------------------------


def test_an_unused_indicator_can_change_anything():
    fish = indicator_create(actor=None, data=FISH)

    indicator_update(actor=None, indicator=fish, data=fish_input(code="fish_farms", unit="trại", integer_only=False))  # fmt: skip

    fish.refresh_from_db()
    assert (fish.code, fish.unit, fish.integer_only) == ("fish_farms", "trại", False)


def test_an_unused_indicator_is_deleted_and_one_in_use_only_retired(field, activity_input, province_admin):  # fmt: skip
    fish = indicator_create(actor=None, data=FISH)
    indicator_delete(actor=province_admin, indicator=fish)
    assert not Indicator.objects.filter(code="fish_ponds").exists()
    assert AuditEntry.objects.get(action="indicators.delete").message == "Xóa chỉ tiêu «Ao cá» (mã fish_ponds)"  # fmt: skip

    members = indicator("members_minority")
    message = refused("không xóa được", "code", indicator_delete, actor=None, indicator=members)

    assert message.startswith(
        "«Thành viên là người dân tộc thiểu số» đã được dùng (tử số của «Tỉ lệ"
    )
    assert message.endswith("không xóa được; hãy cho ngừng sử dụng.")
    assert Indicator.objects.filter(code="members_minority").exists()


# -- retirement -------------------------------------------------------------------------------------


def test_a_retirement_can_be_undone():
    wells = indicator_retire(actor=None, indicator=indicator("wells"), on=datetime.date(2020, 1, 1))

    indicator_restore(actor=None, indicator=wells)

    assert indicator("wells").retired_on is None
    refused("đang được sử dụng", "retired_on", indicator_restore, actor=None, indicator=wells)


# -- paper totals of the new kinds ---------------------------------------------------------------------
