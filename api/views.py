"""The API's endpoints: reads from the selectors and queries, writes through the editorial services.

No endpoint decides anything itself: who may propose, approve, reject or
withdraw, the four-eyes rule, stale bases and pending checks are the
services' refusals, turned into problem details by `problems`.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import parsers, status
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from editorial import selectors
from editorial.checks import revisions_needing_checks
from editorial.errors import NotAllowed, StaleBase
from editorial.models import MAX_REVISION_ID, Revision, RevisionStatus
from editorial.reader import queries
from editorial.roles import can_propose, can_review
from editorial.services import (
    CURRENT,
    revision_approve,
    revision_propose,
    revision_rebase,
    revision_reject,
    revision_withdraw,
)
from editorial.tasks import enqueue_checks
from encyclopedia import textformat
from encyclopedia.diff import diff_articles
from encyclopedia.models import Article

from . import serializers as s
from .idempotency import idempotent
from .problems import PROBLEM_CONTENT_TYPE, TYPE_BASE, PreconditionFailed

PAGE_LIMIT_MAX = 200
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?Z")
_IF_MATCH = re.compile(r'\s*(?:W/)?"?([0-9]{1,19})"?\s*')


# --- Schema helpers --------------------------------------------------------------------


def _problems(*codes: int) -> dict:
    return {(code, PROBLEM_CONTENT_TYPE): OpenApiResponse(s.ProblemSerializer) for code in codes}


READ_PROBLEMS = _problems(400, 401, 404, 406, 429)
WRITE_PROBLEMS = _problems(400, 401, 403, 404, 406, 409, 413, 415, 422, 429)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Any unique string (a UUID): a retry with the same key replays the first response.",
)


# --- Helpers ---------------------------------------------------------------------------


def _privileged(request) -> bool:
    return queries.is_privileged(request.user)


def _limit(request, default: int = 50) -> int:
    value = request.query_params.get("limit")
    if value is None:
        return default
    number = queries.positive_id(value)
    if number is None or number > PAGE_LIMIT_MAX:
        raise ValidationError({"limit": [f"A number from 1 to {PAGE_LIMIT_MAX}."]})
    return number


def _with_etag(request, data, etag: str | None = None) -> Response:
    """A 200 with an ETag (a hash of the body unless given); 304 when If-None-Match names it."""
    if etag is None:
        body = json.dumps(data, sort_keys=True, default=str).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    return response


def _article_ref(request, slug: str) -> queries.ArticleRef:
    ref = queries.article_ref(slug, privileged=_privileged(request))
    if ref is None:
        raise NotFound(f"There is no article {slug!r}; GET /api/articles/ lists them.")
    return ref


def _visible_revision(request, revision_id: int):
    """The revision if the caller may see it: readers see approved ones only, and nothing of the others."""
    if not 0 < revision_id <= MAX_REVISION_ID:
        raise NotFound(f"There is no revision {revision_id}.")
    revision = Revision.objects.select_related("author", "decided_by").filter(id=revision_id).first()
    if revision is None or not (_privileged(request) or revision.status == RevisionStatus.APPROVED):
        raise NotFound(f"There is no revision {revision_id} you may see.")
    return revision


def _revision_data(request, revision) -> dict:
    data = selectors.revision_as_data(revision)
    data["url"] = request.build_absolute_uri(reverse("api:revision", args=[revision.id]))
    return data


def _article_url(request, slug: str) -> str:
    return request.build_absolute_uri(reverse("api:article", args=[slug]))


def _parse_as_of(value: str):
    """A day (the end of it, UTC) or an instant; ValidationError naming the formats otherwise."""
    value = value.strip()
    try:
        if _DAY.fullmatch(value):
            return datetime.date.fromisoformat(value), None
        if _INSTANT.fullmatch(value):
            return None, datetime.datetime.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError({"as_of": ["A date YYYY-MM-DD (the end of that day, UTC) or an instant YYYY-MM-DDTHH:MM:SSZ."]})


# --- The schema ------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, made once per process: it is the same for every caller, and takes 0.1 s to make."""

    _made: dict = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        if version is not None:  # a version named in the query: made each time, so callers cannot fill memory
            return super()._get_schema_response(request)
        if "schema" not in self._made:
            generator = self.generator_class(urlconf=self.urlconf, api_version=None, patterns=self.patterns)
            self._made["schema"] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, None)
        return Response(data=self._made["schema"], headers={"Content-Disposition": f'inline; filename="{filename}"'})


# --- Reads -----------------------------------------------------------------------------


