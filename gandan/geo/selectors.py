"""Reads over the administrative tree through time."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from gandan.core.text import fold
from gandan.geo.models import (
    LEVEL_DEPTH,
    AdminUnit,
    Level,
    Succession,
    UnitChange,
    UnitVersion,
    valid_on_q,
)


def versions_on(on: datetime.date) -> QuerySet[UnitVersion]:
    """Every unit version valid on ``on``: the whole tree on that date."""
    return UnitVersion.objects.filter(valid_on_q(on)).select_related("unit", "parent")


def version_on(unit: AdminUnit, on: datetime.date) -> UnitVersion | None:
    return unit.versions.filter(valid_on_q(on)).select_related("parent").first()


def children_on(
    parent: AdminUnit | None, on: datetime.date, *, level: str | None = None
) -> QuerySet[UnitVersion]:
    qs = versions_on(on)
    qs = qs.filter(parent__isnull=True) if parent is None else qs.filter(parent=parent)
    if level:
        qs = qs.filter(unit__level=level)
    return qs.order_by("sort_key", "unit_id")


def descendant_ids_on(roots: Iterable[int], on: datetime.date) -> set[int]:
    """Ids of all units below ``roots`` on ``on`` (the roots excluded). One query per level."""
    found: set[int] = set()
    frontier = set(roots)
    while frontier:
        frontier = (
            set(
                UnitVersion.objects.filter(valid_on_q(on), parent_id__in=frontier).values_list(
                    "unit_id", flat=True
                )
            )
            - found
        )
        found |= frontier
    return found


def units_on(
    on: datetime.date, *, level: str | None = None, within: AdminUnit | None = None
) -> QuerySet[UnitVersion]:
    """The versions valid on ``on``, optionally at one level and below one unit."""
    qs = versions_on(on)
    if level:
        qs = qs.filter(unit__level=level)
    if within is not None:
        qs = qs.filter(unit_id__in=descendant_ids_on([within.pk], on))
    return qs.order_by("unit__level", "sort_key", "unit_id")


def unit_by_code(
    code: str, *, on: datetime.date | None = None, level: str | None = None
) -> AdminUnit:
    """The unit with an official code. Codes are reused across 2025, so a date picks one.

    Without a date, the latest unit with that code is returned.
    Raises ``AdminUnit.DoesNotExist`` for an unknown code.
    """
    qs = AdminUnit.objects.filter(code=code)
    if level:
        qs = qs.filter(level=level)
    if on is not None:
        qs = qs.filter(valid_on_q(on))
    unit = qs.order_by(F("valid_from").desc(nulls_last=True), "level").first()
    if unit is None:
        raise AdminUnit.DoesNotExist(code)
    return unit


def ancestors_on(unit: AdminUnit, on: datetime.date) -> list[UnitVersion]:
    """The chain of versions from ``unit`` up to its province, on ``on`` (unit first)."""
    chain: list[UnitVersion] = []
    current: AdminUnit | None = unit
    while current is not None and len(chain) <= len(LEVEL_DEPTH):
        version = version_on(current, on)
        if version is None:
            break
        chain.append(version)
        current = version.parent
    return chain


def ancestors_on_many(
    units: Iterable[AdminUnit], on: datetime.date
) -> dict[int, list[UnitVersion]]:
    """:func:`ancestors_on` for many units at once, one query per level (for lists)."""
    chains: dict[int, list[UnitVersion]] = {unit.pk: [] for unit in units}
    tips: dict[int, int | None] = {pk: pk for pk in chains}  # whose version comes next
    for _level in range(len(LEVEL_DEPTH) + 1):
        wanted = {tip for tip in tips.values() if tip is not None}
        if not wanted:
            break
        found = {v.unit_id: v for v in versions_on(on).filter(unit_id__in=wanted)}
        for pk, tip in list(tips.items()):
            version = found.get(tip) if tip is not None else None
            if version is None:
                tips[pk] = None
                continue
            chains[pk].append(version)
            tips[pk] = version.parent_id
    return chains


@dataclass(frozen=True)
class Successor:
    unit: AdminUnit
    share: float | None
    is_default: bool
    path: tuple[int, ...] = field(default=())


def successors_on(unit: AdminUnit, on: datetime.date) -> list[Successor]:
    """The units that hold ``unit``'s territory on the later date ``on``.

    A unit still valid on ``on`` is its own successor. Merges pass share 1; a split passes
    each part's recorded share (None when the source recorded none). Shares multiply along
    a chain of changes.
    """
    result: dict[int, Successor] = {}
    stack: list[tuple[AdminUnit, float | None, bool, tuple[int, ...]]] = [
        (unit, 1.0, True, (unit.pk,))
    ]
    while stack:
        current, share, is_default, path = stack.pop()
        if current.valid_to is None or current.valid_to > on:
            previous = result.get(current.pk)
            if previous is None:
                result[current.pk] = Successor(current, share, is_default, path)
            else:
                total = None if previous.share is None or share is None else previous.share + share
                result[current.pk] = Successor(
                    current, total, previous.is_default or is_default, previous.path
                )
            continue
        outgoing = (
            Succession.objects.filter(predecessor=current, change__effective_on=current.valid_to)
            .select_related("successor")
            .order_by("id")
        )
        for link in outgoing:
            link_share = float(link.share) if link.share is not None else None
            next_share = None if share is None or link_share is None else share * link_share
            stack.append(
                (
                    link.successor,
                    next_share,
                    is_default and link.is_default,
                    (*path, link.successor_id),
                )
            )
    return sorted(result.values(), key=lambda s: (not s.is_default, s.unit.sort_key))


def default_successor_on(unit: AdminUnit, on: datetime.date) -> AdminUnit | None:
    for successor in successors_on(unit, on):
        if successor.is_default:
            return successor.unit
    return None


def _flowed(unit_ids: Iterable[int], *, forward: bool) -> set[int]:
    """Units linked to the given ones, transitively, by mergers and splits (boundary
    adjustments aside): where their territory went (``forward``) or came from."""
    start, end = (
        ("predecessor_id", "successor_id") if forward else ("successor_id", "predecessor_id")
    )
    found: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        frontier = (
            set(
                Succession.objects.filter(**{f"{start}__in": frontier})
                .exclude(change__type=UnitChange.Type.BOUNDARY)
                .values_list(end, flat=True)
            )
            - found
        )
        found |= frontier
    return found


def predecessor_ids(unit_ids: Iterable[int]) -> set[int]:
    """All units whose territory flowed (transitively) into the given units."""
    return _flowed(unit_ids, forward=False)


def successor_ids(unit_ids: Iterable[int]) -> set[int]:
    """All units the given units' territory flowed into (transitively): whoever's
    jurisdiction inherits a unit is found from the unit."""
    return _flowed(unit_ids, forward=True)


def predecessors(unit: AdminUnit) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(pk__in=predecessor_ids([unit.pk]))


@dataclass
class UnitHistory:
    unit: AdminUnit
    versions: list[UnitVersion]
    incoming: list[Succession]
    outgoing: list[Succession]
    changes: list[UnitChange]


def unit_history(unit: AdminUnit) -> UnitHistory:
    """A unit's full life: its versions, and the changes it took part in, with legal bases."""
    versions = list(
        unit.versions.select_related("parent", "change__legal_basis").order_by(
            F("valid_from").asc(nulls_first=True)
        )
    )
    incoming = list(
        Succession.objects.filter(successor=unit)
        .select_related("predecessor", "change__legal_basis")
        .order_by("change__effective_on", "id")
    )
    outgoing = list(
        Succession.objects.filter(predecessor=unit)
        .select_related("successor", "change__legal_basis")
        .order_by("change__effective_on", "id")
    )
    change_ids = {s.change_id for s in incoming + outgoing}
    changes = list(
        UnitChange.objects.filter(Q(subject=unit) | Q(pk__in=change_ids))
        .select_related("legal_basis", "subject")
        .order_by("effective_on", "id")
    )
    return UnitHistory(unit, versions, incoming, outgoing, changes)


