"""The statuses of a revision and of its checks, defined once.

The read model takes its column choices from these enums and the fold
compares against them, so a status is spelled in one place. They are
Django `TextChoices` for their labels; nothing here touches the database.
"""

from django.db import models


class RevisionStatus(models.TextChoices):
    PENDING = "pending", "pending review"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    WITHDRAWN = "withdrawn", "withdrawn"


class CheckStatus(models.TextChoices):
    """The verdict of a revision's consistency checks, from best to worst after PENDING."""

    PENDING = "pending", "checks pending"
    PASSED = "passed", "passed"
    WARNINGS = "warnings", "warnings"
    FAILED = "failed", "errors"
    ERROR = "error", "error in a rule"
