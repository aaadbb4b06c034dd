class DomainError(Exception):
    """A rule of the domain was broken. The message is Vietnamese and names the field or row."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
