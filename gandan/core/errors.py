class DomainError(Exception):
    """A rule of the domain was broken. The message is Vietnamese and names the field or row."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class OutsideJurisdiction(DomainError):
    """A write whose effect reaches outside the actor's jurisdiction (in place or in time).

    A domain error, so forms show it next to the field; the API answers it with 403."""
