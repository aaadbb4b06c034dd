"""Background upkeep of the analytics facts (ADR 0008), on the task queue (``core.queue``).

Questions are right without it: they read the facts and the ledger rows not yet folded in,
and after a boundary change the ledger is moved to the new tree before it is read. The task
keeps them fast: it folds the ledger into the facts, and after a boundary change it moves the
ledger to the live tree in the background, so that the first question after the change does
not pay for it."""

from gandan.analytics.facts import facts_merge, facts_rekey, rekey_needed
from gandan.core.queue import background


@background(attempts=2)
def facts_maintain_task() -> dict[str, int]:
    """Enqueued every minute by the worker (``settings.GANDAN_PERIODIC_TASKS``). Both steps
    take their own locks and are no-ops when there is nothing to do, so running it twice or
    after an interruption is harmless."""
    moved = facts_rekey() if rekey_needed() else 0
    merged = facts_merge()
    return {"rekeyed": moved, "merged": merged.rows}