class ArticleListView(APIView):
    @extend_schema(
        operation_id="articles_list",
        summary="Published articles, by address",
        parameters=[
            OpenApiParameter("after", str, description="The last slug of the previous page."),
            OpenApiParameter("limit", int, description=f"1 to {PAGE_LIMIT_MAX} (default 50)."),
        ],
        responses={200: s.ArticleListSerializer, **READ_PROBLEMS},
    )
    def get(self, request):
        limit = _limit(request)
        articles = Article.objects.order_by("slug").values_list("title", "slug", "current_revision_id")
        after = request.query_params.get("after")
        if after:
            articles = articles.filter(slug__gt=after.replace("\x00", ""))
        page = list(articles[: limit + 1])
        next_url = None
        if len(page) > limit:
            page = page[:limit]
            next_url = request.build_absolute_uri(
                reverse("api:articles") + "?" + urlencode({"after": page[-1][1], "limit": limit})
            )
        results = [
            {"title": title, "slug": slug, "revision": revision, "url": _article_url(request, slug)}
            for title, slug, revision in page
        ]
        return Response({"results": results, "next": next_url})


class ArticleView(APIView):
    @extend_schema(
        operation_id="article_read",
        summary="An article as published now, or as readers saw it at `as_of`",
        parameters=[
            OpenApiParameter(
                "as_of", str,
                description="YYYY-MM-DD (at the end of that day, UTC) or an instant YYYY-MM-DDTHH:MM:SSZ.",
            )
        ],
        responses={200: s.ArticleSerializer, **READ_PROBLEMS},
    )
    def get(self, request, slug: str):
        article = Article.objects.filter(slug=slug).first()
        if article is None or article.current_revision_id is None:
            raise NotFound(f"There is no published article {slug!r}; GET /api/articles/ lists them.")
        if "as_of" in request.query_params:
            day, moment = _parse_as_of(request.query_params["as_of"])
            revision = (
                queries.revision_at(article.stream, moment) if moment is not None
                else queries.revision_as_of(article.stream, day)
            )
            if revision is None:
                raise NotFound(f"{article.title!r} had no published version then.")
        else:
            revision = queries.revision_in_stream(article.stream, article.current_revision_id, privileged=False)
        content = queries.revision_content(revision)
        data = {
            "slug": article.slug,
            "title": content.title,
            "revision": revision.id,
            "published_at": revision.decided_at,
            "is_current": revision.id == article.current_revision_id,
            "content": s.content_data(content),
            "text": textformat.write(content),
        }
        # The revision number is the ETag, so that a bot can send it back as If-Match when it proposes.
        return _with_etag(request, s.ArticleSerializer(data).data, etag=f'"{revision.id}"')


class ArticleHistoryView(APIView):
    @extend_schema(
        operation_id="article_history",
        summary="An article's revisions, newest first (keyset pages)",
        parameters=[
            OpenApiParameter("cursor", int, description="The `next` of the previous page: revisions older than this id."),
            OpenApiParameter("limit", int, description=f"1 to {PAGE_LIMIT_MAX} (default 50)."),
        ],
        responses={200: s.HistorySerializer, **READ_PROBLEMS},
    )
    def get(self, request, slug: str):
        ref = _article_ref(request, slug)
        limit = _limit(request)
        cursor = None
        if "cursor" in request.query_params:
            cursor = queries.positive_id(request.query_params["cursor"])
            if cursor is None:
                raise ValidationError({"cursor": ["A revision id, as the previous page's `next` gives it."]})
        page = queries.history_page(ref, privileged=_privileged(request), before=cursor, size=limit)
        results = [
            {
                "id": row.revision.id,
                "status": row.revision.status,
                "author": row.revision.author.username,
                "decided_by": row.revision.decided_by.username if row.revision.decided_by else None,
                "summary": row.revision.summary,
                "proposed_at": row.revision.proposed_at,
                "decided_at": row.revision.decided_at,
                "verdict": row.check_status,
                "size_change": row.size_change,
                "is_current": row.is_current,
            }
            for row in page.rows
        ]
        next_url = None
        if page.older_before is not None:
            next_url = request.build_absolute_uri(
                reverse("api:history", args=[ref.slug]) + "?" + urlencode({"cursor": page.older_before, "limit": limit})
            )
        return Response(s.HistorySerializer({"results": results, "next": next_url}).data)


class ArticleProvenanceView(APIView):
    @extend_schema(
        operation_id="article_provenance",
        summary="For each infobox value, the revision that introduced it",
        responses={200: s.ProvenanceSerializer, **READ_PROBLEMS},
    )
    def get(self, request, slug: str):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise NotFound(f"There is no published article {slug!r}.")
        fields = [
            {
                "key": field.key,
                "value": field.value,
                "revision": field.revision.id if field.revision else None,
                "author": field.revision.author.username if field.revision else None,
                "approver": field.revision.decided_by.username if field.revision and field.revision.decided_by else None,
                "published_at": field.revision.decided_at if field.revision else None,
            }
            for field in queries.infobox_provenance(article)
        ]
        data = {"slug": article.slug, "revision": article.current_revision_id, "fields": fields}
        return Response(s.ProvenanceSerializer(data).data)


