"""The invariants of historic figures (ADR 0007), over random worlds.

A world is a small province with districts and communes that change through time (a commune
moves between districts, two communes merge, and at a reform the districts are abolished
and the communes merged or split into new ones), some true events (labour-days given on a
day in a commune), the records of some of them, and paper totals that say honestly what
their unit's territory gave over their period (exactly, "trên", "gần", "khoảng", "hàng
trăm"). Every event that was not recorded lies inside some paper total, as in the real
history: the years before records began exist on paper.

Whatever the sources, for the province over the whole window:
- **honest bounds** and **no double count**: the truth lies in the figure's interval;
- **conservation**: the same figure as recorded and under every later tree;
- **monotonicity**: a further paper total never lowers the figure's lower bound.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gandan.analytics.engine import pivot
from gandan.analytics.quantity import SLACK, Quantity
from gandan.analytics.resolve import Claim, resolve
from gandan.core.periods import Period
from gandan.geo.models import AdminUnit, Kind, Level, Succession, UnitChange, UnitVersion
from gandan.indicators.models import Indicator
from gandan.work.ledger import ledger_added
from gandan.work.models import Activity, ActivityType, ActivityValue, AggregateEntry

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST, LAST = D(2004, 1, 1), D(2026, 12, 31)
MOVE, MERGE, REFORM = D(2008, 7, 1), D(2012, 1, 1), D(2020, 1, 1)
QUALIFIERS = ["exact", "tren", "hon", "gan", "khoang", "hang_tram"]


# -- the pure resolver -----------------------------------------------------------------------


@st.composite
def intervals_world(draw):
    """Cells on a line with true values; some recorded; claims over runs of cells."""
    cells = draw(st.lists(st.integers(0, 50), min_size=2, max_size=12))
    recorded = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    claims = []
    for key in range(draw(st.integers(0, 5))):
        a = draw(st.integers(0, len(cells) - 1))
        b = draw(st.integers(a, len(cells) - 1))
        truth = sum(cells[a : b + 1])
        claims.append((key, a, b, _honest(draw, truth)))
    # what no paper total covers was recorded: the paper years are the unrecorded ones
    covered = {i for _k, a, b, _q in claims for i in range(a, b + 1)}
    recorded = [kept or i not in covered for i, kept in enumerate(recorded)]
    return cells, recorded, claims


def _honest(draw, truth: int) -> Quantity:
    """A qualified statement about ``truth`` that a careful clerk could have written."""
    kind = draw(st.sampled_from(QUALIFIERS))
    if kind == "exact":
        return Quantity.qualified(truth, "exact")
    if kind in ("tren", "hon"):
        return Quantity.qualified(draw(st.integers(0, truth)), kind)
    if kind == "gan" and truth:
        high = int(Decimal(truth) / (1 - SLACK))
        return Quantity.qualified(draw(st.integers(truth, max(truth, high))), kind)
    if kind == "khoang" and truth:
        least = int(Decimal(truth) / (1 + SLACK)) + 1
        most = int(Decimal(truth) / (1 - SLACK))
        return Quantity.qualified(draw(st.integers(least, max(least, most))), kind)
    if kind == "hang_tram" and 100 <= truth <= 999:
        return Quantity.qualified(100, kind)
    return Quantity.qualified(truth, "exact")


def _solve(cells, recorded, claims):
    records = sum(c for c, kept in zip(cells, recorded, strict=True) if kept)
    inside = {k: sum(cells[i] for i in range(a, b + 1) if recorded[i]) for k, a, b, _q in claims}
    spans = {k: (a, b) for k, a, b, _q in claims}
    return resolve(
        Decimal(records),
        [Claim(k, q, Decimal(inside[k])) for k, _a, _b, q in claims],
        overlaps=lambda x, y: spans[x][0] <= spans[y][1] and spans[y][0] <= spans[x][1],
        contains=lambda x, y: spans[x][0] <= spans[y][0] and spans[y][1] <= spans[x][1],
    )


@given(intervals_world())
def test_the_truth_lies_within_the_figure(world):
    cells, recorded, claims = world
    quantity = _solve(cells, recorded, claims).quantity

    truth = sum(cells)
    assert quantity.lo <= truth
    assert quantity.hi is None or truth <= quantity.hi


@given(intervals_world(), st.data())
def test_another_paper_total_never_lowers_the_figure(world, data):
    cells, recorded, claims = world
    assume(claims)
    dropped = data.draw(st.integers(0, len(claims) - 1))
    fewer = [c for i, c in enumerate(claims) if i != dropped]

    assert _solve(cells, recorded, claims).quantity.lo >= _solve(cells, recorded, fewer).quantity.lo


@given(st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_exact_sources_that_agree_give_the_exact_truth(cells):
    # every cell recorded, and one exact total over everything: the truth, exactly
    claims = [(0, 0, len(cells) - 1, Quantity.exact(sum(cells)))]
    quantity = _solve(cells, [True] * len(cells), claims).quantity

    assert (quantity.lo, quantity.hi) == (sum(cells), sum(cells))


# -- the engine over random worlds in the database ----------------------------------------------


@dataclass
class World:
    province: AdminUnit
    districts: list[AdminUnit]
    communes: list[AdminUnit]  # before the reform
    new: list[AdminUnit]  # after it


def _unit(code, level, kind, name, parent, start=None, end=None):
    unit = AdminUnit.objects.create(
        code=code, level=level, kind=kind, name=name, search_name=name.lower(),
        sort_key=name.lower(), valid_from=start, valid_to=end, source="test",
    )  # fmt: skip
    UnitVersion.objects.create(
        unit=unit, name=name, kind=kind, parent=parent, valid_from=start, valid_to=end,
        search_name=name.lower(), sort_key=name.lower(),
    )  # fmt: skip
    return unit


def _succession(predecessor, successors, on):
    change = UnitChange.objects.create(type="merge", effective_on=on, subject=predecessor)
    for i, successor in enumerate(successors):
        Succession.objects.create(
            change=change, predecessor=predecessor, successor=successor, is_default=i == 0
        )


def _world(n_districts: int, n_communes: int, n_new: int) -> World:
    tag = AdminUnit.objects.count()
    province = _unit(f"P{tag}", Level.PROVINCE, Kind.TINH, f"Thử {tag}", None)
    districts = [
        _unit(f"D{tag}-{i}", Level.DISTRICT, Kind.HUYEN, f"Huyện {tag}-{i}", province, end=REFORM)
        for i in range(n_districts)
    ]
    new = [
        _unit(f"N{tag}-{i}", Level.COMMUNE, Kind.XA, f"Xã mới {tag}-{i}", province, start=REFORM)
        for i in range(n_new)
    ]
    communes = [
        _unit(f"C{tag}-{i}", Level.COMMUNE, Kind.XA, f"Xã {tag}-{i}", districts[i % n_districts], end=REFORM)
        for i in range(n_communes)
    ]  # fmt: skip
    # the first commune moves to the last district in 2008
    mover = communes[0]
    version = mover.versions.get()
    version.valid_to = MOVE
    version.save()
    UnitVersion.objects.create(
        unit=mover, name=mover.name, kind=mover.kind, parent=districts[-1], valid_from=MOVE,
        valid_to=REFORM, search_name=mover.search_name, sort_key=mover.sort_key,
    )  # fmt: skip
    # the second merges into the third in 2012
    merged = communes[1]
    merged.valid_to = MERGE
    merged.save()
    UnitVersion.objects.filter(unit=merged).update(valid_to=MERGE)
    _succession(merged, [communes[2]], MERGE)
    # at the reform every commune goes to a new one; the last one is split in two
    for i, commune in [(0, communes[0]), *enumerate(communes[2:], start=2)]:
        targets = [new[i % n_new]]
        if commune is communes[-1] and n_new > 1:
            targets.append(new[(i + 1) % n_new])
        _succession(commune, targets, REFORM)
    return World(province, districts, communes, new)


def _alive(world: World, day: datetime.date) -> list[AdminUnit]:
    pool = world.new if day >= REFORM else world.communes
    return [c for c in pool if c.is_valid_on(day)]


@st.composite
def engine_world(draw):
    shape = (draw(st.integers(1, 3)), draw(st.integers(3, 6)), draw(st.integers(1, 3)))
    events = draw(
        st.lists(
            st.tuples(
                st.dates(FIRST, LAST), st.integers(0, 10**6), st.integers(1, 900), st.booleans()
            ),
            min_size=1,
            max_size=12,
        )
    )
    papers = draw(
        st.lists(
            st.tuples(st.integers(0, 10**6), st.dates(FIRST, LAST), st.dates(FIRST, LAST)),
            max_size=5,
        )
    )  # fmt: skip
    return shape, events, papers, draw(st.data())


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engine_world())
def test_the_province_keeps_its_truth_under_every_tree(world_spec):
    (n_districts, n_communes, n_new), events, papers, data = world_spec
    labour = Indicator.objects.get(code="labour_days")
    pdqc = ActivityType.objects.get(code="pdqc")
    with transaction.atomic():
        world = _world(n_districts, n_communes, n_new)
        truth: list[tuple[AdminUnit, datetime.date, int, bool]] = []
        for day, pick, amount, kept in events:
            alive = _alive(world, day)
            if not alive:
                continue
            place = alive[pick % len(alive)]
            truth.append((place, day, amount, kept))
            if kept:
                _record(place, day, amount, pdqc, labour)
        hidden = [t for t in truth if not t[3]]
        units = [world.province, *world.districts, *world.communes, *world.new]
        written = []
        for n, (pick, start, end) in enumerate(papers):
            start, end = min(start, end), max(start, end)
            unit = units[pick % len(units)]
            life_start, life_end = (
                unit.valid_from or FIRST,
                (unit.valid_to or LAST + datetime.timedelta(1)),
            )
            start, end = max(start, life_start), min(end, life_end - datetime.timedelta(1))
            if start > end:
                continue
            inside = sum(
                a
                for place, day, a, _k in truth
                if start <= day <= end and _under(world, unit, place, day)
            )
            quantity = _honest(data.draw, inside)
            qualifier, value = quantity.own or "exact", quantity.said
            written.append(
                AggregateEntry.objects.create(
                    indicator=labour,
                    unit=unit,
                    period_start=start,
                    period_end=end,
                    period_label=f"{start.year}-{end.year}",
                    value=value,
                    qualifier=qualifier,
                    source_number=f"{n}-BC",
                    source_date=end,
                )
            )
        # what no paper total covers was recorded: the paper years are the unrecorded ones
        for place, day, amount, _kept in hidden:
            if not any(
                w.period_start <= day <= w.period_end and _under(world, w.unit, place, day)
                for w in written
            ):
                _record(place, day, amount, pdqc, labour)
        window = Period(FIRST, LAST, "range", "", "all")
        total = sum(a for _p, _d, a, _k in truth)
        figures = {}
        for boundaries in (None, REFORM - datetime.timedelta(1), REFORM, LAST):
            result = pivot(
                units=[world.province], periods=[window], indicators=[labour], boundaries=boundaries
            )
            figure = result.figure(world.province, window, "labour_days")
            low, high = figure.bounds
            assert low <= total, boundaries
            assert high is None or total <= high, boundaries
            figures[boundaries] = (figure.value, figure.qualifier)
            if boundaries is None:
                low_all = low
        assert len(set(figures.values())) == 1, figures
        if written:
            # monotonicity: one paper total fewer never raises the lower bound
            AggregateEntry.objects.filter(pk=data.draw(st.sampled_from(written)).pk).delete()
            fewer = pivot(units=[world.province], periods=[window], indicators=[labour])
            assert fewer.figure(world.province, window, "labour_days").bounds[0] <= low_all
        transaction.set_rollback(True)


def _record(place, day, amount, kind, indicator):
    """A record written as the services write one: the row, its value, the ledger."""
    activity = Activity.objects.create(type=kind, unit=place, start=day, end=day)
    ActivityValue.objects.create(activity=activity, indicator=indicator, value=amount)
    ledger_added([activity.pk])


def _under(world: World, unit: AdminUnit, place: AdminUnit, day: datetime.date) -> bool:
    """The test's own reading of the world: whether ``place`` was part of ``unit`` on ``day``."""
    if unit.pk in (place.pk, world.province.pk):
        return True
    return unit.level == Level.DISTRICT and any(
        version.parent_id == unit.pk
        and (version.valid_from is None or version.valid_from <= day)
        and (version.valid_to is None or day < version.valid_to)
        for version in place.versions.all()
    )
