"""Jurisdiction: spans, who covers which unit on which date, and the dated record filter.

Checked on the real units of Đắk Lắk: the 2025 xã Liên Sơn Lắk took in thị trấn Liên Sơn,
xã Yang Tao and xã Bông Krang of huyện Lắk, which ended on 1-7-2025.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from gandan.accounts.jurisdiction import (
    Jurisdiction,
    Span,
    Stays,
    jurisdiction_for,
    jurisdiction_of_unit,
    jurisdictions_prime,
)
from gandan.accounts.models import User
from gandan.geo.models import AdminUnit, Kind, Level, UnitVersion
from gandan.geo.services import unit_create, unit_reparent, village_create
from gandan.tests.cast import DAY, FOUNDED, OLD, REFORM

D = datetime.date


# Span ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "on", "inside"),
    [
        (Span(D(2020, 1, 1), D(2021, 1, 1)), D(2020, 1, 1), True),  # start is inside
        (Span(D(2020, 1, 1), D(2021, 1, 1)), D(2020, 12, 31), True),
        (Span(D(2020, 1, 1), D(2021, 1, 1)), D(2021, 1, 1), False),  # end is not
        (Span(D(2020, 1, 1), D(2021, 1, 1)), D(2019, 12, 31), False),
        (Span(None, REFORM), D(1900, 1, 1), True),  # open start: before records begin
        (Span(None, REFORM), REFORM - DAY, True),
        (Span(None, REFORM), REFORM, False),
        (Span(REFORM, None), REFORM, True),
        (Span(REFORM, None), D(2100, 1, 1), True),
        (Span(REFORM, None), REFORM - DAY, False),
        (Span(None, None), OLD, True),
    ],
)
def test_span_contains_is_half_open(span, on, inside):
    assert span.contains(on) is inside


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            Span(D(2010, 1, 1), D(2020, 1, 1)),
            Span(D(2015, 1, 1), D(2025, 1, 1)),
            Span(D(2015, 1, 1), D(2020, 1, 1)),
        ),
        (Span(None, REFORM), Span(FOUNDED, None), Span(FOUNDED, REFORM)),
        (Span(None, None), Span(FOUNDED, REFORM), Span(FOUNDED, REFORM)),
        (Span(None, None), Span(None, None), Span(None, None)),
        (Span(None, REFORM), Span(REFORM, None), None),  # touching half-open spans share no day
        (Span(D(2010, 1, 1), D(2012, 1, 1)), Span(D(2015, 1, 1), None), None),
    ],
)
def test_span_intersect(a, b, expected):
    assert a.intersect(b) == expected
    assert b.intersect(a) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            Span(D(2010, 1, 1), D(2012, 1, 1)),
            Span(D(2015, 1, 1), D(2020, 1, 1)),
            Span(D(2010, 1, 1), D(2020, 1, 1)),
        ),
        (Span(None, REFORM), Span(FOUNDED, None), Span(None, None)),
        (Span(FOUNDED, REFORM), Span(FOUNDED, REFORM), Span(FOUNDED, REFORM)),
        (Span(None, D(2012, 1, 1)), Span(D(2011, 1, 1), REFORM), Span(None, REFORM)),
    ],
)
def test_span_hull_is_the_smallest_span_holding_both(a, b, expected):
    assert a.hull(b) == expected
    assert b.hull(a) == expected


@pytest.mark.parametrize(
    ("spans", "parts"),
    [
        ([Span(D(2010, 1, 1), D(2012, 1, 1)), Span(D(2015, 1, 1), None)], 2),  # a gap stays
        ([Span(D(2015, 1, 1), None), Span(D(2010, 1, 1), D(2015, 1, 1))], 1),  # touching: one
        ([Span(None, D(2012, 1, 1)), Span(D(2011, 1, 1), REFORM)], 1),  # overlapping: one
    ],
)
def test_stays_keep_gaps_and_join_what_touches(spans, parts):
    stays = Stays.of(*spans)

    assert len(stays.parts) == parts
    for span in spans:
        assert stays.includes(span.start or D(1900, 1, 1), span.end)
    assert stays.contains(D(2013, 6, 1)) is (parts == 1)
    assert stays.includes(D(2011, 1, 1), D(2016, 1, 1)) is (parts == 1)


# Jurisdiction on the real units ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "target", "on", "covered"),
    [
        # huyện Lắk: its communes and villages until 1-7-2025, and not after
        ("lak", "nam_ka_village", REFORM - DAY, True),
        ("lak", "nam_ka_village", REFORM, False),
        ("lak", "nam_ka_village", FOUNDED - DAY, False),  # before the village existed
        ("lak", "nam_ka", OLD, True),
        ("lak", "yang_tao", OLD, True),
        ("lak", "lak", REFORM - DAY, True),
        ("lak", "lak", REFORM, False),
        ("lak", "lien_son_lak", REFORM, False),
        ("lak", "ea_kao", OLD, False),
        ("lak", "dak_lak", OLD, False),
        # xã Liên Sơn Lắk (2025): its predecessors for their whole life, not their neighbours
        ("lien_son_lak", "yang_tao", OLD, True),
        ("lien_son_lak", "tt_lien_son", OLD, True),
        ("lien_son_lak", "bong_krang", OLD, True),
        ("lien_son_lak", "yang_tao_village", OLD, True),
        ("lien_son_lak", "yang_tao_village", REFORM, True),  # followed its commune
        ("lien_son_lak", "lien_son_lak", REFORM, True),
        ("lien_son_lak", "lien_son_lak", REFORM - DAY, False),
        ("lien_son_lak", "nam_ka", OLD, False),
        ("lien_son_lak", "nam_ka_village", OLD, False),
        ("lien_son_lak", "lak", OLD, False),
        # tỉnh Đắk Lắk: everything, including Phú Yên, merged into it in 2025
        ("dak_lak", "phu_yen", OLD, True),
        ("dak_lak", "phu_yen_commune", OLD, True),
        ("dak_lak", "ea_kao", OLD, True),
        ("dak_lak", "nam_ka_village", REFORM - DAY, True),
        ("dak_lak", "dak_pek", OLD, False),
    ],
)
def test_jurisdiction_of_unit_covers(places, root, target, on, covered):
    # given the jurisdiction of a unit
    jurisdiction = jurisdiction_of_unit(getattr(places, root))

    # then it covers the target on that date only when the target was inside it then
    assert jurisdiction.covers(getattr(places, target).pk, on) is covered


def test_covers_without_a_date_means_at_any_time(places):
    lak = jurisdiction_of_unit(places.lak)

    assert lak.covers(places.nam_ka_village.pk)
    assert not lak.covers(places.lien_son_lak.pk)


def test_unit_ids_on_a_date_follow_the_reform(places):
    # given the 2025 commune's jurisdiction
    jurisdiction = jurisdiction_of_unit(places.lien_son_lak)
    legacy = {places.tt_lien_son.pk, places.yang_tao.pk, places.bong_krang.pk}

    # then before the reform it is the legacy communes, after it the new one
    assert jurisdiction.unit_ids(OLD) == legacy | {places.yang_tao_village.pk}
    assert jurisdiction.unit_ids(REFORM) == {places.lien_son_lak.pk, places.yang_tao_village.pk}
    assert jurisdiction.unit_ids() == legacy | {
        places.lien_son_lak.pk,
        places.yang_tao_village.pk,
    }


def test_filter_units_scopes_a_queryset(places):
    jurisdiction = jurisdiction_of_unit(places.lien_son_lak)

    visible = AdminUnit.objects.filter(jurisdiction.filter_units("pk", OLD), level=Level.COMMUNE)

    assert set(visible) == {places.tt_lien_son, places.yang_tao, places.bong_krang}
    assert AdminUnit.objects.filter(Jurisdiction(everything=True).filter_units()).count() == (
        AdminUnit.objects.count()
    )


def test_filter_dated_keeps_rows_inside_the_unit_span(places):
    # given the Nam Ka village, whose row from 2025 hangs under the new commune
    rows = UnitVersion.objects.filter(unit=places.nam_ka_village)
    before, after = rows.get(valid_from=FOUNDED), rows.get(valid_from=REFORM)

    # when huyện Lắk's clerk filters dated rows (unit, date) by their jurisdiction
    lak = jurisdiction_of_unit(places.lak)
    seen = set(rows.filter(lak.filter_dated("unit", "valid_from")))

    # then only the row dated inside Lắk's years is theirs
    assert seen == {before}
    assert after not in seen
    # and the province, which held the village throughout, sees both
    province = jurisdiction_of_unit(places.dak_lak)
    assert set(rows.filter(province.filter_dated("unit", "valid_from"))) == {before, after}


def test_filter_dated_for_an_empty_or_unlimited_jurisdiction(places):
    rows = UnitVersion.objects.filter(unit=places.nam_ka_village)

    assert not rows.filter(Jurisdiction().filter_dated("unit", "valid_from")).exists()
    assert (
        rows.filter(Jurisdiction(everything=True).filter_dated("unit", "valid_from")).count() == 2
    )


@pytest.mark.django_db
def test_a_commune_that_left_and_came_back_is_not_covered_while_away():
    # given xã X under huyện Một, moved to huyện Hai in 2012 and back to Một in 2015
    province = unit_create(code="99", name="Thử", kind=Kind.TINH, parent=None, valid_from=None)
    one = unit_create(code="991", name="Một", kind=Kind.HUYEN, parent=province, valid_from=None)
    two = unit_create(code="992", name="Hai", kind=Kind.HUYEN, parent=province, valid_from=None)
    commune = unit_create(code="99001", name="X", kind=Kind.XA, parent=one, valid_from=None)
    unit_reparent(unit=commune, parent=two, on=D(2012, 1, 1), basis=None)
    unit_reparent(unit=commune, parent=one, on=D(2015, 1, 1), basis=None)

    # then huyện Hai covers it in 2013 and huyện Một covers it before and after
    assert jurisdiction_of_unit(two).covers(commune.pk, D(2013, 6, 1))
    assert jurisdiction_of_unit(one).covers(commune.pk, D(2011, 6, 1))
    assert jurisdiction_of_unit(one).covers(commune.pk, D(2016, 6, 1))
    # but not while it was away
    assert not jurisdiction_of_unit(one).covers(commune.pk, D(2013, 6, 1))


# jurisdiction_for ------------------------------------------------------------------------------


def test_jurisdiction_for_the_cast(places, cast):
    assert jurisdiction_for(cast["lak_clerk"]).covers(places.nam_ka_village.pk, REFORM - DAY)
    assert not jurisdiction_for(cast["lak_clerk"]).covers(places.nam_ka_village.pk, REFORM)
    assert jurisdiction_for(cast["commune_clerk"]).covers(places.yang_tao.pk, OLD)
    assert jurisdiction_for(cast["leader"]).covers(places.phu_yen.pk, OLD)
    assert not jurisdiction_for(cast["outsider"]).covers(places.yang_tao.pk)
    assert jurisdiction_for(cast["outsider"]).covers(places.dak_pek.pk, OLD)


def test_jurisdiction_for_users_without_a_unit(db):
    # an anonymous visitor and a user with no unit see nothing; a superuser sees everything
    nobody = User.objects.create_user(username="nobody", password="x-253-matkhau")
    root = User.objects.create_superuser(username="root", password="x-253-matkhau")

    assert jurisdiction_for(AnonymousUser()).unit_ids() == set()
    assert jurisdiction_for(nobody).unit_ids() == set()
    assert jurisdiction_for(root).everything
    assert jurisdiction_for(root).unit_ids() is None


def test_jurisdiction_for_is_computed_once_per_user_object(
    commune_clerk, django_assert_num_queries
):
    first = jurisdiction_for(commune_clerk)

    with django_assert_num_queries(0):
        assert jurisdiction_for(commune_clerk) is first


def test_jurisdictions_prime_works_once_per_unit_and_agrees(cast, django_assert_num_queries):
    # the people told of a case share a few units: prime them, then each lookup is free and
    # equal to the one worked out for that user alone
    people = list(
        User.objects.filter(unit__isnull=False, is_superuser=False).select_related("unit")
    )
    alone = {user.pk: jurisdiction_for(User.objects.get(pk=user.pk)) for user in people}

    jurisdictions_prime(people)

    with django_assert_num_queries(0):
        for user in people:
            assert jurisdiction_for(user) == alone[user.pk]


# Kept between requests --------------------------------------------------------------------------


def test_a_kept_jurisdiction_follows_every_write_to_a_village(places, django_assert_num_queries):
    # given xã Yang Tao's jurisdiction, worked out once and kept
    first = jurisdiction_of_unit(places.yang_tao)
    with django_assert_num_queries(1):  # the places fingerprint, nothing else
        assert jurisdiction_of_unit(places.yang_tao) is first

    # when a village is founded in it, the next request sees the village
    village = village_create(
        actor=None, commune=places.yang_tao, name="Buôn Ko Đung", kind=Kind.BUON, valid_from=OLD
    )
    assert jurisdiction_of_unit(places.yang_tao).covers(village.pk, OLD)
    assert not first.covers(village.pk, OLD)

    # and when it moves to xã Bông Krang, the kept one follows too
    moved = OLD + datetime.timedelta(days=100)
    unit_reparent(unit=village, parent=places.bong_krang, on=moved, basis=None)
    assert jurisdiction_of_unit(places.yang_tao).covers(village.pk, moved - DAY)
    assert not jurisdiction_of_unit(places.yang_tao).covers(village.pk, moved)
    assert jurisdiction_of_unit(places.bong_krang).covers(village.pk, moved)


class _RolledBack(Exception):
    pass


def _found_a_village_then_roll_back(commune):
    with transaction.atomic():
        village = village_create(
            actor=None, commune=commune, name="Thôn Tạm", kind=Kind.THON, valid_from=OLD
        )
        assert jurisdiction_of_unit(commune).covers(village.pk, OLD)  # kept, uncommitted
        raise _RolledBack


def test_a_kept_jurisdiction_is_not_taken_from_a_rolled_back_write(places):
    # a write that was rolled back leaves no jurisdiction behind that the next one could take
    before = jurisdiction_of_unit(places.yang_tao)
    with pytest.raises(_RolledBack):
        _found_a_village_then_roll_back(places.yang_tao)
    assert jurisdiction_of_unit(places.yang_tao).spans == before.spans

    other = village_create(
        actor=None, commune=places.yang_tao, name="Thôn Mới", kind=Kind.THON, valid_from=OLD
    )
    assert set(jurisdiction_of_unit(places.yang_tao).spans) == {*before.spans, other.pk}
