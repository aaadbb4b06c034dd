"""Who answers for a unit: its users and the users of the units it merged into."""

import pytest

from gandan.geo.selectors import successor_ids
from gandan.notify.selectors import unit_users

pytestmark = pytest.mark.django_db


def test_a_legacy_commune_is_answered_for_by_the_2025_commune(places, cast):
    assert places.lien_son_lak.pk in successor_ids([places.yang_tao.pk])
    assert unit_users([places.yang_tao.pk]) == [cast["commune_clerk"]]
    assert unit_users([places.nam_ka.pk]) == []  # went elsewhere in 2025


def test_writers_only_unless_asked(places, cast):
    assert set(unit_users([places.dak_lak.pk])) == {cast["province_admin"]}
    assert set(unit_users([places.dak_lak.pk], writers=False)) == {
        cast["province_admin"],
        cast["leader"],
    }


def test_inactive_users_are_not_told(places, cast):
    cast["lak_clerk"].is_active = False
    cast["lak_clerk"].save()

    assert unit_users([places.lak.pk]) == []
