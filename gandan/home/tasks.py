"""The daily reminders on the task queue (``core.queue``, ADR 0009): enqueued every morning
by the worker (``settings.GANDAN_PERIODIC_TASKS``)."""

import datetime

from gandan.core.dates import today
from gandan.core.queue import background
from gandan.home.reminders import reminders_send


@background(attempts=2)
def reminders_task(day: str | None = None) -> dict[str, int]:
    """Reminders are keyed, so an interrupted run is simply run again. ``day``: ISO date,
    today when absent (the periodic enqueue passes none)."""
    on = datetime.date.fromisoformat(day) if day else today()
    sent = reminders_send(day=on)
    return {"reports": sent.reports, "cases": sent.cases}
