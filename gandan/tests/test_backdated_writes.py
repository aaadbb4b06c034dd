"""Back-dated writes (issue 13, items 3 and 4): a random user of the cast writes over a random
span of days, before, across and after the reform of 1-7-2025. The write is accepted only if
the user may write and their jurisdiction covers every day it changes, inside the life of its
unit; otherwise it is refused and nothing is written.

The expected answer comes from ``COVERS``, written from the cast's facts (who holds which
unit when), not from the jurisdiction code under test.
"""

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandan.core.errors import DomainError
from gandan.org.models import Membership
from gandan.org.services import member_create, membership_end, membership_start, team_create
from gandan.tests.cast import DAY, REFORM
from gandan.work.tests.records import counts, rolled_back

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2003, 1, 1), datetime.date(2026, 11, 30)  # not after today
BEFORE, AFTER = (None, REFORM), (REFORM, None)
ALWAYS = (None, None)
# Who may write on which unit of ``places``, over which days [from, to) (None: open).
COVERS: dict[str, dict[str, tuple[datetime.date | None, datetime.date | None]]] = {
    "province_admin": dict.fromkeys(
        ("yang_tao", "nam_ka", "lien_son_lak", "yang_tao_village", "nam_ka_village"), ALWAYS
    ),
    # huyện Lắk ended on 1-7-2025: its villages passed to 2025 communes it never held.
    "lak_clerk": dict.fromkeys(
        ("yang_tao", "nam_ka", "yang_tao_village", "nam_ka_village"), BEFORE
    ),
    # xã Liên Sơn Lắk took in xã Yang Tao (and its villages), not xã Nam Ka.
    "commune_clerk": dict.fromkeys(("yang_tao", "lien_son_lak", "yang_tao_village"), ALWAYS),
    "leader": {},  # read-only
    "outsider": dict.fromkeys(("dak_pek", "dak_pek_village"), ALWAYS),
}
COMMUNES = ("yang_tao", "nam_ka", "lien_son_lak", "dak_pek")
VILLAGES = ("yang_tao_village", "nam_ka_village", "dak_pek_village")
WRITERS = ("province_admin", "lak_clerk", "commune_clerk", "outsider")
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

dates = st.dates(FIRST, LAST)
# Spans that often straddle the reform: starts near it half of the time.
near = st.dates(REFORM - datetime.timedelta(days=400), REFORM + datetime.timedelta(days=200))


@st.composite
def spans(draw) -> tuple[datetime.date, datetime.date]:
    """[start, end], both days inclusive, end not after LAST."""
    start = draw(st.one_of(dates, near))
    length = draw(st.integers(0, 900))
    return start, min(start + datetime.timedelta(days=length), LAST)


def _lives(unit, start: datetime.date, end: datetime.date | None) -> bool:
    """[start, end) (None: open-ended) lies in the unit's life."""
    if unit.valid_from is not None and start < unit.valid_from:
        return False
    return unit.valid_to is None or (end is not None and end <= unit.valid_to)


def expected(who: str, name: str, unit, start: datetime.date, end: datetime.date | None) -> bool:
    """The write over [start, end) is accepted: in the unit's life and covered by ``who``."""
    if name not in COVERS[who] or not _lives(unit, start, end):
        return False
    since, until = COVERS[who][name]
    after_start = since is None or start >= since
    before_end = until is None or (end is not None and end <= until)
    return after_start and before_end


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _created_only_if_covered(client, cast, url, body, who, name, unit, span):
    """POST a create as ``who``: 201 exactly when they cover every day of the span, and a
    row written exactly when it is 201."""
    start, end = span
    client.force_login(cast[who])
    before = counts()

    with rolled_back():
        response = _send(client, "post", url, body)
        written = counts() != before

    assert (response.status_code == 201) == expected(who, name, unit, start, end + DAY), (
        response.status_code,
        response.content[:300],
    )
    assert response.status_code in {201, 403, 404, 422}
    assert written == (response.status_code == 201)


@PROPERTY
@given(who=st.sampled_from(list(COVERS)), name=st.sampled_from(COMMUNES), span=spans())
def test_an_activity_is_accepted_only_inside_jurisdiction_for_all_its_days(
    client, cast, places, who, name, span
):
    unit, (start, end) = getattr(places, name), span
    body = {"type": "pdqc", "unit_id": unit.pk, "start": str(start), "end": str(end)}
    _created_only_if_covered(client, cast, "/api/v1/activities", body, who, name, unit, span)


@PROPERTY
@given(who=st.sampled_from(list(COVERS)), name=st.sampled_from(COMMUNES), span=spans())
def test_a_paper_total_is_accepted_only_inside_jurisdiction_for_its_whole_period(
    client, cast, places, who, name, span
):
    unit, (start, end) = getattr(places, name), span
    body = {
        "indicator": "campaigns", "unit_id": unit.pk, "period_start": str(start),
        "period_end": str(end), "period_label": "Kỳ thử", "value": 3,
        "source_number": "7-BC", "source_date": str(LAST),
    }  # fmt: skip
    _created_only_if_covered(client, cast, "/api/v1/aggregates", body, who, name, unit, span)


