"""Write hooks for data derived from activity records.

The analytics rollup (``indicators.rollup``, ADR 0006) must change in the same transaction
as the records it sums. ``indicators`` sits above ``work`` in the import order, so ``work``
cannot call it by name: the indicators app registers its hook here when Django starts
(``IndicatorsConfig.ready``), and the write services call :func:`records_changed`.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

RecordHook = Callable[[Sequence[int], int], None]

_hooks: list[RecordHook] = []


def register(hook: RecordHook) -> None:
    """Register ``hook(activity_ids, sign)``; registering the same hook twice is a no-op."""
    if hook not in _hooks:
        _hooks.append(hook)


_suspended: list[bool] = []


def records_changed(activity_ids: Sequence[int], sign: int) -> None:
    """Tell every hook that these activities were written (``sign=1``, after the write) or
    are about to change or go (``sign=-1``, before it). Runs in the caller's transaction."""
    if _suspended:
        return
    for hook in _hooks:
        hook(activity_ids, sign)


@contextmanager
def suspended() -> Iterator[None]:
    """Write without the hooks: only for measuring their cost (``bench/national.py``) or
    for bulk work followed by a rebuild of what they maintain (``gandan rollup``)."""
    _suspended.append(True)
    try:
        yield
    finally:
        _suspended.pop()
