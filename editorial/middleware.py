"""Refusals every page shares, made once here instead of in each view.

- A NUL character in the address or its query is refused with 400: no
  page or record has one, and PostgreSQL cannot even compare text with it
  (an admin search for "%00" would fail in the database). Form fields are
  left to the forms, which refuse NUL as a field error.
- An empty `_to_field` in the admin is refused with 400, as the admin
  refuses a field it does not allow: Django 5.2's change and delete views
  look up a field named "" and fail with a server error.
- A revision whose stored content is missing (a deleted content blob) is
  shown as a page that says so, with status 410, not a server error. The
  reading code raises `ContentMissing`; the loss is logged as an error, and
  `manage.py replay_events --verify` reports it.
"""

from __future__ import annotations

import logging

from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.http import JsonResponse
from django.shortcuts import render

from .errors import ContentMissing

logger = logging.getLogger(__name__)

MISSING_CONTENT_STATUS = 410


class RefusalsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in name or any("\x00" in value for value in values) for name, values in request.GET.lists()
        ):
            return _page(
                request,
                title="Bad address",
                message="The address holds a NUL character (%00), which no page or record can hold.",
                status=400,
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.app_name != "admin":
            return None
        # The admin reads POST before GET for this one, as here.
        values = request.POST if request.method == "POST" else {}
        to_field = values.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field == "":
            raise DisallowedModelAdminToField("The field '' cannot be referenced.")  # a 400, like any other
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, ContentMissing):
            return None
        logger.error(
            "Missing content blob %s (revision %s) while serving %s", exception.content_hash,
            exception.revision_id, request.path,
        )
        return _page(
            request, title="Stored content missing", message=str(exception), status=MISSING_CONTENT_STATUS
        )


def _page(request, *, title: str, message: str, status: int):
    if request.path_info.startswith("/api/"):
        # The JSON API's callers read RFC 9457 problem details (api/problems.py), not a page.
        kind = title.lower().replace(" ", "-")
        body = {"type": f"/api/problems/{kind}", "title": title, "status": status, "detail": message}
        return JsonResponse(body, status=status, content_type="application/problem+json")
    return render(request, "reader/message.html", {"title": title, "message": message}, status=status)
