"""Rate limits per token (per user for a session, per address for anonymous readers), reads and writes apart.

The counters live in Django's cache. Rates come from the environment through
settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), read at each request so
that a changed setting applies without a restart of the class.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def caller_scope(request) -> str | None:
    """Who is calling, for limits and idempotency keys: the token, else the logged-in user; None if anonymous."""
    if isinstance(request.auth, ApiToken):
        return f"token:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return None


class _CallerThrottle(SimpleRateThrottle):
    applies_to_writes: bool

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if (request.method not in SAFE_METHODS) != self.applies_to_writes:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        caller = caller_scope(request)
        if caller is None:
            if self.applies_to_writes:
                return None  # anonymous writes are refused by authentication anyway
            return self.cache_format % {"scope": "anon", "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": caller}


class ReadThrottle(_CallerThrottle):
    scope = "read"
    applies_to_writes = False


class WriteThrottle(_CallerThrottle):
    scope = "write"
    applies_to_writes = True
