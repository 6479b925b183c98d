"""What the management commands share: finding users and turning refusals into exit codes."""

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from .errors import EditorialError


def user_named(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"There is no user named {username!r}.") from None


@contextmanager
def refusals_as_command_errors():
    """A domain refusal becomes a message on stderr and a non-zero exit."""
    try:
        yield
    except EditorialError as error:
        raise CommandError(str(error)) from error
