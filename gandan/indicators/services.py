"""Writes to the indicator catalogue: seed, create, edit, retire, restore, delete.

The rules keep fifteen years of figures meaning what they meant (ADR 0018):

- names are unique after folding (case, diacritics, spacing), so no two columns of a
  template, no two entries of a dropdown and no two lines of a report read alike;
- an indicator in use (``indicators.usage``) keeps its code, unit, source and aggregation
  for good, and can be retired but not deleted;
- a ratio names its numerator and denominator and is a percentage; a part shares its
  parent's unit and aggregation, one level deep.
"""

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from gandan.accounts.types import Actor
from gandan.core.audit import audit_log
from gandan.core.dates import vn_date
from gandan.core.errors import DomainError
from gandan.core.text import clean, fold
from gandan.indicators.catalogue_selectors import activity_type_choices
from gandan.indicators.models import Aggregation, Group, Indicator, Source
from gandan.indicators.usage import usage_of

CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.json"
REFERENCES = ("parent", "numerator", "denominator")
CODE = re.compile(r"[a-z][a-z0-9_]{1,63}")
BREAKDOWNS = {"gender": "giới tính", "minority": "dân tộc thiểu số"}
PERCENT = "%"
MAX_POSITION = 32767

# What each source can be aggregated as; a parent (parts) aggregates as its parts do.
AGGREGATIONS: dict[str, set[str]] = {
    Source.VALUE: {Aggregation.SUM},
    Source.ACTIVITIES: {Aggregation.COUNT},
    Source.PARTICIPANTS: {Aggregation.SUM},
    Source.VILLAGES: {Aggregation.DISTINCT_PLACES},
    Source.COMMUNES: {Aggregation.DISTINCT_PLACES},
    Source.MEMBERS: {Aggregation.STOCK_AT_DATE},
    Source.TEAMS: {Aggregation.STOCK_AT_DATE},
    Source.VILLAGES_ASSIGNED: {Aggregation.STOCK_AT_DATE},
    Source.MEMBERS_MINORITY: {Aggregation.STOCK_AT_DATE},
    Source.AWARDS_COLLECTIVE: {Aggregation.COUNT},
    Source.AWARDS_INDIVIDUAL: {Aggregation.COUNT},
    Source.CASES_RECEIVED: {Aggregation.COUNT},
    Source.CASES_RESOLVED: {Aggregation.COUNT},
    Source.RATIO: {Aggregation.RATIO},
    Source.PARTS: {Aggregation.SUM, Aggregation.STOCK_AT_DATE},
    Source.PAPER: {Aggregation.SUM, Aggregation.STOCK_AT_DATE},
}
TYPED_SOURCES = {Source.ACTIVITIES, Source.PARTICIPANTS, Source.VILLAGES, Source.COMMUNES}
# Fields that give existing figures their meaning: fixed once the indicator is used.
FIXED_IN_USE = {
    "code": "mã",
    "unit": "đơn vị tính",
    "source": "nguồn số liệu",
    "aggregation": "cách tổng hợp",
    "activity_types": "loại hoạt động",
    "numerator": "tử số",
    "denominator": "mẫu số",
}
LABELS = FIXED_IN_USE | {
    "name_vi": "tên tiếng Việt",
    "name_en": "tên tiếng Anh",
    "group": "nhóm",
    "breakdowns": "phân tổ",
    "integer_only": "chỉ nhận số nguyên",
    "position": "thứ tự",
    "parent": "chỉ tiêu tổng",
}


# -- the seeded catalogue ---------------------------------------------------------------------


def catalogue_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(CATALOGUE.read_text(encoding="utf-8"))["indicators"]
    return rows


@transaction.atomic
def catalogue_seed(*, actor: Actor = None, model: Any = Indicator) -> int:
    """Create the seeded indicators that are missing. Existing ones (maybe edited by an
    admin) are left as they are. Returns how many were created.

    Migrations pass their historical model: a row that model cannot hold yet (a ratio
    before ratios existed) waits for the migration that can. A seeded name already taken
    by an admin's indicator gets its code appended, so the name stays unique."""
    fields = {f.name for f in model._meta.get_fields()}
    keyed = "name_key" in fields
    taken = set(model.objects.values_list("name_key", flat=True)) if keyed else set()
    existing = set(model.objects.values_list("code", flat=True))
    rows = [r for r in catalogue_rows() if r["code"] not in existing and set(r) <= fields]
    created = 0
    # Rows that refer to others come after them (one level deep: parents, ratio terms).
    for row in sorted(rows, key=lambda r: any(r.get(k) for k in REFERENCES)):
        values = {k: v for k, v in row.items() if k not in REFERENCES}
        values |= {k: model.objects.get(code=row[k]) for k in REFERENCES if row.get(k)}
        if keyed:
            key = fold(values["name_vi"])
            if key in taken:
                values["name_vi"] = f"{values['name_vi']} ({row['code']})"
                key = fold(values["name_vi"])
            values["name_key"] = key
            taken.add(key)
        model.objects.create(**values)
        created += 1
    if created and model is Indicator:
        audit_log(
            actor=actor,
            action="indicators.seed",
            message=f"Thêm {created} chỉ tiêu từ danh mục gốc",
        )
    return created


