"""The review page: one revision's diff against its base, its findings, and the decision.

It is also the proposal's own page for its author: a header says where it
stands (`proposals.standing`), and the author may withdraw it or edit again.

`revision_review` is a view of the Revision admin (see `RevisionAdmin.get_urls`),
so the admin site authenticates the user; the page itself lets in whoever may
propose or review. GET shows the page; each button is a POST form back to the
same address with an `action`, and the action is carried out by a command
(`revision_approve`, `revision_reject`, and `revision_withdraw` for the
author taking back their own pending revision), the one write path. The
buttons shown follow the same rules, but the commands decide: a refusal is
shown with the command's own message.

Findings are placed next to what they concern by `review_layout`
(plain values, no database); the reads are in `editorial.selectors`.

Everything authors wrote reaches the template as text and is autoescaped
there; the only HTML made here comes from `encyclopedia.diff.html`, which escapes
what it wraps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from encyclopedia.diff import diff_articles
from encyclopedia.diff.values import LEAD

from ..aggregate.decisions import Action, Refused, available_actions
from ..aggregate.statuses import RevisionStatus
from ..aggregate.verdict import CheckState
from ..errors import EditorialError, NotAllowed, NotFound
from ..models import MAX_REVISION_ID, Revision
from ..selectors import live_checks, revision_get, revision_with_base
from ..roles import actor_of
from ..services import revision_approve, revision_reject, revision_withdraw
from .proposals import article_of, edit_again, my_proposals_url, standing
from .review_layout import ChecksView, review_layout

TEMPLATE = "admin/editorial/revision/review.html"
APPROVED_MESSAGE = "Revision {id} approved and published."
REJECTED_MESSAGE = "Revision {id} rejected."
WITHDRAWN_MESSAGE = "Revision {id} withdrawn."
OVERRIDE_REASON_MISSING = (
    "Approving despite errors needs a reason: say why the findings do not stand, for the record."
)


def _checks(revision: Revision) -> ChecksView:
    """Live for an open revision (what the approval will see), as recorded once decided."""
    live = live_checks(revision) if revision.status == RevisionStatus.PENDING else None
    if live is None:
        return ChecksView(status=revision.check_status, findings=tuple(revision.check_findings or ()))
    return ChecksView(status=live.status, findings=tuple(live.findings), missing_rules=live.missing_rules)


# --- Reading ------------------------------------------------------------------------


def _revision_or_404(revision_id: int) -> Revision:
    if not 0 < revision_id <= MAX_REVISION_ID:
        raise Http404(f"There is no revision {revision_id}.")
    try:
        return revision_get(revision_id)
    except NotFound as error:
        raise Http404(str(error)) from None


@dataclass(frozen=True)
class Actions:
    """Which buttons the page offers; the commands decide whatever is posted."""

    approve: bool = False
    approve_override: bool = False
    reject: bool = False
    withdraw: bool = False
    note: str = ""

    @property
    def any(self) -> bool:
        return self.approve or self.approve_override or self.reject or self.withdraw

    @property
    def shows_decision(self) -> bool:
        """The reviewers' part of the page: their buttons, or why they are missing (Withdraw is in the header)."""
        return self.approve or self.approve_override or self.reject or bool(self.note)


# What the page says instead of a button the decision model refuses.
_NOTES = {
    Refused.NOT_REVIEWER: "Only members of the Reviewers group may approve or reject revisions.",
    Refused.OWN_REVISION: "You wrote this revision; another reviewer must review it (four-eyes rule).",
    Refused.CHECKS_PENDING: "Approval waits for the consistency checks to finish; reload in a moment.",
}


def _actions(user, revision: Revision, checks: ChecksView, *, published_id: int | None) -> Actions:
    """The buttons the decision model allows this user, and a note on why approval is not among them."""
    live = CheckState(status=checks.status, results={}, missing_rules=checks.missing_rules)
    available = available_actions(revision, actor_of(user), published_revision=published_id, checks=live)
    why_not = available.why_not(Action.APPROVE)
    if why_not is Refused.STALE_BASE:
        now = f"revision {published_id}" if published_id else "another revision"
        note = (
            f"This revision was written against an older version ({now} is published now), "
            "so it cannot be approved as it is: its author carries it onto the published version by a merge "
            "(Stet does it by itself when the two changed different places), or you can reject it."
        )
    elif why_not is Refused.NOT_REVIEWER and revision.author_id == user.pk:
        note = ""  # the author, an editor, reads where their proposal stands in the header instead
    else:
        note = _NOTES.get(why_not, "")
    return Actions(
        approve=Action.APPROVE in available,
        approve_override=Action.APPROVE_OVERRIDE in available,
        reject=Action.REJECT in available,
        withdraw=Action.WITHDRAW in available,
        note=note,
    )


