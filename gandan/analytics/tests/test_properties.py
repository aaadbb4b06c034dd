"""Invariants of the pivots, on small generated histories (hypothesis).

Each example writes records with ``activity_create`` inside a transaction that is rolled
back, then asks the same service as the pages and the API (``pivot_build``).
"""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandan.analytics.access import access_analysis
from gandan.analytics.engine import TOTAL, aggregate
from gandan.analytics.quantity import Quantity, total
from gandan.analytics.selectors import pivot_build, pivot_params_parse, pivot_periods
from gandan.indicators.models import Indicator
from gandan.work.models import Qualifier
from gandan.work.services import activity_create, aggregate_entry_create

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)
DAY = datetime.timedelta(days=1)
FIRST, LAST = datetime.date(2004, 7, 5), datetime.date(2026, 6, 30)
ADDITIVE = ("campaigns", "participants", "money_vnd")
# Legacy communes record until 30-6-2025, the 2025 commune from 1-7-2025; villages by place.
PLACES = {
    "yang_tao": ("yt_a", "yt_b"),
    "bong_krang": ("bk_a",),
    "nam_ka": (),
    "tt_lien_son": (),
    "ea_kao": (),
    "lien_son_lak": ("yt_a", "yt_b", "bk_a"),
}
EXAMPLES = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

records = st.lists(
    st.tuples(
        st.sampled_from(sorted(PLACES)),
        st.integers(min_value=0, max_value=(REFORM - FIRST).days),  # a day in the place's life
        st.lists(st.integers(min_value=0, max_value=2), max_size=3, unique=True),  # villages
        st.integers(min_value=0, max_value=500),  # participants
        st.integers(min_value=0, max_value=50_000_000),  # money
    ),
    min_size=1,
    max_size=6,
)


@contextlib.contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _write(field, activity_input, history):
    for place, offset, picks, people, money in history:
        unit = getattr(field, place)
        first, last = (REFORM, LAST) if place == "lien_son_lak" else (FIRST, REFORM - DAY)
        day = first + datetime.timedelta(days=offset % ((last - first).days + 1))
        names = PLACES[place]
        villages = [getattr(field, names[i]) for i in picks if i < len(names)]
        values = {"money_vnd": money} if money else None
        activity_create(
            actor=None, data=activity_input(unit, day, villages, participants=people, values=values)
        )


def _view(user, data):
    """The pivot page's view of a question, as the page builds it (parse, access, build)."""
    params = pivot_params_parse(data)
    scope = access_analysis(
        user,
        unit_id=params.unit_id,
        drill=params.drill,
        boundaries=params.boundaries,
        auto_boundaries=params.auto_boundaries,
        start=params.start,
        end=params.end,
    )
    return pivot_build(params=params, scope=scope)


def _pivot(user, **query):
    data = {key.rstrip("_"): [str(v)] if not isinstance(v, list) else v for key, v in query.items()}
    return _view(user, data).result


def _window(**more):
    return {"from_": FIRST.isoformat(), "to": LAST.isoformat()} | more


@EXAMPLES
@given(history=records)
def test_province_totals_agree_under_2025_and_recorded_boundaries(
    field, activity_input, province_admin, history
):
    with _rolled_back():
        _write(field, activity_input, history)
        totals = []
        for boundaries in ("recorded", REFORM.isoformat()):
            for drill in ("self", "children"):
                result = _pivot(
                    province_admin,
                    **_window(unit=field.dak_lak.pk, drill=drill, boundaries=boundaries),
                    indicator=list(ADDITIVE),
                )
                totals.append({c: result.figure(TOTAL, TOTAL, c).value for c in ADDITIVE})

        assert all(t == totals[0] for t in totals)
        assert totals[0]["campaigns"] == len(history)
        assert totals[0]["participants"] == sum(h[3] for h in history)


@EXAMPLES
@given(history=records, by=st.sampled_from(["year", "half", "quarter"]))
def test_distinct_counts_lie_between_the_largest_part_and_the_sum(
    field, activity_input, lak_clerk, history, by
):
    with _rolled_back():
        _write(field, activity_input, history)
        result = _pivot(
            lak_clerk,
            **_window(unit=field.lak.pk, to="2025-06-30", boundaries="recorded"),
            indicator=["villages_reached", "communes_reached"],
            by=by,
        )

        for code in ("villages_reached", "communes_reached"):
            for unit in [*result.units, TOTAL]:
                parts = [result.figure(unit, p, code).value for p in result.periods]
                whole = result.figure(unit, TOTAL, code).value
                assert max(parts) <= whole <= sum(parts)
            for period in [*result.periods, TOTAL]:
                parts = [result.figure(u, period, code).value for u in result.units]
                whole = result.figure(TOTAL, period, code).value
                assert max(parts) <= whole <= sum(parts)