def _diff_data(old_id: int, new_id: int, diff) -> dict:
    def paragraphs(text_diff):
        return [dataclasses.asdict(row) for row in text_diff.paragraphs]

    return {
        "old": old_id,
        "new": new_id,
        "has_changes": diff.has_changes,
        "size_change": diff.size_change,
        "coarse_reason": diff.coarse_reason,
        "title": dataclasses.asdict(diff.title) if diff.title is not None else None,
        "infobox": [dataclasses.asdict(change) for change in diff.infobox],
        "lead": paragraphs(diff.lead),
        "sections": [
            {
                "heading": section.heading,
                "status": section.status,
                "old_heading": section.old_heading,
                "moved_after": section.moved_after,
                "paragraphs": paragraphs(section.text),
            }
            for section in diff.sections
        ],
    }


class ArticleDiffView(APIView):
    @extend_schema(
        operation_id="article_diff",
        summary="What changed between two revisions of an article",
        responses={200: s.DiffSerializer, **READ_PROBLEMS},
    )
    def get(self, request, slug: str, old_id: int, new_id: int):
        old, new = old_id, new_id
        ref = _article_ref(request, slug)
        old_revision, new_revision = queries.revision_pair(ref.stream, old, new, privileged=_privileged(request))
        for number, revision in ((old, old_revision), (new, new_revision)):
            if revision is None:
                raise NotFound(f"The article {ref.slug!r} has no revision {number} you may see.")
        old_content, new_content = queries.revision_contents(old_revision, new_revision)
        return _with_etag(request, _diff_data(old, new, diff_articles(old_content, new_content)))


class RevisionView(APIView):
    @extend_schema(
        operation_id="revision_read",
        summary="A revision: status, check verdict, findings and content",
        responses={200: s.RevisionWithContentSerializer, **READ_PROBLEMS},
    )
    def get(self, request, revision_id: int):
        revision = _visible_revision(request, revision_id)
        data = _revision_data(request, revision)
        data["content"] = s.content_data(queries.revision_content(revision))
        return _with_etag(request, data)


# --- Writes ----------------------------------------------------------------------------