def search_versions(
    query: str, *, on: datetime.date, unit_ids: set[int] | None = None, limit: int = 50
) -> QuerySet[UnitVersion]:
    """Units valid on ``on`` whose name matches ``query``, ignoring case and diacritics."""
    qs = versions_on(on)
    for word in fold(query).split():
        qs = qs.filter(search_name__contains=word)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.order_by("unit__level", "sort_key", "unit_id")[:limit]


def count_units(*, on: datetime.date, level: str, within: AdminUnit | None) -> int:
    return units_on(on, level=level, within=within).count()


@dataclass(frozen=True)
class UnitCount:
    on: datetime.date
    districts: int
    communes: int


def unit_count_dates() -> list[datetime.date]:
    """The dates of the unit-count table in ``docs/admin-history.md``: the founding day of
    the work teams, each 1 January from 2005 to 2025, and the first day of the 2025 tree."""
    return [
        datetime.date(2004, 7, 5),
        *(datetime.date(year, 1, 1) for year in range(2005, 2026)),
        datetime.date(2025, 7, 1),
    ]


def unit_counts(province_code: str, dates: Iterable[datetime.date]) -> list[UnitCount]:
    """How many districts and communes the province with that code had on each date."""
    counts: list[UnitCount] = []
    for on in dates:
        province = unit_by_code(province_code, level=Level.PROVINCE, on=on)
        below = units_on(on, within=province)
        counts.append(
            UnitCount(
                on=on,
                districts=below.filter(unit__level=Level.DISTRICT).count(),
                communes=below.filter(unit__level=Level.COMMUNE).count(),
            )
        )
    return counts
