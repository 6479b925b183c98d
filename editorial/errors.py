"""Domain errors. Each message says what went wrong and what to do."""


class EditorialError(Exception):
    """Base of every refusal by an editorial command."""


class NotFound(EditorialError):
    pass


class PermissionDenied(EditorialError):
    pass


class InvalidTransition(EditorialError):
    """The revision is not in a state that allows this action."""


class StaleBase(EditorialError):
    """The revision was written against a version that is no longer published."""


class ConcurrentWrite(EditorialError):
    """Another writer appended to the stream first; the caller re-reads and decides again."""


class ChecksPending(EditorialError):
    """The consistency checks have not reached a verdict yet."""


class ChecksFailed(EditorialError):
    """Errors stand in the checks and no override reason was given."""
