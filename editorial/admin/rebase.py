"""The conflict screen: the author carries a stranded proposal onto the published revision.

A proposal is stranded when another revision of the article was published
after it was written. Stet merges the two by itself after the approval
when they touched different places (`editorial.rebasing`); this page is
for the places both changed differently. For each conflict it shows the
original text, the author's and the published one side by side, with a
text box that starts with the author's text, so nothing they typed is
lost; whatever they leave there is what the new proposal holds. Saving
calls `revision_rebase`, the one write path, with the resolution.

Everything shown is text the template escapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from encyclopedia.merge import Conflict, merge

from .. import store
from ..aggregate.statuses import RevisionStatus
from ..errors import EditorialError, MergeConflicts
from ..models import Revision
from ..roles import can_review
from ..services import merge_inputs, revision_rebase
from .review import _revision_or_404, _status_of

TEMPLATE = "admin/editorial/revision/rebase.html"


@dataclass(frozen=True)
class ConflictForm:
    """One conflict as the page shows it, with the text in its box."""

    index: int
    conflict: Conflict
    text: str


def revision_rebase_view(request, revision_id: int, *, model_admin):
    """GET: the merge as it stands. POST: rebase with the texts chosen for the conflicts."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied("Only editors and reviewers may see revisions under review.")
    revision = _revision_or_404(revision_id)
    if revision.author_id != request.user.pk and not can_review(request.user):
        raise PermissionDenied("Only the author of a proposal (or a reviewer, to look) may open its merge.")
    if request.method == "POST":
        return _rebase(request, model_admin, revision)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseBadRequest("Use GET to see the merge, POST to save it.")
    return TemplateResponse(request, TEMPLATE, _context(request, model_admin, revision))


def _rebase(request, model_admin, revision: Revision):
    if revision.author_id != request.user.pk:
        raise PermissionDenied(f"Only the author of revision {revision.id} may rebase it.")
    posted = _posted_resolution(request)
    try:
        rebased = revision_rebase(actor=request.user, revision_id=revision.id, resolution=posted or None)
    except EditorialError as error:
        messages.error(request, str(error))
        fresh = _revision_or_404(revision.id)
        status = 409 if isinstance(error, MergeConflicts) else _status_of(error)
        return TemplateResponse(request, TEMPLATE, _context(request, model_admin, fresh, posted=posted), status=status)
    site_name = model_admin.admin_site.name
    if rebased.id == revision.id:
        messages.success(request, f"Everything revision {revision.id} changed is published already; it was closed.")
    else:
        messages.success(
            request,
            f"Revision {revision.id} was rebased onto revision {rebased.base_revision_id} as revision {rebased.id}; "
            "its checks run again and it waits for review.",
        )
    return HttpResponseRedirect(reverse(f"{site_name}:editorial_revision_review", args=[rebased.id]))


def _posted_resolution(request) -> dict[str, str]:
    """{unit: text} from the form; each box is posted with the unit it resolves (units are not field names)."""
    resolution = {}
    for key, unit in request.POST.items():
        if key.startswith("unit-"):
            resolution[unit] = request.POST.get(f"text-{key.removeprefix('unit-')}", "").replace("\r\n", "\n")
    return resolution


def _context(request, model_admin, revision: Revision, *, posted: dict | None = None) -> dict:
    posted = posted or {}
    published = store.published_revision_id(revision.stream)
    stranded = revision.status == RevisionStatus.PENDING and revision.base_revision_id != published
    conflicts: tuple[Conflict, ...] = ()
    problem = ""
    if stranded:
        try:
            conflicts = merge(*merge_inputs(revision, published)).conflicts
        except EditorialError as error:  # a content lost from the store: say so instead of failing
            problem = str(error)
    forms = [
        ConflictForm(index=index, conflict=conflict, text=posted.get(conflict.unit, conflict.ours or ""))
        for index, conflict in enumerate(conflicts)
    ]
    site_name = model_admin.admin_site.name
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Rebase revision {revision.id}",
        "revision": revision,
        "published_id": published,
        "stranded": stranded,
        "conflicts": forms,
        "problem": problem,
        "may_rebase": revision.author_id == request.user.pk,
        "review_url": reverse(f"{site_name}:editorial_revision_review", args=[revision.id]),
    }

