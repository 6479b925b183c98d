"""API tokens (only their hash is stored) and the responses kept for `Idempotency-Key` replays."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# The key a bot sends starts with this, so a leaked one is recognisable (secret scanners, logs).
KEY_PREFIX = "stet_"


def hash_key(key: str) -> str:
    """sha256 of the key: the key is 32 random bytes, so a plain hash cannot be guessed back (no salt needed)."""
    return hashlib.sha256(key.encode("utf-8", errors="surrogateescape")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for (the bot or script using it).")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, to tell tokens apart in the admin without storing the key.
    key_start = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_start}… ({self.user}: {self.name})"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token for `user`, and its key: the only time the key exists outside the caller."""
        token = cls(user=user, name=name)
        key = token.set_new_key()
        token.save()
        return token, key

    def set_new_key(self) -> str:
        """Give the (unsaved) token a fresh key, keeping only its hash; returns the key."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.key_hash, self.key_start = hash_key(key), key[: len(KEY_PREFIX) + 6]
        return key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class IdempotentResponse(models.Model):
    """The first successful response to a write sent with an `Idempotency-Key`, replayed to its retries.

    `scope` is the token (or, for a session, the user) that sent it: one bot's keys never meet another's.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="api_idempotency_scope_key")]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created_idx")]