@PROPERTY
@given(who=st.sampled_from(list(COVERS)), name=st.sampled_from(VILLAGES), on=st.one_of(dates, near))
def test_a_village_is_renamed_only_inside_jurisdiction_until_its_end(
    client, cast, places, who, name, on
):
    village = getattr(places, name)
    client.force_login(cast[who])
    before = list(village.versions.values_list("pk", "name", "valid_from", "valid_to"))

    with rolled_back():
        response = _send(
            client, "patch", f"/api/v1/villages/{village.pk}",
            {"name": "Thôn Mới", "kind": "thon", "renamed_on": str(on)},
        )  # fmt: skip
        after = list(village.versions.values_list("pk", "name", "valid_from", "valid_to"))

    # a rename from ``on`` holds until the village ends (never, here)
    assert (response.status_code == 200) == expected(who, name, village, on, None), (
        response.status_code,
        response.content[:300],
    )
    assert response.status_code in {200, 403, 404, 422}
    assert (after != before) == (response.status_code == 200)


@pytest.fixture
def teams(places):
    """A team from 5-7-2004 (or the commune's first day) in each commune of COMMUNES."""
    found = {}
    for name in COMMUNES:
        unit = getattr(places, name)
        established = max(unit.valid_from or FIRST, datetime.date(2004, 7, 5))
        found[name] = team_create(
            actor=None, name=f"Tổ {name}", unit=unit, established_on=established
        )
    return found


@PROPERTY
@given(
    who=st.sampled_from(WRITERS),
    name=st.sampled_from(COMMUNES),
    span=spans(),
    closed=st.booleans(),
)
def test_a_membership_is_started_and_ended_only_inside_jurisdiction(
    cast, places, teams, who, name, span, closed
):
    team, (start, last) = teams[name], span
    end = last + DAY if closed else None
    actor = cast[who]
    with rolled_back():
        member = member_create(
            actor=None, identifier="TV-THU", full_name="Y Thử", gender="nam", ethnicity="ede"
        )
        before = Membership.objects.count()
        try:
            membership_start(actor=actor, member=member, team=team, start=start, end=end)
            accepted = True
        except DomainError:
            accepted = False
        written = Membership.objects.count() != before
        # a membership lasts while the team does, and the team while its unit does
        ends = [d for d in (end, team.unit.valid_to) if d is not None]
        until = min(ends) if ends else None
        alive = team.is_active_on(start)

        assert accepted == (alive and expected(who, name, team.unit, start, until))
        assert written == accepted

        # and ending an open membership on a random day changes [that day, its end)
        if accepted and not closed and last >= start:
            membership = Membership.objects.get(member=member)
            try:
                membership_end(actor=actor, membership=membership, last_day=last)
                ended = True
            except DomainError:
                ended = False
            membership.refresh_from_db()
            assert ended == (last + DAY > start and expected(who, name, team.unit, last + DAY, until))  # fmt: skip
            assert (membership.end == last + DAY) == ended


@pytest.fixture
def record(places):
    """A campaign of xã Yang Tao on 14-3-2012, which a write may move in place and time."""
    from gandan.work.models import ActivityType
    from gandan.work.services import ActivityInput, activity_create

    on = datetime.date(2012, 3, 14)
    return activity_create(
        actor=None,
        data=ActivityInput(
            type=ActivityType.objects.get(code="pdqc"), unit=places.yang_tao, start=on, end=on,
            villages=[], teams=[], movements=[], partners=[],
        ),
    )  # fmt: skip


@PROPERTY
@given(who=st.sampled_from(list(COVERS)), name=st.sampled_from(COMMUNES), span=spans())
def test_an_activity_is_moved_only_between_days_of_the_jurisdiction(
    client, cast, places, record, who, name, span
):
    unit, (start, end) = getattr(places, name), span
    body = {"type": "pdqc", "unit_id": unit.pk, "start": str(start), "end": str(end)}
    client.force_login(cast[who])
    was = (record.unit_id, record.start, record.end)

    with rolled_back():
        response = _send(client, "put", f"/api/v1/activities/{record.pk}", body)
        record.refresh_from_db()
        now = (record.unit_id, record.start, record.end)
    record.refresh_from_db()

    # both the days it leaves and the days it takes must be the writer's
    leaves = expected(who, "yang_tao", places.yang_tao, was[1], was[2] + DAY)
    assert (response.status_code == 200) == (
        leaves and expected(who, name, unit, start, end + DAY)
    ), (
        response.status_code,
        response.content[:300],
    )
    assert response.status_code in {200, 403, 404, 422}
    assert now == ((unit.pk, start, end) if response.status_code == 200 else was)
