"""The reader-facing site: articles, their history, old revisions, diffs and provenance.

Readers see only approved content: the article page reads the published
tables, and every other page shows approved revisions only unless the
viewer can propose or review. Every string an author wrote reaches the
templates as plain text and is autoescaped there; the only HTML built
here comes from `encyclopedia.diff.html`, which escapes the text it wraps. Links
are built only from slugs with `reverse`/`{% url %}`.
"""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from encyclopedia.content import unstorable_character
from encyclopedia.diff import diff_articles
from encyclopedia.diff.places import diff_places
from encyclopedia.diff.values import LEAD
from encyclopedia.models import Article
from encyclopedia.page import infobox_label, page_view
from encyclopedia.selectors import article_get_published

from ..aggregate.decisions import Action, available_actions
from ..aggregate.statuses import RevisionStatus
from ..errors import EditorialError
from ..roles import actor_of, can_propose
from ..services import revision_revert
from . import queries

DATE_FORMAT_HELP = "YYYY-MM-DD, for example 2017-10-21"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The history's links name the instant a revision was published, in UTC (queries.as_of_value).
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?Z")
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Note"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# --- Helpers ------------------------------------------------------------------


def _message(request, *, title: str, message: str, status: int) -> HttpResponse:
    return render(
        request, "reader/message.html", {"title": title, "message": message}, status=status
    )


def _parse_day(value: str) -> datetime.date | None:
    if not _DAY.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _parse_instant(value: str) -> datetime.datetime | None:
    if not _INSTANT.fullmatch(value):
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def _edit_url(request, article: Article | None) -> str:
    """The admin's edit form of the article, for those who may propose a change there; "" for anyone else.

    The admin lets in staff only: an editor who is not staff would be sent to its login page.
    """
    if article is None or article.pk is None or not request.user.is_staff or not can_propose(request.user):
        return ""
    return reverse("admin:encyclopedia_article_change", args=[article.pk])


def _where(target: str) -> str:
    """A finding's target in words: "infobox:Partof" is "Infobox: Part of"."""
    kind, _, name = target.partition(":")
    if kind == "infobox" and name:
        return f"Infobox: {infobox_label(name)}"
    if kind == "section" and name:
        return f"Section “{name}”"
    return {"lead": "Lead", "title": "Title"}.get(target, "")


def findings_in_words(findings) -> list[dict]:
    """The recorded findings of a revision as readers can read them: worst first, in plain words."""
    words = []
    for finding in findings or ():
        if not isinstance(finding, dict):
            continue
        severity = str(finding.get("severity", "info"))
        words.append(
            {
                "severity": severity if severity in SEVERITY_WORDS else "info",
                "severity_label": SEVERITY_WORDS.get(severity, severity.capitalize() or "Note"),
                "message": str(finding.get("message", "")),
                "where": _where(str(finding.get("target", ""))),
                "inherited": bool(finding.get("inherited", False)),
            }
        )
    return sorted(words, key=lambda finding: SEVERITY_ORDER.get(finding["severity"], 3))


def _article_ref_or_404(request, slug: str) -> tuple[queries.ArticleRef, bool]:
    privileged = queries.is_privileged(request.user)
    ref = queries.article_ref(slug, privileged=privileged)
    if ref is None:
        raise Http404("There is no article at this address.")
    return ref, privileged


def _redirect_if_renamed(request, slug: str, view_name: str) -> HttpResponse | None:
    """An old address of a renamed article leads to its current one."""
    renamed = queries.renamed_article(slug)
    if renamed is None:
        return None
    url = reverse(view_name, kwargs={"slug": renamed.slug})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


# --- Pages ----------------------------------------------------------------------


@require_GET
def article_list(request):
    articles = Article.objects.order_by("title").only("title", "slug")
    return render(request, "reader/article_list.html", {"articles": articles})


@require_GET
def article_detail(request, slug: str):
    if "as_of" in request.GET:
        return _article_as_of(request, slug, request.GET["as_of"])
    article = article_get_published(slug)
    if article is None:
        return _redirect_if_renamed(request, slug, "reader:article") or _not_found(request)
    content = article.to_content()
    current = queries.revision_in_stream(article.stream, article.current_revision_id, privileged=False)
    # Readers never learn of unapproved revisions; those who may read them get a link to their review page.
    pending = queries.pending_revisions(article.stream) if queries.is_privileged(request.user) else []
    return render(
        request,
        "reader/article.html",
        {
            "slug": article.slug,
            "article": article,
            "page": page_view(content),
            "revision": current,
            "show_provenance": True,
            "pending": pending,
            "edit_url": _edit_url(request, article),
        },
    )


def _not_found(request) -> HttpResponse:
    return _message(
        request,
        title="No such article",
        message="There is no published article at this address.",
        status=404,
    )


def _article_as_of(request, slug: str, value: str) -> HttpResponse:
    """The article as readers saw it at the end of a day, or at an instant (the history's links)."""
    value = value.strip()
    day, moment = _parse_day(value), _parse_instant(value)
    if day is None and moment is None:
        return _message(
            request,
            title="Not a date",
            message=f"“{value}” is not a date the history understands: write as_of as {DATE_FORMAT_HELP}.",
            status=400,
        )
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        return _redirect_if_renamed(request, slug, "reader:article") or _not_found(request)
    if moment is not None:
        revision = queries.revision_at(article.stream, moment)
        until = moment
    else:
        revision = queries.revision_as_of(article.stream, day)
        until = queries.end_of_day(day)
    when = f"at {moment:%Y-%m-%d %H:%M:%S} UTC" if moment is not None else f"at the end of {day:%Y-%m-%d} (UTC)"
    if revision is None:
        first = queries.first_approval_at(article.stream)
        first_text = f" It was first published on {first:%Y-%m-%d}." if first else ""
        return _message(
            request,
            title="Not yet published",
            message=f"“{article.title}” had no published version {when}.{first_text}",
            status=404,
        )
    content = queries.revision_content(revision)
    return render(
        request,
        "reader/article_as_of.html",
        {
            "slug": article.slug,
            "article": article,
            "page": page_view(content),
            "revision": revision,
            "as_of": day,
            "moment": moment,
            # A time not yet come: nobody saw the page then, so it is shown as the current version, said so.
            "not_yet": until is None or until > timezone.now(),
            "is_current": revision.id == article.current_revision_id,
            "edit_url": _edit_url(request, article),
        },
    )


