"""Villages that share a name after a merger are told apart by their former commune."""

import datetime

import pytest

from gandan.geo.models import Kind
from gandan.geo.services import village_create
from gandan.work.selectors import village_options

pytestmark = pytest.mark.django_db
REFORM = datetime.date(2025, 7, 1)


def test_a_repeated_village_name_carries_its_former_commune(places):
    # given a "Thôn 3" in xã Yang Tao and another in xã Bông Krang, both now in Liên Sơn Lắk
    for commune in (places.yang_tao, places.bong_krang):
        village_create(
            actor=None,
            commune=commune,
            name="3",
            kind=Kind.THON,
            valid_from=datetime.date(2010, 1, 1),
        )

    # when the villages of xã Liên Sơn Lắk are offered after the merger
    labels = [label for _pk, label in village_options(places.lien_son_lak, REFORM, None)]

    # then each "Thôn 3" names its former commune, and unique names stay as they are
    assert "Thôn 3 (xã Yang Tao cũ)" in labels
    assert "Thôn 3 (xã Bông Krang cũ)" in labels
    assert "Thôn Hòa Bình" in labels
    # and before the merger, in one commune, the name is plain
    before = [
        label for _pk, label in village_options(places.yang_tao, datetime.date(2019, 1, 1), None)
    ]
    assert "Thôn 3" in before
