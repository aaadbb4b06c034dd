"""Background tasks of work (``core.queue``): the daily retention of uploaded files."""

from gandan.core.queue import background
from gandan.work.retention import uploads_prune


@background(attempts=2)
def uploads_prune_task() -> int:
    """Enqueued daily by the worker (``settings.GANDAN_PERIODIC_TASKS``); pruning twice is
    harmless. Returns how many imports and files were deleted."""
    pruned = uploads_prune()
    return pruned.imports + pruned.orphans