# -- one indicator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    """An indicator as an administrator describes it."""

    code: str
    name_vi: str
    unit: str
    group: str
    source: str
    aggregation: str
    name_en: str = ""
    activity_types: Sequence[str] = field(default_factory=list)
    breakdowns: Sequence[str] = field(default_factory=list)
    integer_only: bool = True
    position: int = 0
    parent: Indicator | None = None
    numerator: Indicator | None = None
    denominator: Indicator | None = None


def _fields(data: IndicatorInput, current: Indicator | None) -> dict[str, Any]:
    """The stored fields once every rule that looks at the input alone holds."""
    code = data.code.strip()
    if not CODE.fullmatch(code):
        raise DomainError(
            f"Mã «{code}» không hợp lệ: dùng chữ thường không dấu, chữ số và dấu gạch dưới, "
            "bắt đầu bằng chữ, từ 2 đến 64 ký tự, ví dụ «vuon_uom».",
            field="code",
        )
    name_vi, name_en, unit = clean(data.name_vi), clean(data.name_en), clean(data.unit)
    if not name_vi:
        raise DomainError("Cần ghi tên tiếng Việt của chỉ tiêu.", field="name_vi")
    for name, text, limit in (("name_vi", name_vi, 200), ("name_en", name_en, 200), ("unit", unit, 64)):  # fmt: skip
        if len(text) > limit:
            raise DomainError(f"Tối đa {limit} ký tự.", field=name)
    if data.group not in Group.values:
        raise DomainError(f"Nhóm không hợp lệ: «{data.group}».", field="group")
    if data.source not in AGGREGATIONS:
        raise DomainError(f"Nguồn số liệu không hợp lệ: «{data.source}».", field="source")
    if data.aggregation not in AGGREGATIONS[data.source]:
        allowed = ", ".join(f"«{Aggregation(a).label}»" for a in sorted(AGGREGATIONS[data.source]))
        raise DomainError(
            f"Nguồn «{Source(data.source).label}» chỉ tổng hợp theo cách {allowed}.",
            field="aggregation",
        )
    if data.source == Source.RATIO:
        unit = unit or PERCENT
        if unit != PERCENT:
            raise DomainError("Chỉ tiêu tỉ lệ có đơn vị tính là «%».", field="unit")
    elif not unit:
        raise DomainError("Cần ghi đơn vị tính, ví dụ «vườn», «người», «đồng».", field="unit")
    if not 0 <= data.position <= MAX_POSITION:
        raise DomainError(f"Thứ tự từ 0 đến {MAX_POSITION}.", field="position")
    return {
        "code": code,
        "name_vi": name_vi,
        "name_key": fold(name_vi),
        "name_en": name_en,
        "unit": unit,
        "group": data.group,
        "source": data.source,
        "aggregation": data.aggregation,
        "activity_types": _activity_types(data),
        "breakdowns": _breakdowns(data),
        "integer_only": data.integer_only,
        "position": data.position,
        "parent": _parent(data, current, unit),
        "numerator": _term(data, "numerator", current),
        "denominator": _term(data, "denominator", current),
    }


def _activity_types(data: IndicatorInput) -> list[str]:
    codes = list(dict.fromkeys(c.strip() for c in data.activity_types if c.strip()))
    if codes and data.source not in TYPED_SOURCES:
        raise DomainError(
            "Chỉ chọn loại hoạt động cho chỉ tiêu đếm hoạt động, lượt người hoặc địa bàn.",
            field="activity_types",
        )
    known = {code for code, _name in activity_type_choices()}
    if unknown := [c for c in codes if c not in known]:
        raise DomainError(f"Không có loại hoạt động mã «{unknown[0]}».", field="activity_types")
    return codes


def _breakdowns(data: IndicatorInput) -> list[str]:
    chosen = list(dict.fromkeys(data.breakdowns))
    if unknown := [b for b in chosen if b not in BREAKDOWNS]:
        raise DomainError(f"Phân tổ không hợp lệ: «{unknown[0]}».", field="breakdowns")
    return chosen