class PlainTextParser(parsers.BaseParser):
    """An article in the text format (`manage.py export_article` writes it, `import_article` reads it)."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return textformat.parse_bytes(stream.read() if stream is not None else b"", source="the request body")
        except textformat.ArticleFormatError as error:
            raise ParseError(f"{error}. Fix that line and send the article again.") from None


def _base_from_if_match(request):
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    match = _IF_MATCH.fullmatch(value)
    if match is None or not 0 < int(match.group(1)) <= MAX_REVISION_ID:
        raise ValidationError({"If-Match": ["The ETag of the article you edited, as GET /api/articles/<slug>/ gave it."]})
    return int(match.group(1))


class _WriteView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    def _revision_response(self, request, state, status_code=status.HTTP_200_OK) -> Response:
        data = _revision_data(request, selectors.revision_get(state.id))
        return Response(data, status=status_code)

    def _decide(self, request, revision_id: int, serializer_class, command, *, creates=False) -> Response:
        """A decision on a revision: the body is valid, the caller may see the revision, then the service decides.
        `creates`: the service answers with a new revision (201, at its Location)."""

        def perform():
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            _visible_revision(request, revision_id)
            state = command(serializer.validated_data)
            if not creates:
                return self._revision_response(request, state)
            response = self._revision_response(request, state, status.HTTP_201_CREATED)
            response["Location"] = response.data["url"]
            return response

        return idempotent(request, perform)


class ProposeView(_WriteView):
    parser_classes = [parsers.JSONParser, PlainTextParser]

    @extend_schema(
        operation_id="revision_propose",
        summary="Propose a revision (a new article when no article has its title)",
        description=(
            "Send JSON (`summary` and `content` or `text`), or the article in the text format as text/plain with "
            "the edit summary in `?summary=`. `If-Match` (the article's ETag) names the revision you edited: "
            "when another has been published since, the answer is 412 and nothing is written."
        ),
        parameters=[
            IDEMPOTENCY_KEY,
            OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                             description="The ETag of the article you edited (its revision number)."),
            OpenApiParameter("summary", str, description="The edit summary, when the body is text/plain."),
        ],
        request={"application/json": s.ProposeSerializer, "text/plain": OpenApiTypes.STR},
        responses={201: s.RevisionSerializer, **WRITE_PROBLEMS, **_problems(412)},
    )
    def post(self, request):
        return idempotent(request, lambda: self._propose(request))

    def _propose(self, request) -> Response:
        if_match_base = _base_from_if_match(request)
        if isinstance(request.data, textformat.ArticleContent):
            content = request.data
            summary = request.query_params.get("summary", "")
            base = CURRENT
        else:
            serializer = s.ProposeSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if "content" in data:
                content_serializer = s.ContentSerializer(data=request.data["content"])
                content_serializer.is_valid(raise_exception=True)
                content = content_serializer.to_content()
            else:
                try:
                    content = textformat.parse(data["text"], source="text")
                except textformat.ArticleFormatError as error:
                    raise ValidationError({"text": [f"{error}. Fix that line and send it again."]}) from None
            summary = data["summary"]
            base = data["base_revision"] if "base_revision" in data else CURRENT
        if if_match_base is not None:
            base = if_match_base
        try:
            state = revision_propose(actor=request.user, content=content, summary=summary, base_revision=base)
        except StaleBase as error:
            if if_match_base is None:
                raise
            raise PreconditionFailed(
                f"{error} GET the article again: its ETag names the published revision to send as If-Match."
            ) from None
        response = self._revision_response(request, state, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response


def _action_schema(operation_id: str, summary: str, request_serializer, extra=()):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        parameters=[IDEMPOTENCY_KEY],
        request=request_serializer,
        responses={200: s.RevisionSerializer, **WRITE_PROBLEMS, **_problems(*extra)},
    )


class ApproveView(_WriteView):
    @_action_schema("revision_approve", "Approve and publish (reviewers, never the author)", s.ApproveSerializer)
    def post(self, request, revision_id: int):
        return self._decide(request, revision_id, s.ApproveSerializer, lambda data: revision_approve(
            actor=request.user, revision_id=revision_id, override_reason=data["override_reason"]
        ))


class RejectView(_WriteView):
    @_action_schema("revision_reject", "Reject, with a reason the author can act on", s.RejectSerializer)
    def post(self, request, revision_id: int):
        return self._decide(request, revision_id, s.RejectSerializer, lambda data: revision_reject(
            actor=request.user, revision_id=revision_id, reason=data["reason"]
        ))


class WithdrawView(_WriteView):
    @_action_schema("revision_withdraw", "Withdraw your own pending proposal", s.WithdrawSerializer)
    def post(self, request, revision_id: int):
        return self._decide(request, revision_id, s.WithdrawSerializer, lambda data: revision_withdraw(
            actor=request.user, revision_id=revision_id, reason=data["reason"]
        ))


class RebaseView(_WriteView):
    @extend_schema(
        operation_id="revision_rebase",
        summary="Carry your stale proposal onto the published revision (a three-way merge)",
        description="A clean merge proposes the merged revision (201); conflicts are a 409 listing each unit.",
        parameters=[IDEMPOTENCY_KEY],
        request=s.RebaseSerializer,
        responses={201: s.RevisionSerializer, **WRITE_PROBLEMS},
    )
    def post(self, request, revision_id: int):
        return self._decide(request, revision_id, s.RebaseSerializer, lambda data: revision_rebase(
            actor=request.user, revision_id=revision_id, resolution=data.get("resolution")
        ), creates=True)


class RecheckView(_WriteView):
    @extend_schema(
        operation_id="revision_recheck",
        summary="Send the checks of an open revision again when they were lost or are stale",
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        responses={(202, "application/json"): s.RecheckSerializer, (200, "application/json"): s.RecheckSerializer, **WRITE_PROBLEMS},
    )
    def post(self, request, revision_id: int):
        def perform():
            if not (can_propose(request.user) or can_review(request.user)):
                raise NotAllowed("Only editors and reviewers may send checks again.")
            _visible_revision(request, revision_id)
            if revision_id not in revisions_needing_checks(revision_ids=[revision_id]):
                detail = "Nothing to send: the revision is not open, or its verdict is current."
                return Response({"revision": revision_id, "sent": False, "detail": detail})
            if not enqueue_checks(revision_id):
                detail = "The broker could not be reached; the sweep will send the checks later."
                return Response({"revision": revision_id, "sent": False, "detail": detail})
            detail = "Checks sent; poll the revision for its verdict."
            return Response({"revision": revision_id, "sent": True, "detail": detail}, status=status.HTTP_202_ACCEPTED)

        return idempotent(request, perform)


@csrf_exempt  # nothing to protect, and a POST to a wrong address must get this answer, not the CSRF page
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a problem, not the site's HTML page."""
    body = {
        "type": TYPE_BASE + "not-found", "title": "Not found", "status": 404,
        "detail": "No API endpoint has this address; see /api/docs/ for those there are.",
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
