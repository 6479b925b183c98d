"""`Authorization: Token <key>` (or `Bearer <key>`): the key's sha256 is looked up, never the key itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_key

KEYWORDS = (b"token", b"bearer")
# Writing last_used_at on every request would make each read a write; once a minute tells enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: the session may still authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be `Token <key>` or `Bearer <key>`, with the key and no spaces in it."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("An API key is ASCII; check the key that was sent.") from None
        token = ApiToken.objects.active().select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This API key is unknown or was revoked; ask an administrator for a new one."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        # Present so that an unauthenticated request is a 401 with a challenge, not a 403.
        return 'Token realm="api"'
