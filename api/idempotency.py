"""`Idempotency-Key`: a retried write replays the first response instead of writing twice.

The key is scoped to the caller (token, or user for a session). The first
successful response is stored in the same transaction as the write, so
either both exist or neither: a retry after a crash writes again, a retry
after success replays, and two copies racing each other end with one write
(the loser's transaction is rolled back when its record collides, and it
replays the winner's). A refusal is not stored: a retry decides again on
what is then true. The same key with a different request is refused (422).
Keys are kept for a day (`KEPT_FOR`): each stored response clears the older
ones, by the index on their time.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from .models import IdempotentResponse
from .problems import problem
from .throttling import caller_scope

HEADER = "Idempotency-Key"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
REPLAYED_HEADERS = ("Location", "ETag")
# Long enough for any bot's retries; a key older than this is a new request.
KEPT_FOR = timedelta(hours=24)


def request_fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path(), request.content_type or "", request.headers.get("If-Match", "")):
        digest.update(part.encode("utf-8", errors="surrogateescape") + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotentResponse, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        return problem(
            422, "idempotency-key-reused", "Idempotency key reused",
            f"The Idempotency-Key {record.key!r} was already used for a different request; "
            "use a new key for a new request, or send the first request again unchanged.",
        )
    response = Response(record.body, status=record.status_code)
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request, perform) -> Response:
    """Run `perform()` (the write and its response) at most once per caller and `Idempotency-Key`."""
    key = request.headers.get(HEADER)
    if key is None:
        return perform()
    if not _KEY.fullmatch(key):
        return problem(
            400, "invalid-idempotency-key", "Invalid idempotency key",
            "An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is a good choice).",
        )
    scope = caller_scope(request)
    try:
        fingerprint = request_fingerprint(request)
    except RequestDataTooBig:
        return problem(
            413, "too-large", "Request too large",
            f"The body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE); send less.",
        )
    stored = IdempotentResponse.objects.filter(scope=scope, key=key).first()
    if stored is not None and stored.created_at > timezone.now() - KEPT_FOR:
        return _replay(stored, fingerprint)
    try:
        with transaction.atomic():
            response = perform()
            if 200 <= response.status_code < 300:
                IdempotentResponse.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
                IdempotentResponse.objects.create(
                    scope=scope, key=key, request_hash=fingerprint, status_code=response.status_code,
                    body=response.data,
                    headers={name: response[name] for name in REPLAYED_HEADERS if name in response},
                )
    except IntegrityError:
        stored = IdempotentResponse.objects.filter(scope=scope, key=key).first()
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return response