def _parent(data: IndicatorInput, current: Indicator | None, unit: str) -> Indicator | None:
    parent = data.parent
    if parent is None:
        return None
    if current is not None and parent.pk == current.pk:
        raise DomainError("Chỉ tiêu không là thành phần của chính nó.", field="parent")
    if parent.source != Source.PARTS:
        raise DomainError(
            f"«{parent.name_vi}» không phải chỉ tiêu tổng (nguồn «{Source.PARTS.label}»).",
            field="parent",
        )
    if data.source in {Source.PARTS, Source.RATIO}:
        raise DomainError(
            "Chỉ tiêu tổng hay tỉ lệ không là thành phần của chỉ tiêu khác (chỉ một cấp).",
            field="parent",
        )
    if unit != parent.unit or data.aggregation != parent.aggregation:
        raise DomainError(
            f"Chỉ tiêu thành phần phải cùng đơn vị tính («{parent.unit}») và cách tổng hợp "
            f"(«{parent.get_aggregation_display()}») với «{parent.name_vi}».",
            field="parent",
        )
    return parent


def _term(data: IndicatorInput, name: str, current: Indicator | None) -> Indicator | None:
    term: Indicator | None = getattr(data, name)
    label = FIXED_IN_USE[name]
    if data.source != Source.RATIO:
        if term is not None:
            raise DomainError(f"Chỉ chỉ tiêu tỉ lệ mới có {label}.", field=name)
        return None
    if term is None:
        raise DomainError(f"Chỉ tiêu tỉ lệ cần {label}.", field=name)
    if (current is not None and term.pk == current.pk) or term.source == Source.RATIO:
        raise DomainError(f"{label.capitalize()} là một chỉ tiêu khác, không phải tỉ lệ.", field=name)  # fmt: skip
    if name == "denominator":
        numerator = data.numerator
        if numerator is not None and numerator.pk == term.pk:
            raise DomainError("Tử số và mẫu số phải là hai chỉ tiêu khác nhau.", field=name)
        if numerator is not None and numerator.unit != term.unit:
            raise DomainError(
                f"Tử số («{numerator.unit}») và mẫu số («{term.unit}») phải cùng đơn vị tính.",
                field=name,
            )
    return term


def _check_name(values: dict[str, Any], current: Indicator | None) -> None:
    others = Indicator.objects.exclude(pk=current.pk) if current else Indicator.objects.all()
    same_code = others.filter(code=values["code"]).first()
    if same_code is not None:
        raise DomainError(f"Đã có chỉ tiêu mã «{values['code']}»: «{same_code.name_vi}».", field="code")  # fmt: skip
    same_name = others.filter(name_key=values["name_key"]).first()
    if same_name is not None:
        raise DomainError(
            f"Đã có chỉ tiêu «{same_name.name_vi}» (mã {same_name.code}); tên chỉ tiêu không "
            "được trùng, kể cả khi chỉ khác chữ hoa, chữ thường hay dấu.",
            field="name_vi",
        )


def _check_parts(values: dict[str, Any], current: Indicator) -> None:
    """A parent that keeps its parts keeps their unit and aggregation."""
    parts = list(current.parts.all())
    if not parts:
        return
    if values["source"] != Source.PARTS:
        raise DomainError(
            f"«{current.name_vi}» có {len(parts)} chỉ tiêu thành phần; bỏ liên kết với chúng "
            "trước khi đổi nguồn số liệu.",
            field="source",
        )
    for part in parts:
        if part.unit != values["unit"] or part.aggregation != values["aggregation"]:
            raise DomainError(
                f"Chỉ tiêu thành phần «{part.name_vi}» tính bằng «{part.unit}» "
                f"({part.get_aggregation_display()}); chỉ tiêu tổng phải cùng đơn vị và cách tổng hợp.",
                field="unit",
            )


def _save(indicator: Indicator) -> None:
    """Save; a name or code taken meanwhile by someone else is a DomainError, not a 500."""
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError:
        raise DomainError(
            "Tên hoặc mã này vừa được dùng cho một chỉ tiêu khác; tải lại trang rồi thử lại.",
            field="name_vi",
        ) from None


def _described(values: dict[str, Any]) -> dict[str, Any]:
    """JSON for the audit entry: related indicators by code."""
    return {k: (v.code if isinstance(v, Indicator) else v) for k, v in values.items()}


