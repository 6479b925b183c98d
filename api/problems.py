"""Refusals as RFC 9457 problem details: `type`, `title`, `status` and a `detail` that says what to fix.

The editorial services decide every refusal and word its message; this maps
their error classes to HTTP statuses, and DRF's own errors (authentication,
validation, throttling, unknown addresses) to the same shape.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from editorial import errors

PROBLEM_CONTENT_TYPE = "application/problem+json"
# A relative reference: the README's API section lists each type.
TYPE_BASE = "/api/problems/"

# Most specific first: ContentMissing is a NotFound, every class an EditorialError.
EDITORIAL_PROBLEMS: list[tuple[type[errors.EditorialError], int, str, str]] = [
    # 410 as on the site's pages (editorial.middleware): the content was there and is gone.
    (errors.ContentMissing, 410, "stored-content-missing", "Stored content missing"),
    (errors.NotFound, 404, "not-found", "Not found"),
    (errors.NotAllowed, 403, "not-allowed", "Not allowed"),
    (errors.StaleBase, 409, "stale-base", "Written against an older revision"),
    (errors.ConcurrentWrite, 409, "concurrent-write", "Changed by someone else first"),
    (errors.InvalidTransition, 409, "invalid-transition", "Not possible in the revision's state"),
    (errors.ChecksPending, 409, "checks-pending", "Checks still running"),
    (errors.ChecksFailed, 409, "checks-failed", "Checks found errors"),
    (errors.MergeConflicts, 409, "merge-conflicts", "Merge conflicts"),
    (errors.EditorialError, 400, "refused", "Refused"),
]


class PreconditionFailed(exceptions.APIException):
    """`If-Match` named a base revision that is no longer the published one."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition-failed"


class UnprocessableIdempotencyKey(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency-key-reused"


def problem(status_code: int, kind: str, title: str, detail: str, **extensions) -> Response:
    body = {"type": TYPE_BASE + kind, "title": title, "status": status_code, "detail": detail, **extensions}
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def editorial_problem(error: errors.EditorialError) -> Response:
    for cls, status_code, kind, title in EDITORIAL_PROBLEMS:
        if isinstance(error, cls):
            extensions = {}
            if isinstance(error, errors.MergeConflicts):
                extensions = {
                    "published_revision": error.published_revision,
                    "conflicts": [
                        {"unit": c.unit, "label": c.label, "base": c.base, "ours": c.ours, "theirs": c.theirs}
                        for c in error.conflicts
                    ],
                }
            return problem(status_code, kind, title, str(error), **extensions)
    raise AssertionError(f"unmapped {type(error)}")  # unreachable: EditorialError closes the list


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as {"field.sub": ["message", ...]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{name}" if prefix else str(name)))
        return flat
    if isinstance(detail, list) and detail and all(isinstance(item, (dict, list)) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}[{index}]"))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "body": [str(message) for message in messages]}


def exception_handler(error, context):
    if isinstance(error, errors.EditorialError):
        return editorial_problem(error)
    if isinstance(error, exceptions.ValidationError):
        fields = _flatten(error.detail)
        detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
        return problem(400, "invalid", "Invalid request", f"Fix these fields and send again: {detail}", errors=fields)
    if isinstance(error, Http404):
        error = exceptions.NotFound(str(error) or None)
    elif isinstance(error, PermissionDenied):
        error = exceptions.PermissionDenied(str(error) or None)
    response = drf_exception_handler(error, context)
    if response is None:
        return None  # a server error: Django's handler (logged, 500)
    kind = str(getattr(error, "default_code", "error")).replace("_", "-")
    title = {
        401: "Not authenticated",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        406: "Not acceptable",
        412: "Precondition failed",
        415: "Unsupported media type",
        422: "Unprocessable request",
        429: "Too many requests",
    }.get(response.status_code, "Error")
    detail = error.detail if isinstance(error.detail, str) else str(error.detail)
    if response.status_code == 401:
        detail += " Send `Authorization: Token <key>` (a key from `manage.py create_api_token`), or log in."
    extensions = {}
    if isinstance(error, exceptions.Throttled) and error.wait is not None:
        extensions["retry_after"] = int(error.wait + 0.999)
    out = problem(response.status_code, kind, title, detail, **extensions)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            out[header] = response[header]
    return out
