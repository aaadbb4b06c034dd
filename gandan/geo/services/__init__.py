"""Writes to the administrative tree: ``units`` (dated changes with legal bases) and
``villages`` (user-managed). Import from here."""

from gandan.geo.services.units import (
    SplitPart,
    legal_document_get_or_create,
    search_key,
    unit_abolish,
    unit_boundary_change,
    unit_create,
    unit_merge,
    unit_rename,
    unit_reparent,
    unit_split,
)
from gandan.geo.services.villages import village_create, village_update

__all__ = [
    "SplitPart",
    "legal_document_get_or_create",
    "search_key",
    "unit_abolish",
    "unit_boundary_change",
    "unit_create",
    "unit_merge",
    "unit_rename",
    "unit_reparent",
    "unit_split",
    "village_create",
    "village_update",
]
