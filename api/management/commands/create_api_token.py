"""`manage.py create_api_token USERNAME [--name TEXT]`: a new API token; the key is printed once, only its hash is kept."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown once: only a hash of it is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (a bot's name).")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}; create the user first.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is inactive; a token of theirs would be refused.")
        token, key = ApiToken.issue(user, name or "created with manage.py create_api_token")
        self.stderr.write(f"Token {token.key_start}… for {username}; the key (shown only now):")
        self.stdout.write(key)
