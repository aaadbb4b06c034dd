"""The in-memory tree is reloaded after every committed change to the boundary tree, even
when a change that was rolled back had reached the same revision number first."""

import datetime

import pytest
from django.db import transaction

from gandan.geo.models import AdminUnit, Kind
from gandan.geo.services import unit_create
from gandan.geo.tree import geo_fingerprint, tree

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 1, 1)


class Undo(Exception):
    pass


def test_a_rolled_back_change_does_not_leave_its_tree_behind(field):
    province = field.dak_lak
    before = tree()

    # a change is made, read (and cached) and then rolled back
    seen: list = []

    def change_then_undo():
        with transaction.atomic():
            unit_create(code="99901", name="Xã Thử Nghiệm", kind=Kind.XA, parent=field.lak, valid_from=DAY)  # fmt: skip
            seen.append(tree())
            raise Undo

    with pytest.raises(Undo):
        change_then_undo()
    rolled_back = seen[0]
    assert rolled_back.fingerprint != before.fingerprint
    assert len(rolled_back.spans) == len(before.spans) + 1
    assert not AdminUnit.objects.filter(code="99901").exists()

    # another change reaches the same revision number: its tree is not the rolled-back one
    kept = unit_create(code="99902", name="Xã Giữ Lại", kind=Kind.XA, parent=field.lak, valid_from=DAY)  # fmt: skip
    assert geo_fingerprint() != rolled_back.fingerprint
    after = tree()
    assert after is not rolled_back
    assert kept.id in after.spans
    assert kept.id in after.territory(province.id, DAY, DAY)
