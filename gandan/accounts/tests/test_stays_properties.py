"""Properties of ``Stays.first_gap``, on which every write's jurisdiction check rests
(``accounts.jurisdiction.require_within``): a write is accepted only if every day of its
effect is inside, and a gap it names is really outside."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from gandan.accounts.jurisdiction import Span, Stays

BASE = datetime.date(2020, 1, 1)
DAY = datetime.timedelta(days=1)
days = st.integers(0, 12).map(lambda n: BASE + n * DAY)
maybe = st.one_of(st.none(), days)


@st.composite
def spans(draw):
    start, end = draw(maybe), draw(maybe)
    if start is not None and end is not None and end <= start:
        start, end = end, start + DAY
    return Span(start, end)


def _days(start, end):
    """The days of [start, end) clipped to the window the generators use, plus margins."""
    first = start if start is not None else BASE - 5 * DAY
    last = end if end is not None else BASE + 20 * DAY
    return [first + n * DAY for n in range((last - first).days)]


@settings(max_examples=400, deadline=None)
@given(st.lists(spans(), min_size=1, max_size=4), spans())
def test_first_gap_is_none_exactly_when_every_day_is_inside(parts, wanted):
    stays = Stays.of(*parts)

    gap = stays.first_gap(wanted.start, wanted.end)

    inside = all(stays.contains(day) for day in _days(wanted.start, wanted.end))
    open_ends_held = (wanted.start is not None or stays.start is None) and (
        wanted.end is not None or stays.end is None
    )
    assert (gap is None) == (inside and open_ends_held)
    if gap is not None:
        # the gap lies within what was asked and its first day is outside
        assert wanted.intersect(gap) == gap
        if gap.start is not None:
            assert not stays.contains(gap.start)
