"""Jurisdiction: which units a user may see, and during which periods.

A user belongs to one unit. Their jurisdiction is that unit, everything below it while it
was below it, and everything that flowed into it through merges and splits, for that
predecessor's whole life. So:

- a 2025 commune's user sees the legacy communes merged into it, with their history;
- a district clerk of Lắk sees Lắk's communes and villages up to 1-7-2025, and not after;
- a province admin sees the whole province, including provinces merged into it.

Scoping is the main security risk of the system: every view and API endpoint reaches data
through ``accounts.access``, which is built on :func:`jurisdiction_for` alone.
"""

import datetime
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from cachetools import LRUCache
from django.db.models import Q

from gandan.accounts.models import User
from gandan.accounts.types import Actor
from gandan.core.dates import vn_date
from gandan.core.errors import OutsideJurisdiction
from gandan.geo.models import AdminUnit, UnitVersion
from gandan.geo.selectors import predecessor_ids
from gandan.geo.tree import places_fingerprint

_CACHE_ATTR = "_gandan_jurisdiction"


@dataclass(frozen=True)
class Span:
    """A half-open period [start, end); None is open-ended."""

    start: datetime.date | None
    end: datetime.date | None

    def contains(self, on: datetime.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)

    def intersect(self, other: "Span") -> "Span | None":
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        start = max(starts) if starts else None
        end = min(ends) if ends else None
        if start is not None and end is not None and end <= start:
            return None
        return Span(start, end)

    def hull(self, other: "Span") -> "Span":
        start = None if self.start is None or other.start is None else min(self.start, other.start)
        end = None if self.end is None or other.end is None else max(self.end, other.end)
        return Span(start, end)

    def touches(self, other: "Span") -> bool:
        """Whether the two overlap or meet (so their union is one span)."""
        return (self.end is None or other.start is None or other.start <= self.end) and (
            other.end is None or self.start is None or self.start <= other.end
        )


def _start_key(span: Span) -> datetime.date:
    return span.start or datetime.date.min


@dataclass(frozen=True)
class Stays:
    """The periods during which a unit is inside a jurisdiction: disjoint spans, in order.

    Mostly one span. A unit that left and came back (a commune moved to another district
    and later returned) has two, and is not covered in between."""

    parts: tuple[Span, ...]

    @classmethod
    def of(cls, *spans: Span) -> "Stays":
        merged: list[Span] = []
        for span in sorted(spans, key=_start_key):
            if merged and merged[-1].touches(span):
                merged[-1] = merged[-1].hull(span)
            else:
                merged.append(span)
        return cls(tuple(merged))

    def union(self, other: "Stays") -> "Stays":
        return Stays.of(*self.parts, *other.parts)

    def intersect(self, span: Span) -> "Stays | None":
        inside = [part for p in self.parts if (part := p.intersect(span)) is not None]
        return Stays.of(*inside) if inside else None

    def contains(self, on: datetime.date) -> bool:
        return any(part.contains(on) for part in self.parts)

    def includes(self, start: datetime.date | None, end: datetime.date | None) -> bool:
        """Whether one stay holds the whole of [start, end) (None: open-ended)."""
        return self.first_gap(start, end) is None

    def first_gap(self, start: datetime.date | None, end: datetime.date | None) -> Span | None:
        """The first part of [start, end) that no stay holds; None when all of it is held."""
        at = start
        for part in self.parts:
            if part.end is not None and at is not None and part.end <= at:
                continue  # wholly before what is left
            if part.start is not None and (at is None or part.start > at):
                break  # a gap before this part
            if part.end is None or (end is not None and end <= part.end):
                return None
            at = part.end
        if end is not None and at is not None and end <= at:
            return None
        following = [
            p.start for p in self.parts if p.start is not None and (at is None or p.start > at)
        ]
        gap_end = min([d for d in (*following[:1], end) if d is not None], default=None)
        return Span(at, gap_end)

    @property
    def start(self) -> datetime.date | None:
        return self.parts[0].start

    @property
    def end(self) -> datetime.date | None:
        return self.parts[-1].end


@dataclass
class Jurisdiction:
    """The units a user may see, each with the period during which it is theirs."""

    everything: bool = False
    spans: dict[int, Stays] = field(default_factory=dict)

    def covers(self, unit_id: int, on: datetime.date | None = None) -> bool:
        if self.everything:
            return True
        span = self.spans.get(unit_id)
        return span is not None and (on is None or span.contains(on))

    def gap(
        self, unit_id: int, start: datetime.date | None, end: datetime.date | None
    ) -> Span | None:
        """The first part of [start, end) during which the unit is not inside; None when the
        unit is inside for the whole of it."""
        if self.everything:
            return None
        stays = self.spans.get(unit_id)
        return Span(start, end) if stays is None else stays.first_gap(start, end)

    def overlaps(
        self, unit_id: int, start: datetime.date | None, end: datetime.date | None
    ) -> bool:
        """Whether the unit is inside on some day of [start, end) (None: open-ended)."""
        if self.everything:
            return True
        stays = self.spans.get(unit_id)
        return stays is not None and stays.intersect(Span(start, end)) is not None

    def unit_ids(self, on: datetime.date | None = None) -> set[int] | None:
        """Visible unit ids (on a date, if given); None means no restriction."""
        if self.everything:
            return None
        if on is None:
            return set(self.spans)
        return {uid for uid, span in self.spans.items() if span.contains(on)}

    def filter_units(self, field_name: str = "pk", on: datetime.date | None = None) -> Q:
        ids = self.unit_ids(on)
        return Q() if ids is None else Q(**{f"{field_name}__in": ids})

    def filter_dated(self, unit_field: str, date_field: str) -> Q:
        """Rows on a unit at a date, visible only inside that unit's span (for records)."""
        if self.everything:
            return Q()
        by_span: dict[Span, list[int]] = {}
        for uid, stays in self.spans.items():
            for span in stays.parts:
                by_span.setdefault(span, []).append(uid)
        q = Q(pk__in=[])
        for span, ids in by_span.items():
            part = Q(**{f"{unit_field}__in": ids})
            if span.start is not None:
                part &= Q(**{f"{date_field}__gte": span.start})
            if span.end is not None:
                part &= Q(**{f"{date_field}__lt": span.end})
            q |= part
        return q