@EXAMPLES
@given(history=records, regime=st.sampled_from(["calendar", "nd09"]))
def test_splitting_a_period_preserves_sums_and_unions(
    field, activity_input, lak_clerk, history, regime
):
    with _rolled_back():
        _write(field, activity_input, history)
        codes = [*ADDITIVE, "villages_reached"]
        seen = []
        for by in ("range", "year", "half", "quarter", "month"):
            result = _pivot(
                lak_clerk,
                **_window(unit=field.lak.pk, drill="self", to="2025-06-30", boundaries="recorded"),
                indicator=codes,
                by=by,
                regime=regime,
            )
            seen.append({c: result.figure(TOTAL, TOTAL, c).value for c in codes})
            if by != "range":
                for code in ADDITIVE:
                    parts = [result.figure(TOTAL, p, code).value for p in result.periods]
                    assert sum(parts, Decimal(0)) == seen[-1][code]

        assert all(s == seen[0] for s in seen)


@EXAMPLES
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from(["yang_tao", "bong_krang", "nam_ka", "ea_kao"]),
            st.integers(min_value=2005, max_value=2024),
            st.integers(min_value=100, max_value=999),
            st.sampled_from(Qualifier.values),  # khoảng and the orders of magnitude too
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda e: (e[0], e[1]),
    )
)
def test_qualifiers_propagate_to_every_total(field, province_admin, entries):
    gardens = Indicator.objects.get(code="vegetable_gardens")
    with _rolled_back():
        for place, year, value, qualifier in entries:
            aggregate_entry_create(
                actor=None, indicator=gardens, unit=getattr(field, place),
                period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
                period_label=f"năm {year}", value=str(value), qualifier=qualifier,
                source_number=f"{year}-BC", source_date=datetime.date(year + 1, 1, 10),
            )  # fmt: skip
        result = _pivot(
            province_admin,
            **_window(unit=field.dak_lak.pk, drill="children", boundaries=REFORM.isoformat()),
            indicator=["vegetable_gardens"],
            by="year",
        )

        figure = result.figure(TOTAL, TOTAL, "vegetable_gardens")
        expected = total(Quantity.qualified(e[2], e[3]) for e in entries)
        assert (figure.qualifier, figure.value) == expected.wording()
        assert (figure.qualifier == "exact") == all(e[3] == "exact" for e in entries)
        if {"tren", "hon"} & {e[3] for e in entries}:
            assert figure.qualifier in {"tren", "hon"}


def test_the_qualifiers_are_the_same_everywhere():
    from gandan.analytics.quantity import QUALIFIERS
    from gandan.core.numbers import QUALIFIER_WORDS
    from gandan.work.models import Qualifier

    assert set(QUALIFIER_WORDS) == set(QUALIFIERS) == set(Qualifier.values)


LAK = ("yang_tao", "bong_krang", "nam_ka", "tt_lien_son")  # huyện Lắk's communes in PLACES


def _said(row):
    return {c.key.rsplit("|", 1)[1]: (c.figure.value, c.figure.qualifier) for c in row.cells}


@EXAMPLES
@given(history=records, by=st.sampled_from(["year", "half"]))
def test_the_tables_subtotals_are_the_engines_answers_for_the_parent(
    field, activity_input, lak_clerk, history, by
):
    """One table of periods across huyện Lắk's communes: each commune's subtotal is what the
    engine answers for that commune over the whole window, and each row of the total group
    what it answers for the district in that period."""
    codes = [*ADDITIVE, "villages_reached"]
    indicators = list(Indicator.objects.filter(code__in=codes))
    end = REFORM - DAY
    with _rolled_back():
        _write(field, activity_input, history)
        question = _window(unit=field.lak.pk, to=end.isoformat(), boundaries="recorded")
        data = {k.rstrip("_"): [str(v)] for k, v in question.items()}
        data |= {"drill": ["children"], "by": [by], "rows": ["period"], "cols": ["indicator"]}
        view = _view(lak_clerk, data | {"indicator": codes})
        grid = view.grid

        # every commune with a record has its group, and no other
        recorded = {getattr(field, h[0]).pk for h in history if h[0] in LAK}
        communes = [g for g in grid.groups if not g.heading.is_total]
        assert {g.heading.key for g in communes} == recorded
        if not recorded:
            assert grid.is_empty
            return
        for group in communes:
            (subtotal,) = [r for r in group.rows if r.subtotal]
            engine = aggregate(unit=group.heading.unit, start=FIRST, end=end, indicators=indicators)
            assert _said(subtotal) == {c: (f.value, f.qualifier) for c, f in engine.items()
                                       if c in _said(subtotal)}  # fmt: skip
        (whole,) = [g for g in grid.groups if g.heading.is_total]
        periods = {p.code: p for p in pivot_periods(view.params)}
        for row in whole.rows:
            span = periods.get(str(row.heading.key))
            start, last = (span.start, span.end) if span else (FIRST, end)
            engine = aggregate(unit=field.lak, start=start, end=last, indicators=indicators)
            assert _said(row) == {c: (f.value, f.qualifier) for c, f in engine.items()
                                  if c in _said(row)}  # fmt: skip
        assert "campaigns" in _said(whole.rows[-1])
        assert whole.rows[-1].total
