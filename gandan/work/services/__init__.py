"""Writes for activity records, aggregate entries and works (a package since it outgrew one
file): records and paper-report totals (``records``), new-rural works (``works``), records
in bulk (``bulk``). Callers import from here."""

from gandan.work.services.bulk import BulkRejected, activities_bulk_create
from gandan.work.services.records import (
    ActivityInput,
    AggregateInput,
    activity_create,
    activity_delete,
    activity_update,
    aggregate_entry_create,
    aggregate_entry_delete,
    aggregate_entry_update,
)
from gandan.work.services.works import (
    WorkInput,
    work_create,
    work_delete,
    work_link_contributions,
    work_update,
)

__all__ = [
    "ActivityInput",
    "AggregateInput",
    "BulkRejected",
    "WorkInput",
    "activities_bulk_create",
    "activity_create",
    "activity_delete",
    "activity_update",
    "aggregate_entry_create",
    "aggregate_entry_delete",
    "aggregate_entry_update",
    "work_create",
    "work_delete",
    "work_link_contributions",
    "work_update",
]