def _merge(spans: dict[int, Stays], unit_id: int, stays: Stays) -> bool:
    old = spans.get(unit_id)
    new = stays if old is None else old.union(stays)
    if new != old:
        spans[unit_id] = new
        return True
    return False


# Jurisdictions kept between requests, per process: a province's walk through time costs
# ~120 ms and changes only when a unit does. The key holds ``places_fingerprint``, which every
# write to a unit, a version, a change or a succession moves (a trigger, villages included),
# so a kept one is never out of date. Shared: callers must not change what they are given.
_KEPT: LRUCache[tuple[str, int, bool], "Jurisdiction"] = LRUCache(maxsize=512)
_KEPT_LOCK = threading.Lock()


def jurisdictions_forget() -> None:
    """Forget the jurisdictions kept between requests (a test that counts the queries of a
    request as it is when nothing is kept)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def jurisdiction_of_unit(root: AdminUnit, *, with_predecessors: bool = True) -> Jurisdiction:
    """What is inside ``root`` through time. ``with_predecessors=False`` gives only what was
    below it while it existed (a team's territory), not the history merged into it."""
    # The fingerprint is read before the tree: a write committed in between is then kept
    # under the older key, never the other way round.
    key = (places_fingerprint(), root.pk, with_predecessors)
    with _KEPT_LOCK:
        kept = _KEPT.get(key)
    if kept is None:
        kept = _walk(root, with_predecessors=with_predecessors)
        with _KEPT_LOCK:
            _KEPT[key] = kept
    return kept


def _walk(root: AdminUnit, *, with_predecessors: bool) -> Jurisdiction:
    spans: dict[int, Stays] = {}
    frontier = {root.pk}
    while frontier:
        changed: set[int] = set()
        # Predecessors count for their whole life. The root's own dates are read with them
        # the first time, not taken from the caller's copy: what is kept must match the
        # fingerprint it is kept under.
        preceding = predecessor_ids(frontier) if with_predecessors else set()
        wanted = preceding if spans else preceding | {root.pk}
        # Plain rows, not model instances: a province walks thousands of versions.
        for pk, valid_from, valid_to in AdminUnit.objects.filter(pk__in=wanted).values_list(
            "pk", "valid_from", "valid_to"
        ):
            if _merge(spans, pk, Stays.of(Span(valid_from, valid_to))) and pk != root.pk:
                changed.add(pk)
        # Children count while they were children of a visible unit.
        for unit_id, parent_id, valid_from, valid_to in UnitVersion.objects.filter(
            parent_id__in=frontier | changed
        ).values_list("unit_id", "parent_id", "valid_from", "valid_to"):
            inside = spans[parent_id].intersect(Span(valid_from, valid_to))
            if inside is not None and _merge(spans, unit_id, inside):
                changed.add(unit_id)
        frontier = changed
    return Jurisdiction(spans=spans)


def jurisdictions_prime(users: Iterable[User]) -> None:
    """Work out the jurisdiction once per unit for these users (the people told of a case or
    a report share a few units), so that :func:`jurisdiction_for` is free for each of them."""
    by_unit: dict[int, Jurisdiction] = {}
    for user in users:
        if getattr(user, _CACHE_ATTR, None) is not None or user.is_superuser or user.unit is None:
            continue
        unit = user.unit
        if unit.pk not in by_unit:
            by_unit[unit.pk] = jurisdiction_of_unit(unit)
        setattr(user, _CACHE_ATTR, by_unit[unit.pk])


def jurisdiction_for(user: User) -> Jurisdiction:
    """The jurisdiction of a user, computed once per request (cached on the user object)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if not getattr(user, "is_authenticated", False):
        result = Jurisdiction()
    elif user.is_superuser:
        result = Jurisdiction(everything=True)
    elif user.unit is None:  # no query when unit_id is None
        result = Jurisdiction()
    else:
        result = jurisdiction_of_unit(user.unit)
    setattr(user, _CACHE_ATTR, result)
    return result


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    """A half-open period in words: "từ 01/07/2025 đến hết 30/06/2026"."""
    head = f"từ {vn_date(start)}" if start is not None else "từ trước khi có số liệu"
    if end is None:
        return f"{head} trở đi"
    return f"{head} đến hết {vn_date(end - datetime.timedelta(days=1))}"


def require_within(
    actor: Actor,
    unit: AdminUnit,
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    field: str,
) -> None:
    """Refuse a write whose effect on ``unit`` over [start, end) (None: open-ended) is not
    wholly inside the actor's jurisdiction: a write must be theirs for its whole effect in
    time, not only on its first day. ``actor=None`` is the system (loaders, the demo)."""
    if actor is None:
        return
    gap = jurisdiction_for(actor).gap(unit.pk, start, end)
    if gap is None:
        return
    raise OutsideJurisdiction(
        f"{unit} không thuộc địa bàn của bạn {_period(gap.start, gap.end)}; "
        f"thay đổi này có hiệu lực {_period(start, end)}.",
        field=field,
    )
