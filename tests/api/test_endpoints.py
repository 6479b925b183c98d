"""Every endpoint of the JSON API through DRF's test client: reads, writes, and the services' refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from editorial.models import Revision
from encyclopedia import textformat
from tests.api.conftest import token_client
from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, kind: str, *words: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"/api/problems/{kind}" and body["status"] == status and body["title"]
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


def propose_json(client, content, summary="an edit", **extra):
    return client.post(
        "/api/revisions/", {"summary": summary, "content": content.to_dict()}, format="json", **extra
    )


# --- Reads ---------------------------------------------------------------------------


def test_article_list_and_read(anonymous_api, published_seed, seed_content):
    listing = anonymous_api.get("/api/articles/").json()
    assert [row["slug"] for row in listing["results"]] == [seed_content.slug]
    assert listing["next"] is None

    response = anonymous_api.get(f"/api/articles/{seed_content.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == published_seed.id and body["is_current"]
    assert response["ETag"] == f'"{published_seed.id}"'
    assert textformat.parse(body["text"]) == seed_content
    assert body["content"]["infobox"][0] == list(seed_content.infobox[0].__dict__.values())
    # The same ETag back: nothing changed.
    again = anonymous_api.get(f"/api/articles/{seed_content.slug}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_article_list_pages_by_slug(anonymous_api, editor, reviewer, published_seed):
    from tests.support.factories import publish, tongo_tongo

    publish(tongo_tongo(), author=editor, reviewer=reviewer, override_reason="A stub of an article.")
    first = anonymous_api.get("/api/articles/?limit=1").json()
    assert len(first["results"]) == 1 and first["next"]
    second = anonymous_api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert first["results"][0]["slug"] < second["results"][0]["slug"]


def test_article_as_of(anonymous_api, published_seed, seed_content):
    slug = seed_content.slug
    assert anonymous_api.get(f"/api/articles/{slug}/?as_of=9999-12-31").json()["revision"] == published_seed.id
    assert_problem(anonymous_api.get(f"/api/articles/{slug}/?as_of=2000-01-01"), 404, "not-found", "no published version")
    body = assert_problem(anonymous_api.get(f"/api/articles/{slug}/?as_of=yesterday"), 400, "invalid", "as_of")
    assert "as_of" in body["errors"]


def test_unknown_article_and_address(anonymous_api, db):
    assert_problem(anonymous_api.get("/api/articles/nothing-here/"), 404, "not-found", "GET /api/articles/")
    assert_problem(anonymous_api.get("/api/no/such/thing"), 404, "not-found", "/api/docs/")
    assert_problem(anonymous_api.get("/api/revisions/-1/"), 404, "not-found")
    assert_problem(anonymous_api.post("/api/revisions/-1/approve/"), 404, "not-found")  # no CSRF page either
    assert_problem(anonymous_api.get("/api/articles/?after=%00"), 400, "bad-address", "NUL")


def test_revision_read_hides_pending_from_readers(anonymous_api, editor_api, editor, published_seed, seed_content):
    pending = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "x"), summary="s")
    assert_problem(anonymous_api.get(f"/api/revisions/{pending.id}/"), 404, "not-found")
    response = editor_api.get(f"/api/revisions/{pending.id}/")
    assert response.status_code == 200 and response["ETag"]
    body = response.json()
    assert body["status"] == "pending" and body["author"] == "eda"
    assert body["checks"]["verdict"] and isinstance(body["checks"]["findings"], list)
    assert ["Result", "x"] in body["content"]["infobox"]
    assert anonymous_api.get(f"/api/revisions/{published_seed.id}/").status_code == 200


def test_history_keyset_pages(editor_api, editor, reviewer, published_seed, seed_content):
    ids = [published_seed.id]
    for n in range(3):
        ids.append(propose_checked(actor=editor, content=with_infobox(seed_content, "Notes", f"n{n}"), summary=f"e{n}").id)
    slug = seed_content.slug
    first = editor_api.get(f"/api/articles/{slug}/history/?limit=2").json()
    assert [row["id"] for row in first["results"]] == ids[:-3:-1]
    assert "cursor=" in first["next"]
    second = editor_api.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == ids[-3::-1] and second["next"] is None
    # Readers see the approved one only; reviewers, like editors, see every revision.
    from rest_framework.test import APIClient

    assert [row["id"] for row in APIClient().get(f"/api/articles/{slug}/history/").json()["results"]] == ids[:1]
    assert len(token_client(reviewer).get(f"/api/articles/{slug}/history/").json()["results"]) == 4
    assert_problem(editor_api.get(f"/api/articles/{slug}/history/?cursor=abc"), 400, "invalid", "cursor")


def test_history_costs_the_same_queries_however_long(anonymous_api, editor, reviewer, published_seed, seed_content):
    from tests.support.factories import publish

    slug = seed_content.slug

    def queries_of_history():
        with CaptureQueriesContext(connection) as captured:
            assert anonymous_api.get(f"/api/articles/{slug}/history/").status_code == 200
        return len(captured)

    before = queries_of_history()
    for n in range(3):
        publish(with_infobox(seed_content, "Notes", f"note {n}"), author=editor, reviewer=reviewer, summary=f"n{n}")
    assert queries_of_history() == before


def test_reads_cost_the_same_queries_however_long_the_history(anonymous_api, editor, reviewer, published_seed, seed_content):
    from tests.support.factories import publish

    slug = seed_content.slug
    paths = [f"/api/articles/{slug}/", f"/api/articles/{slug}/provenance/", f"/api/revisions/{published_seed.id}/"]

    def counts():
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert anonymous_api.get(path).status_code == 200
            found.append(len(captured))
        return found

    before = counts()
    for n in range(3):
        publish(with_infobox(seed_content, "Notes", f"note {n}"), author=editor, reviewer=reviewer, summary=f"n{n}")
    assert counts() == before
    assert before == [3, 3, 3], before  # e.g. the article row, its revision, the content


def test_provenance_and_diff(anonymous_api, editor, reviewer, published_seed, seed_content):
    from tests.support.factories import publish

    newer = publish(with_infobox(seed_content, "Notes", "a note"), author=editor, reviewer=reviewer, summary="note")
    slug = seed_content.slug
    provenance = anonymous_api.get(f"/api/articles/{slug}/provenance/").json()
    by_key = {field["key"]: field for field in provenance["fields"]}
    assert by_key["Notes"]["revision"] == newer.id and by_key["Notes"]["approver"] == "rosa"
    assert by_key[seed_content.infobox[0].key]["revision"] == published_seed.id

    diff = anonymous_api.get(f"/api/articles/{slug}/diff/{published_seed.id}/{newer.id}/")
    assert diff.status_code == 200 and diff["ETag"]
    body = diff.json()
    assert body["has_changes"]
    assert [row for row in body["infobox"] if row["status"] != "unchanged"] == [
        {"key": "Notes", "old": None, "new": "a note", "status": "added", "ops": [], "coarse": False}
    ]
    assert_problem(anonymous_api.get(f"/api/articles/{slug}/diff/{published_seed.id}/999999/"), 404, "not-found")


# --- Authentication ------------------------------------------------------------------------


def test_writes_need_authentication(anonymous_api, published_seed):
    response = anonymous_api.post(f"/api/revisions/{published_seed.id}/approve/", {}, format="json")
    assert_problem(response, 401, "not-authenticated", "create_api_token")
    assert response["WWW-Authenticate"].startswith("Token")


def test_revoked_and_unknown_keys_are_refused(editor, published_seed, seed_content):
    from api.models import ApiToken

    client = token_client(editor)
    assert client.get("/api/articles/").status_code == 200
    ApiToken.objects.get(user=editor).revoke()
    assert_problem(client.get("/api/articles/"), 401, "authentication-failed", "revoked")
    stranger = token_client(editor)
    stranger.credentials(HTTP_AUTHORIZATION="Token stet_not-a-key")
    assert_problem(stranger.get("/api/articles/"), 401, "authentication-failed")


def test_only_the_hash_of_a_key_is_stored(editor):
    from api.models import ApiToken, hash_key

    client = token_client(editor)
    token = ApiToken.objects.get(user=editor)
    assert token.key_hash == hash_key(client.key) and client.key not in str(ApiToken.objects.values().get())


def test_session_login_works_with_csrf(editor, published_seed, seed_content):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(f"/api/revisions/{published_seed.id}/").status_code == 200
    refused = propose_json(client, with_infobox(seed_content, "Notes", "x"))
    assert_problem(refused, 403, "permission-denied", "CSRF")
    token = "a" * 32  # the cookie a browser got from a page, sent back in the header
    client.cookies["csrftoken"] = token
    accepted = propose_json(client, with_infobox(seed_content, "Notes", "x"), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


# --- Writes and refusals ---------------------------------------------------------------


def test_propose_as_json_and_as_text(editor_api, published_seed, seed_content):
    response = propose_json(editor_api, with_infobox(seed_content, "Notes", "json"), summary="by JSON")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["base_revision"] == published_seed.id
    assert response["Location"].endswith(f"/api/revisions/{body['id']}/")

    text = textformat.write(with_infobox(seed_content, "Notes", "text"))
    as_text = editor_api.post("/api/revisions/?summary=by+text", data=text, content_type="text/plain")
    assert as_text.status_code == 201, as_text.content
    assert Revision.objects.get(id=as_text.json()["id"]).summary == "by text"

    other_text = textformat.write(with_infobox(seed_content, "Notes", "text in JSON"))
    in_json = editor_api.post("/api/revisions/", {"summary": "text in JSON", "text": other_text}, format="json")
    assert in_json.status_code == 201, in_json.content
    broken = editor_api.post("/api/revisions/", {"summary": "s", "text": "no title"}, format="json")
    assert_problem(broken, 400, "invalid", "line 1")
    both = editor_api.post("/api/revisions/", {"summary": "s", "text": other_text, "content": seed_content.to_dict()}, format="json")
    assert_problem(both, 400, "invalid", "either")


def test_propose_refusals(editor_api, anonymous_api, outsider, published_seed, seed_content):
    assert_problem(
        editor_api.post("/api/revisions/?summary=x", data="no title here", content_type="text/plain"),
        400, "parse-error", "line",
    )
    assert_problem(propose_json(editor_api, seed_content), 400, "refused", "Nothing to propose")
    assert_problem(propose_json(editor_api, with_infobox(seed_content, "N", "v"), summary=" "), 400, "invalid", "summary")
    assert_problem(editor_api.post("/api/revisions/", {"summary": "s"}, format="json"), 400, "invalid", "content")
    assert_problem(propose_json(token_client(outsider), with_infobox(seed_content, "N", "v")), 403, "not-allowed")
    assert_problem(
        editor_api.post("/api/revisions/", data="<a/>", content_type="application/xml"), 415, "unsupported-media-type"
    )


def test_if_match_names_the_base(editor_api, editor, reviewer, published_seed, seed_content):
    from tests.support.factories import publish

    etag = editor_api.get(f"/api/articles/{seed_content.slug}/")["ETag"]
    publish(with_infobox(seed_content, "Notes", "meanwhile"), author=editor, reviewer=reviewer, summary="meanwhile")
    stale = propose_json(editor_api, with_infobox(seed_content, "Result", "mine"), HTTP_IF_MATCH=etag)
    assert_problem(stale, 412, "precondition-failed", "has been published since", "If-Match")
    fresh_etag = editor_api.get(f"/api/articles/{seed_content.slug}/")["ETag"]
    landed = propose_json(editor_api, with_infobox(seed_content, "Result", "mine"), HTTP_IF_MATCH=fresh_etag)
    assert landed.status_code == 201 and landed.json()["base_revision"] == int(fresh_etag.strip('"'))
    assert_problem(propose_json(editor_api, seed_content, HTTP_IF_MATCH="nonsense"), 400, "invalid", "If-Match")
    # The same in the body is a 409: nothing was conditional on a header.
    body_stale = editor_api.post(
        "/api/revisions/",
        {"summary": "s", "content": with_infobox(seed_content, "Result", "x").to_dict(), "base_revision": published_seed.id},
        format="json",
    )
    assert_problem(body_stale, 409, "stale-base", "has been published since")


def test_review_actions_follow_the_services(editor_api, reviewer_api, reviewer2_api, editor, reviewer, published_seed, seed_content):
    pending = propose_checked(actor=reviewer, content=with_infobox(seed_content, "Notes", "n"), summary="s")
    # Four eyes: the author cannot approve their own revision; an editor may not approve at all.
    assert_problem(reviewer_api.post(f"/api/revisions/{pending.id}/approve/", {}, format="json"), 403, "not-allowed")
    assert_problem(editor_api.post(f"/api/revisions/{pending.id}/approve/", {}, format="json"), 403, "not-allowed")
    assert_problem(reviewer2_api.post(f"/api/revisions/{pending.id}/reject/", {}, format="json"), 400, "invalid", "reason")
    approved = reviewer2_api.post(f"/api/revisions/{pending.id}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "ravi"
    again = reviewer2_api.post(f"/api/revisions/{pending.id}/approve/", {}, format="json")
    assert_problem(again, 409, "invalid-transition")

    other = propose_checked(actor=editor, content=with_infobox(seed_content, "Notes", "m"), summary="s")
    rejected = reviewer2_api.post(f"/api/revisions/{other.id}/reject/", {"reason": "cite it"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["decision_reason"] == "cite it"

    mine = propose_checked(actor=editor, content=with_infobox(seed_content, "Notes", "w"), summary="s")
    assert_problem(reviewer_api.post(f"/api/revisions/{mine.id}/withdraw/", {}, format="json"), 403, "not-allowed")
    withdrawn = editor_api.post(f"/api/revisions/{mine.id}/withdraw/", {"reason": "changed my mind"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_approval_with_errors_needs_an_override(editor, reviewer_api, published_seed, seed_content):
    bad = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Casualties1", "14 killed, 5 injured, 3 vehicles captured"),
        summary="raise",
    )
    assert Revision.objects.get(id=bad.id).check_status == "failed"
    assert_problem(reviewer_api.post(f"/api/revisions/{bad.id}/approve/", {}, format="json"), 409, "checks-failed")
    approved = reviewer_api.post(
        f"/api/revisions/{bad.id}/approve/", {"override_reason": "The ministry's later count."}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["override_reason"] == "The ministry's later count."


def test_pending_checks_refuse_approval_and_recheck_sends_them(editor_api, reviewer_api, outsider, editor, published_seed, seed_content, settings):
    from editorial.services import revision_propose

    # Without running the on-commit hooks, the checks never ran: as if the broker lost them.
    pending = revision_propose(actor=editor, content=with_infobox(seed_content, "Notes", "lost"), summary="s")
    assert_problem(reviewer_api.post(f"/api/revisions/{pending.id}/approve/", {}, format="json"), 409, "checks-pending")
    assert_problem(token_client(outsider).post(f"/api/revisions/{pending.id}/recheck/"), 403, "not-allowed")
    settings.STET_CHECKS_LOST_AFTER = 0
    sent = reviewer_api.post(f"/api/revisions/{pending.id}/recheck/")
    assert sent.status_code == 202 and sent.json()["sent"] is True
    assert Revision.objects.get(id=pending.id).check_status == "passed"
    nothing = reviewer_api.post(f"/api/revisions/{pending.id}/recheck/")
    assert nothing.status_code == 200 and nothing.json()["sent"] is False
    assert reviewer_api.post(f"/api/revisions/{pending.id}/approve/", {}, format="json").status_code == 200


def test_rebase_conflicts_are_listed(editor_api, editor, reviewer, published_seed, seed_content):
    from tests.support.factories import publish

    mine = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "mine"), summary="mine")
    publish(with_infobox(seed_content, "Result", "theirs"), author=reviewer, reviewer=token_reviewer(reviewer), summary="t")
    body = assert_problem(editor_api.post(f"/api/revisions/{mine.id}/rebase/", {}, format="json"), 409, "merge-conflicts")
    conflict = body["conflicts"][0]
    assert conflict["ours"] == "mine" and conflict["theirs"] == "theirs"
    resolved = editor_api.post(
        f"/api/revisions/{mine.id}/rebase/", {"resolution": {conflict["unit"]: "both"}}, format="json"
    )
    assert resolved.status_code == 201, resolved.content
    assert resolved.json()["status"] == "pending"


def token_reviewer(reviewer):
    """Another reviewer, so that the author of a published rival is not its approver."""
    from tests.conftest import _member
    from django.contrib.auth import get_user_model

    return _member(get_user_model(), "rhea", "Reviewers")


# --- Idempotency and limits ----------------------------------------------------------


def test_idempotency_key_replays_and_refuses_a_different_body(editor_api, published_seed, seed_content):
    content = with_infobox(seed_content, "Notes", "once")
    first = propose_json(editor_api, content, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    replay = propose_json(editor_api, content, HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 201 and replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true" and replay["Location"] == first["Location"]
    assert Revision.objects.filter(status="pending").count() == 1
    different = propose_json(editor_api, with_infobox(seed_content, "Notes", "twice"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert_problem(different, 422, "idempotency-key-reused", "new key")
    assert_problem(propose_json(editor_api, content, HTTP_IDEMPOTENCY_KEY="é"), 400, "invalid-idempotency-key")


def test_a_body_too_large_to_remember_is_a_problem(editor_api, published_seed, seed_content, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = propose_json(editor_api, with_infobox(seed_content, "Notes", "x" * 2000), HTTP_IDEMPOTENCY_KEY="big")
    assert_problem(response, 413, "too-large", "DATA_UPLOAD_MAX_MEMORY_SIZE")


def test_idempotency_keys_expire_after_a_day(editor_api, published_seed, seed_content):
    from datetime import timedelta

    from api.idempotency import KEPT_FOR
    from api.models import IdempotentResponse

    content = with_infobox(seed_content, "Notes", "old")
    assert propose_json(editor_api, content, HTTP_IDEMPOTENCY_KEY="old-key").status_code == 201
    IdempotentResponse.objects.update(created_at=F("created_at") - KEPT_FOR - timedelta(seconds=1))
    again = propose_json(editor_api, with_infobox(seed_content, "Notes", "new"), HTTP_IDEMPOTENCY_KEY="old-key")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert IdempotentResponse.objects.count() == 1  # the expired one cleared


def test_idempotency_keys_belong_to_one_token(editor, published_seed, seed_content):
    content = with_infobox(seed_content, "Notes", "a")
    assert propose_json(token_client(editor), content, HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    # Another token's same key is another request: here the services refuse it as a duplicate of nothing new.
    other = propose_json(token_client(editor), with_infobox(seed_content, "Notes", "b"), HTTP_IDEMPOTENCY_KEY="same")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other


def test_refusals_are_not_replayed(editor_api, reviewer_api, editor, published_seed, seed_content):
    from editorial.services import revision_propose

    pending = revision_propose(actor=editor, content=with_infobox(seed_content, "Notes", "x"), summary="s")
    url = f"/api/revisions/{pending.id}/approve/"
    assert reviewer_api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="a").status_code == 409
    from editorial.checks import check_revision

    check_revision(pending.id)
    assert reviewer_api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="a").status_code == 200


def test_rate_limit_per_token(editor, reviewer, published_seed, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"read": "3/min", "write": "3/min"}}
    limited, fresh = token_client(editor), token_client(reviewer)
    assert [limited.get("/api/articles/").status_code for _ in range(3)] == [200, 200, 200]
    refused = limited.get("/api/articles/")
    body = assert_problem(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0
    assert body["retry_after"] > 0
    assert fresh.get("/api/articles/").status_code == 200
    cache.clear()


# --- Schema and docs -------------------------------------------------------------------


def test_the_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/revisions/{revision_id}/approve/" in (tmp_path / "schema.yaml").read_text()


def test_schema_and_docs_are_served_without_a_cdn(anonymous_api, db):
    schema = anonymous_api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    operations = {op["operationId"] for path in schema.json()["paths"].values() for op in path.values()}
    assert {"revision_propose", "revision_approve", "article_history", "article_diff"} <= operations
    docs = anonymous_api.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower() and "//unpkg" not in page
    import re

    bundle = re.search(r'src="(/static/[^"]*swagger-ui-bundle\.js)"', page)
    assert bundle, page[:2000]
    # collectstatic gathers it (`make serve`), and whitenoise serves it from there.
    from django.contrib.staticfiles import finders

    assert finders.find(bundle[1].removeprefix("/static/"))
