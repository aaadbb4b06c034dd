"""Demo grassroots cases, aspirations and inspections (filled in by issue 7)."""

from collections.abc import Callable


def cases_load(*, progress: Callable[[str], None]) -> None:
    """Add demo cases, aspirations and inspections. Running it again changes nothing."""