@transaction.atomic
def indicator_create(*, actor: Actor, data: IndicatorInput) -> Indicator:
    """Add an indicator to the catalogue; it appears in the next template and form."""
    values = _fields(data, None)
    _check_name(values, None)
    indicator = Indicator(**values)
    _save(indicator)
    audit_log(
        actor=actor,
        action="indicators.create",
        target=indicator,
        message=f"Thêm chỉ tiêu «{indicator.name_vi}» (mã {indicator.code}, {indicator.unit})",
        data=_described(values),
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: Actor, indicator: Indicator, data: IndicatorInput) -> Indicator:
    """Edit an indicator. Names, group, order, breakdowns and parent may always change;
    what gives existing figures their meaning may not once the indicator is used."""
    values = _fields(data, indicator)
    _check_name(values, indicator)
    _check_parts(values, indicator)
    before = {k: getattr(indicator, k) for k in values}
    changed = {k for k, v in values.items() if v != before[k]}
    used = usage_of(indicator) if changed & (set(FIXED_IN_USE) | {"integer_only"}) else []
    if used:
        fixed = [k for k in FIXED_IN_USE if k in changed]
        tightened = "integer_only" in changed and values["integer_only"]
        if fixed or tightened:
            what = ", ".join(FIXED_IN_USE[k] for k in fixed) or "yêu cầu số nguyên"
            raise DomainError(
                f"«{indicator.name_vi}» đã được dùng ({'; '.join(used)}): không đổi được {what}, "
                "vì số liệu đã có sẽ đổi nghĩa. Cần chỉ tiêu khác thì thêm chỉ tiêu mới.",
                field=fixed[0] if fixed else "integer_only",
            )
    if not changed:
        return indicator
    for name in changed:
        setattr(indicator, name, values[name])
    _save(indicator)
    old, new = _described(before), _described(values)
    shown = [k for k in LABELS if k in changed]  # name_key follows name_vi
    audit_log(
        actor=actor,
        action="indicators.update",
        target=indicator,
        message=f"Sửa chỉ tiêu «{indicator.name_vi}» (mã {indicator.code}): "
        + "; ".join(f"{LABELS[k]} «{old[k]}» → «{new[k]}»" for k in shown),
        data={"before": {k: old[k] for k in shown}, "after": {k: new[k] for k in shown}},
    )
    return indicator


def last_data_day(indicator: Indicator) -> datetime.date | None:
    """The last day the indicator has data about: a record's start, a total's period end."""
    days = [
        indicator.activity_values.aggregate(d=Max("activity__start"))["d"],
        indicator.aggregate_entries.aggregate(d=Max("period_end"))["d"],
    ]
    return max((d for d in days if d is not None), default=None)


@transaction.atomic
def indicator_retire(*, actor: Actor, indicator: Indicator, on: datetime.date) -> Indicator:
    """Stop an indicator from ``on``: its history stays, and no data about ``on`` or later
    is taken (forms and new templates no longer offer it)."""
    if indicator.retired_on is not None:
        raise DomainError(
            f"«{indicator.name_vi}» đã ngừng sử dụng từ ngày {vn_date(indicator.retired_on)}.",
            field="retired_on",
        )
    last = last_data_day(indicator)
    if last is not None and on <= last:
        raise DomainError(
            f"«{indicator.name_vi}» có số liệu đến ngày {vn_date(last)}; ngày ngừng sử dụng "
            "phải sau ngày đó để lịch sử không có số liệu sau khi ngừng.",
            field="retired_on",
        )
    indicator.retired_on = on
    indicator.save(update_fields=["retired_on"])
    audit_log(
        actor=actor,
        action="indicators.retire",
        target=indicator,
        message=f"Ngừng sử dụng chỉ tiêu «{indicator.name_vi}» (mã {indicator.code}) từ ngày {vn_date(on)}",
        data={"retired_on": on.isoformat()},
    )
    return indicator


@transaction.atomic
def indicator_restore(*, actor: Actor, indicator: Indicator) -> Indicator:
    """Undo a retirement."""
    if indicator.retired_on is None:
        raise DomainError(f"«{indicator.name_vi}» đang được sử dụng.", field="retired_on")
    retired = indicator.retired_on
    indicator.retired_on = None
    indicator.save(update_fields=["retired_on"])
    audit_log(
        actor=actor,
        action="indicators.restore",
        target=indicator,
        message=f"Dùng lại chỉ tiêu «{indicator.name_vi}» (mã {indicator.code}), đã ngừng từ ngày {vn_date(retired)}",
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Actor, indicator: Indicator) -> None:
    """Delete an indicator nothing refers to; one in use can only be retired."""
    if used := usage_of(indicator):
        raise DomainError(
            f"«{indicator.name_vi}» đã được dùng ({'; '.join(used)}): không xóa được; "
            "hãy cho ngừng sử dụng.",
            field="code",
        )
    audit_log(
        actor=actor,
        action="indicators.delete",
        target=indicator,
        message=f"Xóa chỉ tiêu «{indicator.name_vi}» (mã {indicator.code})",
        data={
            k: getattr(indicator, k) for k in ("code", "name_vi", "unit", "source", "aggregation")
        },
    )
    indicator.delete()
