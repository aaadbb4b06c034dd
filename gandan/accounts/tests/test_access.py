"""The default unit of a page when none is asked for (one function for pages and API)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from gandan.accounts.access import default_unit

pytestmark = pytest.mark.django_db
REFORM = datetime.date(2025, 7, 1)


def test_a_users_own_unit_while_it_is_theirs(lak_clerk, commune_clerk):
    assert default_unit(lak_clerk, datetime.date(2019, 9, 10)) == lak_clerk.unit
    # huyện Lắk ended on 1-7-2025: on that day its clerk has no default unit
    assert default_unit(lak_clerk, REFORM) is None
    # without a date (analytics over history) it stays theirs
    assert default_unit(lak_clerk) == lak_clerk.unit
    assert default_unit(commune_clerk, REFORM) == commune_clerk.unit


def test_a_superuser_without_a_unit_gets_the_first_province_of_the_day(unit):
    root = get_user_model().objects.create_superuser("goc", password="matkhau-demo-253")

    assert default_unit(root, datetime.date(2019, 9, 10)) == unit("66", "province")
    assert default_unit(root, REFORM) == unit("66", "province", REFORM)


def test_a_user_without_a_unit_has_none():
    user = get_user_model().objects.create_user("khong_don_vi", password="matkhau-demo-253")

    assert default_unit(user, REFORM) is None