def _context(request, model_admin, revision: Revision, *, posted: dict | None = None) -> dict:
    base, base_content, content = revision_with_base(revision)
    article = article_of(revision)
    slug, published_id = article.slug, article.published_id
    checks = _checks(revision)
    viewer_id = request.user.pk
    site_name = model_admin.admin_site.name
    layout = review_layout(diff_articles(base_content, content), checks.findings)
    stale = revision.status == RevisionStatus.PENDING and revision.base_revision_id != published_id
    opts = model_admin.model._meta
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": f"Review revision {revision.id}",
        "revision": revision,
        "base": base,
        "slug": slug,
        "published_id": published_id,
        "stale": stale,
        "checks": checks,
        "layout": layout,
        "lead_name": LEAD,
        "actions": _actions(request.user, revision, checks, published_id=published_id),
        "standing": standing(revision, checks, viewer_id=viewer_id, published_id=published_id),
        "edit_again": edit_again(revision, article, viewer_id=viewer_id, site_name=site_name),
        "is_author": viewer_id == revision.author_id,
        "posted": posted or {},
        "queue_url": reverse(f"{site_name}:editorial_revision_changelist"),
        "my_proposals_url": my_proposals_url(site_name),
        "standing_url": reverse(f"{site_name}:editorial_revision_standing", args=[revision.id]),
        "rebase_url": reverse(f"{site_name}:editorial_revision_rebase", args=[revision.id])
        if stale and viewer_id == revision.author_id
        else "",
        "continued_as": _continued_as(revision),
        "infobox_old_label": f"Revision {base.id}" if base else "Before",
        "infobox_new_label": f"Revision {revision.id}",
    }


def _continued_as(revision: Revision) -> int | None:
    """The revision a rebase carried this one on as (one query, only for a withdrawn one)."""
    if revision.status != RevisionStatus.WITHDRAWN:
        return None
    return Revision.objects.filter(rebased_from_id=revision.id).values_list("id", flat=True).first()


# --- The view -------------------------------------------------------------------------


def revision_review(request, revision_id: int, *, model_admin):
    """GET: the review page. POST: approve, approve with override, reject or withdraw, through the commands."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied("Only editors and reviewers may see revisions under review.")
    revision = _revision_or_404(revision_id)
    if request.method == "POST":
        return _decide(request, model_admin, revision)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseBadRequest("Use GET to read a revision, POST to decide it.")
    return TemplateResponse(request, TEMPLATE, _context(request, model_admin, revision))


def revision_standing(request, revision_id: int, *, model_admin):
    """Where the proposal stands, as JSON: the page asks for it while the checks run, to reload once they finish."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied("Only editors and reviewers may see revisions under review.")
    revision = _revision_or_404(revision_id)
    now = standing(revision, _checks(revision), viewer_id=request.user.pk, published_id=article_of(revision).published_id)
    # Never cached: admin_view marks every admin view so.
    return JsonResponse({"state": now.state, "headline": now.headline, "checks_running": now.checks_running})


def _decide(request, model_admin, revision: Revision):
    action = request.POST.get("action", "")
    posted = {
        "override_reason": request.POST.get("override_reason", ""),
        "reason": request.POST.get("reason", ""),
        "withdraw_reason": request.POST.get("withdraw_reason", ""),
    }
    try:
        if action == "approve":
            revision_approve(actor=request.user, revision_id=revision.id)
            done = APPROVED_MESSAGE
        elif action == "approve-override":
            override_reason = request.POST.get("override_reason", "").strip()
            if not override_reason:  # else the command would take it for a plain approval
                raise EditorialError(OVERRIDE_REASON_MISSING)
            revision_approve(actor=request.user, revision_id=revision.id, override_reason=override_reason)
            done = APPROVED_MESSAGE
        elif action == "reject":
            revision_reject(actor=request.user, revision_id=revision.id, reason=request.POST.get("reason", ""))
            done = REJECTED_MESSAGE
        elif action == "withdraw":
            revision_withdraw(
                actor=request.user, revision_id=revision.id, reason=request.POST.get("withdraw_reason", "")
            )
            done = WITHDRAWN_MESSAGE
        else:
            return HttpResponseBadRequest("Unknown action: choose approve, approve-override, reject or withdraw.")
    except EditorialError as error:
        messages.error(request, str(error))
        # Shown again with the refusal and what was typed; the revision is read again
        # since the refusal may come from a change made meanwhile.
        fresh = _revision_or_404(revision.id)
        return TemplateResponse(
            request, TEMPLATE, _context(request, model_admin, fresh, posted=posted), status=_status_of(error)
        )
    messages.success(request, done.format(id=revision.id))
    site_name = model_admin.admin_site.name
    if action == "withdraw":  # the author stays on their proposal's page, which now says it is withdrawn
        return HttpResponseRedirect(reverse(f"{site_name}:editorial_revision_review", args=[revision.id]))
    return HttpResponseRedirect(reverse(f"{site_name}:editorial_revision_changelist"))  # the reviewer's next one


def _status_of(error: EditorialError) -> int:
    """403 for who may not, 400 for what is missing from the form, 409 for the state of the revision."""
    if isinstance(error, NotAllowed):
        return 403
    if type(error) is EditorialError:
        return 400
    return 409
