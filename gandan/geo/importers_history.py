"""Curated changes of a province between 5-7-2004 and 2019 (``data/*_2004_2019.json``).

The package ``vietnamadminunits`` gives the tree of 2019–2024 as if it had always been so.
These files say what was different before: units born later (a district, a commune), units
that ended before 2019 (with ``LS``-prefixed codes, see ``docs/admin-history.md``), and the
moves, renames, splits and boundary changes in between, each with its decree.

:func:`history_for` reads a province's file once; the loader asks it for each unit's first
state (:meth:`History.born`, :meth:`History.first_parent`, :meth:`History.first_name`) while it
creates the units, then :func:`history_apply` replays the changes through the geo services,
in date order, inside the loader's one transaction (so loading stays idempotent).
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gandan.core.errors import DomainError
from gandan.geo.models import AdminUnit
from gandan.geo.services import (
    SplitPart,
    legal_document_get_or_create,
    unit_boundary_change,
    unit_create,
    unit_rename,
    unit_reparent,
    unit_split,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
PATTERN = "*_2004_2019.json"


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@dataclass
class History:
    """One province's curated 2004–2019 changes and the first state they imply."""

    path: Path
    spec: dict[str, Any]
    dates: dict[str, datetime.date] = field(default_factory=dict)
    _born: dict[str, datetime.date] = field(default_factory=dict)
    _parent: dict[str, str] = field(default_factory=dict)
    _name: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, document in self.spec["documents"].items():
            effective = document.get("effective_on") or document["issued_on"]
            self.dates[key] = datetime.date.fromisoformat(effective)
        for change in self.changes():
            on = self.dates[change["document"]]
            kind = change["type"]
            if kind == "establish":
                self._born.setdefault(change["code"], on)
            elif kind == "split":
                for part in change["parts"]:
                    self._born.setdefault(part["code"], on)
            elif kind == "reparent":
                for code in change["codes"]:
                    self._parent.setdefault(code, change["from_parent"])
            elif kind == "rename":
                self._name.setdefault(
                    change["code"], (change.get("old_name"), change.get("old_kind"))
                )

    def changes(self) -> list[dict[str, Any]]:
        """The changes in date order (the file's order within a date)."""
        changes: list[dict[str, Any]] = self.spec["changes"]
        return sorted(changes, key=lambda c: self.dates[c["document"]])

    def born(self, code: str) -> datetime.date | None:
        """The day a unit of the 2019 catalogue began, if after records began."""
        return self._born.get(code)

    def first_parent(self, code: str, parent_code: str) -> str:
        """The code of the unit's first parent (its 2019 parent unless it moved)."""
        return self._parent.get(code, parent_code)

    def first_name(self, code: str, name: str, kind: str) -> tuple[str, str]:
        old_name, old_kind = self._name.get(code, (None, None))
        return old_name or name, old_kind or kind


def history_for(province_code: str) -> History | None:
    for path in sorted(DATA_DIR.glob(PATTERN)):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec["province_code"] == province_code:
            return History(path, spec)
    return None


def _area_km2(item: dict[str, Any]) -> Decimal | None:
    return Decimal(item["area_ha"]) / 100 if item.get("area_ha") else None


def history_apply(history: History, units: dict[str, AdminUnit], count: Any) -> None:
    """Create the units that ended before 2019 and replay the changes through the services.

    ``units`` maps the codes of the province's districts and communes (2019 and 2024
    catalogues) to units; units created here are added to it. ``count(key)`` tallies.
    """
    spec = history.spec
    documents = {
        key: legal_document_get_or_create(
            number=doc["number"],
            issued_on=datetime.date.fromisoformat(doc["issued_on"]),
            issuer=doc.get("issuer", ""),
            title=doc.get("title", ""),
            effective_on=_day(doc.get("effective_on")),
            note=doc.get("note", ""),
        )
        for key, doc in spec["documents"].items()
    }

    def unit(code: str) -> AdminUnit:
        if code not in units:
            raise DomainError(f"Tệp {history.path.name} nhắc đến mã đơn vị không có: {code}")
        return units[code]

    for item in spec["historic_units"]:
        units[item["code"]] = unit_create(
            code=item["code"],
            name=item["name"],
            kind=item["kind"],
            parent=unit(item["district_code"]),
            valid_from=None,
            source=f"{history.path.name}: {item.get('note', '')}"[:200],
        )
        count("history_units")

    for change in history.changes():
        kind, description = change["type"], change.get("description", "")
        on, basis = history.dates[change["document"]], documents[change["document"]]
        if kind == "establish":
            for source in change["from"]:
                unit_boundary_change(
                    source=unit(source["code"]),
                    target=unit(change["code"]),
                    on=on,
                    basis=basis,
                    area_km2=_area_km2(source),
                    population=source.get("population"),
                    description=description,
                )
        elif kind == "boundary":
            unit_boundary_change(
                source=unit(change["source"]),
                target=unit(change["target"]),
                on=on,
                basis=basis,
                area_km2=_area_km2(change),
                population=change.get("population"),
                description=description,
            )
        elif kind == "reparent":
            for code in change["codes"]:
                unit_reparent(unit=unit(code), parent=unit(change["to_parent"]), on=on, basis=basis)
        elif kind == "rename":
            unit_rename(
                unit=unit(change["code"]),
                name=change["name"],
                kind=change.get("kind"),
                on=on,
                basis=basis,
            )
        elif kind == "split":
            parts = [
                SplitPart(
                    successor=unit(part["code"]),
                    area_km2=_area_km2(part),
                    population=part.get("population"),
                    is_default=bool(part.get("default")),
                )
                for part in change["parts"]
            ]
            unit_split(
                source=unit(change["source"]),
                parts=parts,
                on=on,
                basis=basis,
                description=description,
            )
        else:
            raise DomainError(f"Loại thay đổi không hỗ trợ trong {history.path.name}: {kind}")
        count(f"history_{kind}")
