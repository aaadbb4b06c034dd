"""Where an indicator is used: what freezes its code and keeps it from being deleted.

An indicator is in use when anything refers to it: a value of an activity record, a paper
total, a formula (a ratio's numerator or denominator, a parent and its parts), or anything
that names it by code (a report's snapshot, adjustments and regimes). The reasons are
Vietnamese phrases, shown on the catalogue pages and in refusals.

The apps that refer to indicators sit above the catalogue (ADR 0020), so it never imports
them, and they never have to register with it: it asks Django's app registry. A foreign key
to ``Indicator`` is found by ``Indicator._meta.related_objects`` (the referring model may
name its rows with an ``indicator_usage`` phrase); an app that names indicators by code
says how to find them with an ``indicator_references(codes)`` method on its ``AppConfig``.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence

from django.apps import apps
from django.db.models import Count, Model, Q

from gandan.core.numbers import format_number
from gandan.indicators.models import Indicator

# ``reader(codes)`` → {code: [reason, …]} for the codes it finds referred to.
UsageReader = Callable[[Sequence[str]], Mapping[str, Sequence[str]]]


def _referrers() -> Iterator[tuple[type[Model], str, str]]:
    """(model, field name, phrase) of every foreign key to an indicator outside the catalogue."""
    for relation in Indicator._meta.related_objects:
        model = relation.related_model
        if isinstance(model, type) and model is not Indicator:
            phrase = getattr(model, "indicator_usage", None) or model._meta.verbose_name_plural
            yield model, relation.field.name, str(phrase)


def _code_readers() -> Iterator[UsageReader]:
    """The installed apps that name indicators by code, and how each finds them."""
    for config in apps.get_app_configs():
        reader = getattr(config, "indicator_references", None)
        if callable(reader):
            yield reader


def usage(indicators: Sequence[Indicator]) -> dict[int, list[str]]:
    """Why each indicator (by id) counts as used; an empty list means unused. A handful of
    queries for the whole catalogue, whatever its size."""
    ids = [i.pk for i in indicators]
    out: dict[int, list[str]] = {pk: [] for pk in ids}
    for model, name, phrase in _referrers():
        rows = model._default_manager.filter(**{f"{name}__in": ids}).order_by()
        for pk, n in rows.values(name).annotate(n=Count("pk")).values_list(name, "n"):
            out[pk].append(f"{format_number(n)} {phrase}")
    formulas = Indicator.objects.filter(
        Q(numerator_id__in=ids) | Q(denominator_id__in=ids) | Q(parent_id__in=ids)
    ).only("name_vi", "numerator_id", "denominator_id", "parent_id")
    parts: dict[int, int] = defaultdict(int)
    for other in formulas:
        if other.numerator_id in out:
            out[other.numerator_id].append(f"tử số của «{other.name_vi}»")
        if other.denominator_id in out:
            out[other.denominator_id].append(f"mẫu số của «{other.name_vi}»")
        if other.parent_id in out:
            parts[other.parent_id] += 1
    for pk, count in parts.items():
        out[pk].append(f"tổng của {format_number(count)} chỉ tiêu thành phần")
    for indicator in indicators:
        if indicator.parent_id is not None:
            out[indicator.pk].append("là thành phần của một chỉ tiêu tổng")
    by_code = {i.code: i.pk for i in indicators}
    for reader in _code_readers():
        for code, reasons in reader(list(by_code)).items():
            if code in by_code:
                out[by_code[code]].extend(reasons)
    return out


def usage_of(indicator: Indicator) -> list[str]:
    return usage([indicator])[indicator.pk]
