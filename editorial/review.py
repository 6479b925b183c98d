"""The review page: one revision's diff against its base, its findings, and the decision.

`revision_review` is a view of the Revision admin (see `RevisionAdmin.get_urls`),
so the admin site authenticates the user; the page itself lets in whoever may
propose or review. GET shows the page; each button is a POST form back to the
same address with an `action`, and the action is carried out by a command
(`revision_approve`, `revision_reject`, and `revision_withdraw` for the
author taking back their own pending revision), the one write path. The
buttons shown follow the same rules, but the commands decide: a refusal is
shown with the command's own message.

Findings are placed next to what they concern: a finding's target
(`infobox:<Key>`, `lead`, `section:<Heading>`, `title`) names an infobox row
or a block of prose of the diff; the few whose target is not on the page go
in a general list at the top. `review_layout` does this placement as plain
values (no database), so the template only lays them out.

Everything authors wrote reaches the template as text and is autoescaped
there; the only HTML made here comes from `encyclopedia.diff.html`, which escapes
what it wraps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from encyclopedia.content import ArticleContent
from encyclopedia.diff import diff_articles
from encyclopedia.diff.places import DiffPlace, diff_places
from encyclopedia.diff.values import LEAD, ArticleDiff, FieldChange, InfoboxChange
from encyclopedia.models import Article

from . import store
from .aggregate.decisions import Action, Refused, available_actions
from .aggregate.fold import fold_revision
from .aggregate.statuses import CheckStatus, RevisionStatus
from .aggregate.verdict import CheckState, current_checks
from .errors import ContentMissing, EditorialError, NotAllowed, NotFound
from .models import Revision
from .rules import rule_versions
from .selectors import revision_get
from .services import actor_of, revision_approve, revision_reject, revision_withdraw

TEMPLATE = "admin/editorial/revision/review.html"
MAX_REVISION_ID = 2**63 - 1
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
APPROVED_MESSAGE = "Revision {id} approved and published."
REJECTED_MESSAGE = "Revision {id} rejected."
WITHDRAWN_MESSAGE = "Revision {id} withdrawn."
OVERRIDE_REASON_MISSING = (
    "Approving despite errors needs a reason: say why the findings do not stand, for the record."
)


# --- What the page shows, as values -----------------------------------------------


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    rule_version: int
    severity: str
    target: str
    message: str
    evidence: tuple[tuple[str, str], ...]  # (key, value as text), in the rule's order

    @classmethod
    def from_dict(cls, finding: dict) -> FindingView:
        return cls(
            rule_id=str(finding.get("rule_id", "")),
            rule_version=finding.get("rule_version", 0),
            severity=str(finding.get("severity", "info")),
            target=str(finding.get("target", "")),
            message=str(finding.get("message", "")),
            evidence=tuple((str(key), _evidence_text(value)) for key, value in (finding.get("evidence") or {}).items()),
        )


def _evidence_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class InfoboxRowView:
    change: InfoboxChange
    findings: tuple[FindingView, ...]

    @property
    def key(self) -> str:
        return self.change.key

    @property
    def target(self) -> str:
        return f"infobox:{self.change.key}"


@dataclass(frozen=True)
class PlaceView:
    """The lead or one section as the diff lays it out, with the findings that concern it."""

    place: DiffPlace
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class ReviewLayout:
    title: FieldChange | None
    title_findings: tuple[FindingView, ...]
    infobox: tuple[InfoboxRowView, ...]
    places: tuple[PlaceView, ...]
    general_findings: tuple[FindingView, ...]  # targets not on the page
    has_changes: bool


def sorted_findings(findings: Iterable[dict]) -> list[FindingView]:
    views = [FindingView.from_dict(finding) for finding in findings]
    return sorted(views, key=lambda finding: (SEVERITY_ORDER.get(finding.severity, 3), finding.rule_id))


def review_layout(diff: ArticleDiff, findings: Iterable[dict]) -> ReviewLayout:
    """Place each finding next to the infobox row or the prose it concerns.

    An infobox row or a block of prose is shown when it changed, and also
    when a finding concerns it (then with its unchanged paragraphs, so the
    reviewer sees what the finding is about). Findings whose target is none
    of these (the title when it did not change, a key or heading that is in
    neither version) are returned as general findings.
    """
    by_target: dict[str, list[FindingView]] = {}
    for finding in sorted_findings(findings):
        by_target.setdefault(finding.target, []).append(finding)

    def take(target: str) -> tuple[FindingView, ...]:
        return tuple(by_target.pop(target, ()))

    title_findings = take("title") if diff.title is not None else ()
    infobox = []
    for change in diff.infobox:
        row_findings = take(f"infobox:{change.key}")
        if change.status != "unchanged" or row_findings:
            infobox.append(InfoboxRowView(change=change, findings=row_findings))

    concerned = {target for target in by_target if target == LEAD or target.startswith("section:")}
    places = [PlaceView(place=place, findings=take(place.target)) for place in diff_places(diff, shown_whole=concerned)]

    general = tuple(finding for target_findings in by_target.values() for finding in target_findings)
    general = tuple(sorted(general, key=lambda finding: (SEVERITY_ORDER.get(finding.severity, 3), finding.rule_id)))
    return ReviewLayout(
        title=diff.title,
        title_findings=title_findings,
        infobox=tuple(infobox),
        places=tuple(places),
        general_findings=general,
        has_changes=diff.has_changes,
    )


@dataclass(frozen=True)
class ChecksView:
    """The verdict shown: live for an open revision (what the approval will see), as recorded once decided."""

    status: str
    findings: tuple[dict, ...]
    missing_rules: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return CheckStatus(self.status).label if self.status in CheckStatus.values else self.status

    @property
    def pending(self) -> bool:
        return self.status == CheckStatus.PENDING

    @property
    def errors_stand(self) -> bool:
        return self.status in (CheckStatus.FAILED, CheckStatus.ERROR)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.get("severity") == severity)

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def warning_count(self) -> int:
        return self.count("warning")

    @property
    def info_count(self) -> int:
        return self.count("info")


def _checks(revision: Revision) -> ChecksView:
    if revision.status != RevisionStatus.PENDING:
        return ChecksView(status=revision.check_status, findings=tuple(revision.check_findings or ()))
    folded = fold_revision(store.revision_events(revision.id))
    if folded is None:  # a read model without its events: show what it recorded
        return ChecksView(status=revision.check_status, findings=tuple(revision.check_findings or ()))
    live = current_checks(folded, rule_versions())
    return ChecksView(status=live.status, findings=tuple(live.findings), missing_rules=live.missing_rules)


# --- Reading ------------------------------------------------------------------------


def _revision_or_404(revision_id: int) -> Revision:
    if not 0 < revision_id <= MAX_REVISION_ID:
        raise Http404(f"There is no revision {revision_id}.")
    try:
        return revision_get(revision_id)
    except NotFound as error:
        raise Http404(str(error)) from None


def _base_and_contents(revision: Revision) -> tuple[Revision | None, ArticleContent | None, ArticleContent]:
    """The base revision (with its author), and both contents: two queries at most."""
    base = None
    if revision.base_revision_id is not None:
        base = Revision.objects.select_related("author").filter(id=revision.base_revision_id).first()
    shown = [revision] + ([base] if base is not None else [])
    contents = store.contents_by_hash(each.content_hash for each in shown)
    for each in shown:
        if each.content_hash not in contents:
            raise ContentMissing(each.content_hash, revision_id=each.id)
    return base, (contents[base.content_hash] if base is not None else None), contents[revision.content_hash]


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
            "so it cannot be approved: reject it, and the author can redo the change on the current version."
        )
    else:
        note = _NOTES.get(why_not, "")
    return Actions(
        approve=Action.APPROVE in available,
        approve_override=Action.APPROVE_OVERRIDE in available,
        reject=Action.REJECT in available,
        withdraw=Action.WITHDRAW in available,
        note=note,
    )


def _published(revision: Revision) -> tuple[str, int | None]:
    """The article's current slug and published revision (one query)."""
    row = Article.objects.filter(stream=revision.stream).values_list("slug", "current_revision_id").first()
    return row if row is not None else (revision.slug, None)


def _context(request, model_admin, revision: Revision, *, posted: dict | None = None) -> dict:
    base, base_content, content = _base_and_contents(revision)
    slug, published_id = _published(revision)
    checks = _checks(revision)
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
        "posted": posted or {},
        "queue_url": reverse(f"{model_admin.admin_site.name}:editorial_revision_changelist"),
    }


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
    return HttpResponseRedirect(reverse(f"{model_admin.admin_site.name}:editorial_revision_changelist"))


def _status_of(error: EditorialError) -> int:
    """403 for who may not, 400 for what is missing from the form, 409 for the state of the revision."""
    if isinstance(error, NotAllowed):
        return 403
    if type(error) is EditorialError:
        return 400
    return 409


def review_url(revision_id: int, *, site_name: str = "admin") -> str:
    return reverse(f"{site_name}:editorial_revision_review", args=[revision_id])

