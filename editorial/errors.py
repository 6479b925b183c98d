"""Domain errors. Each message says what went wrong and what to do."""


class EditorialError(Exception):
    """Base of every refusal by an editorial command."""


class NotFound(EditorialError):
    pass


class NotAllowed(EditorialError):
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


class ContentMissing(NotFound):
    """A content blob that an event names is not stored (deleted, lost from a backup) or cannot be read.

    A NotFound, so whoever refuses a missing revision refuses this too; the
    pages show it as a clear page (`editorial.middleware`), and
    `replay_events --verify` reports it.
    """

    def __init__(self, content_hash: str, *, revision_id: int | None = None):
        self.content_hash = content_hash
        self.revision_id = revision_id
        whose = f"revision {revision_id}" if revision_id is not None else "a revision"
        super().__init__(
            f"The stored content of {whose} (hash {content_hash[:12]}…) is missing from the database "
            "or cannot be read. "
            "`manage.py replay_events --verify` reports it; restore the content blob from a backup."
        )


class MergeConflicts(EditorialError):
    """A rebase met changes made differently on both sides; the author resolves them unit by unit.

    `conflicts` are `encyclopedia.merge.Conflict` values, for the conflict screen.
    """

    def __init__(self, revision_id: int, published_revision: int, conflicts):
        self.revision_id = revision_id
        self.published_revision = published_revision
        self.conflicts = tuple(conflicts)
        labels = "; ".join(conflict.label for conflict in self.conflicts)
        super().__init__(
            f"Revision {revision_id} and the published revision {published_revision} changed the same places "
            f"differently ({labels}); choose what to keep for each."
        )
