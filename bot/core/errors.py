"""Domain errors. Their messages are Chinese and say what to type instead."""


class DomainError(Exception):
    """A request that cannot be done as asked; `str(error)` is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class InvalidInput(DomainError):
    pass