@require_GET
def article_history(request, slug: str):
    ref, privileged = _article_ref_or_404(request, slug)
    before = None
    if "before" in request.GET:
        before = queries.positive_id(request.GET["before"])
        if before is None:
            return _message(
                request,
                title="Bad page",
                message="The “before” parameter must be a revision number.",
                status=400,
            )
    page = queries.history_page(ref, privileged=privileged, before=before)
    return render(
        request,
        "reader/history.html",
        {
            "slug": ref.slug,
            "ref": ref,
            "rows": page.rows,
            "older_before": page.older_before,
            "before": before,
            "privileged": privileged,
            "edit_url": _edit_url(request, ref.article),
        },
    )


@require_GET
def revision_detail(request, slug: str, revision_id: int):
    ref, privileged = _article_ref_or_404(request, slug)
    revision = queries.revision_in_stream(ref.stream, revision_id, privileged=privileged)
    if revision is None:
        raise Http404("There is no such revision of this article.")
    content = queries.revision_content(revision)
    is_current = revision.id == ref.current_revision_id
    return render(
        request,
        "reader/revision.html",
        {
            "slug": ref.slug,
            "ref": ref,
            "article": ref.article,
            "page": page_view(content),
            "revision": revision,
            "is_current": is_current,
            "findings": findings_in_words(revision.check_findings),
            "edit_url": _edit_url(request, ref.article),
            "can_restore": Action.RESTORE
            in available_actions(revision, actor_of(request.user), published_revision=ref.current_revision_id),
        },
    )


@require_POST
def revision_restore(request, slug: str, revision_id: int):
    """Propose an earlier revision's content again (it then goes through checks and review)."""
    back = reverse("reader:revision", kwargs={"slug": slug, "revision_id": revision_id})
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if not can_propose(request.user):
        raise PermissionDenied("Only editors and reviewers may restore a revision.")
    ref, privileged = _article_ref_or_404(request, slug)
    revision = queries.revision_in_stream(ref.stream, revision_id, privileged=privileged)
    if revision is None:
        raise Http404("There is no such revision of this article.")
    summary = request.POST.get("summary", "").strip()
    unstorable = unstorable_character(summary)
    if unstorable:
        messages.error(request, f"The edit summary holds {unstorable[1]}, which cannot be stored; remove it.")
        return redirect(back)
    try:
        restored = revision_revert(actor=request.user, revision_id=revision.id, summary=summary)
    except EditorialError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(
        request, f"Revision {restored.id} proposed; checks are running and a reviewer must approve it."
    )
    return redirect("reader:revision", slug=ref.slug, revision_id=restored.id)


@require_GET
def compare(request, slug: str):
    """The history form's GET (?old=&new=), sent on to the diff's own address."""
    old, new = queries.positive_id(request.GET.get("old")), queries.positive_id(request.GET.get("new"))
    if old is None or new is None:
        return _message(
            request,
            title="Choose two revisions",
            message="Choose an old and a new revision in the history to compare them.",
            status=400,
        )
    return redirect("reader:diff", slug=slug, old_id=min(old, new), new_id=max(old, new))


@require_GET
def revision_diff(request, slug: str, old_id: int, new_id: int):
    """The older revision (the lower number) is always on the left, whichever order the address gives."""
    old_id, new_id = min(old_id, new_id), max(old_id, new_id)
    ref, privileged = _article_ref_or_404(request, slug)
    old, new = queries.revision_pair(ref.stream, old_id, new_id, privileged=privileged)
    if old is None or new is None:
        raise Http404("Both revisions must be revisions of this article.")
    old_content, new_content = queries.revision_contents(old, new)
    diff = diff_articles(old_content, new_content)
    approved = RevisionStatus.APPROVED
    # The edits before and after, as MediaWiki's "Older edit" and "Newer edit": between approved revisions only.
    neighbours = (
        queries.approved_neighbours(ref.stream, old.id, new.id)
        if old.status == approved and new.status == approved
        else None
    )
    return render(
        request,
        "reader/diff.html",
        {
            "slug": ref.slug,
            "ref": ref,
            "old": old,
            "new": new,
            "diff": diff,
            "infobox_changes": [row for row in diff.infobox if row.status != "unchanged"],
            "places": diff_places(diff),
            "lead_name": LEAD,
            "neighbours": neighbours,
            "preview": page_view(new_content),
            "edit_url": _edit_url(request, ref.article),
        },
    )


@require_GET
def infobox_provenance(request, slug: str):
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        return _redirect_if_renamed(request, slug, "reader:provenance") or _not_found(request)
    return render(
        request,
        "reader/provenance.html",
        {
            "slug": article.slug,
            "article": article,
            "fields": queries.with_timelines(article, queries.infobox_provenance(article)),
            "edit_url": _edit_url(request, article),
        },
    )
