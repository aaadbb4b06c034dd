"""Background tasks of cases (``core.queue``): the daily erasure of expired contacts."""

from gandan.cases.privacy import contacts_erase_expired
from gandan.core.queue import background


@background(attempts=2)
def contacts_erase_task() -> int:
    """Enqueued daily by the worker (``settings.GANDAN_PERIODIC_TASKS``); erasing twice is
    harmless, so an interrupted run is simply run again. Returns how many were erased."""
    return contacts_erase_expired()
