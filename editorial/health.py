"""/healthz: is this deployment able to work? The database, the broker, and beat's sweeps.

- database: one query on the default connection.
- broker: a PING to the Redis of CELERY_BROKER_URL (without a broker, checks run in the web
  process: nothing to reach, and no beat either).
- beat: the age of the last `editorial.sweep_checks`, which beat schedules and a worker runs;
  the worker writes the time into the broker's Redis (`record_sweep`), so every web process
  reads the same stamp. Older than STET_HEALTH_SWEEP_MAX_AGE, or never written, means beat or
  every worker is down, and lost checks are not being re-sent.

200 when all three are fine, 503 naming the failing parts. Errors are named by their class
only: a database or broker message can carry host and user names, and the page has no login.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Short: a probe must answer before the load balancer gives up on it.
REDIS_TIMEOUT = 2.0


def _redis():
    return _redis_for(settings.CELERY_BROKER_URL)


@functools.lru_cache(maxsize=4)
def _redis_for(url: str):
    # One client (and its connection pool) per process, so a probe every few seconds reuses a connection.
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def sweep_stamp_key() -> str:
    # One stamp per database: deployments (or test runs) sharing a Redis do not vouch for each other.
    return f"stet:health:last-sweep:{settings.DATABASES['default']['NAME']}"


def broker_in_use() -> bool:
    return not settings.CHECKS_IN_PROCESS


def record_sweep(now: float | None = None) -> None:
    """Write the time of a sweep where /healthz reads it; a no-op without a broker."""
    if broker_in_use():
        _redis().set(sweep_stamp_key(), repr(time.time() if now is None else now))


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure is the answer, not a crash of the probe
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict:
    if not broker_in_use():
        return {"ok": True, "used": False}
    try:
        _redis().ping()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def check_beat() -> dict:
    if not broker_in_use():
        return {"ok": True, "used": False}
    limit = settings.STET_HEALTH_SWEEP_MAX_AGE
    try:
        stamp = _redis().get(sweep_stamp_key())
    except Exception as error:
        return {"ok": False, "error": type(error).__name__, "max_age_seconds": limit}
    if stamp is None:
        return {"ok": False, "error": "no sweep recorded yet", "max_age_seconds": limit}
    age = max(0.0, time.time() - float(stamp))
    result = {"ok": age <= limit, "last_sweep_age_seconds": round(age, 1), "max_age_seconds": limit}
    if not result["ok"]:
        result["error"] = "the last sweep is too old"
    return result


@require_safe
@never_cache
def healthz(request):
    parts = {"database": check_database(), "broker": check_broker(), "beat": check_beat()}
    failing = [name for name, part in parts.items() if not part["ok"]]
    body = {"status": "failing" if failing else "ok", "failing": failing, **parts}
    return JsonResponse(body, status=503 if failing else 200)
