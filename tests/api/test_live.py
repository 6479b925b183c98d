"""The API over real HTTP against gunicorn on PostgreSQL: schemathesis on every operation, and a bot's story.

schemathesis reads /api/schema/ from the live server and sends every
operation requests generated from it (as a reviewer's token); every
response must be a non-5xx whose status, content type, headers and body
the schema documents. The bot story is what a patrol bot does: import an
article with its token, poll the revision until the checks give their
verdict, and have a second bot (a reviewer's token) approve it.
"""

from __future__ import annotations

import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from encyclopedia import textformat
from tests.support.environment import SEED_PATH
from tests.system.http_support import GunicornServer

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

# Small enough for the whole run to take about two minutes on one machine.
MAX_EXAMPLES = 60
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def member(username: str, *groups: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from editorial.roles import ensure_groups

    ensure_groups()
    user = get_user_model().objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def key_of(user) -> str:
    return ApiToken.issue(user, "live test")[1]


@pytest.fixture
def server(transactional_db, tmp_path):
    # Limits high enough never to be met by the generated traffic (429 is documented all the same).
    gunicorn = GunicornServer(
        tmp_path / "gunicorn.log", workers=2, threads=2,
        STET_API_READ_RATE="100000/min", STET_API_WRITE_RATE="100000/min",
    ).start()
    yield gunicorn
    gunicorn.stop()
    errors = gunicorn.server_errors()
    assert not errors, "the server answered 5xx:\n" + "\n".join(errors[:20]) + "\n" + gunicorn.output()[-4000:]


@pytest.fixture
def api_schema(server):
    """The live schema, with a published article and a pending revision behind some of its addresses."""
    from editorial.services import revision_approve, revision_propose

    editor, reviewer = member("eda", "Editors"), member("rosa", "Reviewers")
    seed = textformat.parse_bytes(SEED_PATH.read_bytes())
    published = revision_propose(actor=editor, content=seed, summary="Import")
    _wait_for_verdict(published.id)
    revision_approve(actor=reviewer, revision_id=published.id)
    server.reviewer_key = key_of(reviewer)
    return schemathesis.openapi.from_url(f"{server.url}/api/schema/?format=json", timeout=30)


def _wait_for_verdict(revision_id: int, timeout: float = 60) -> str:
    from editorial.models import Revision

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        verdict = Revision.objects.filter(id=revision_id).values_list("check_status", flat=True).first()
        if verdict not in (None, "", "pending"):
            return verdict
        time.sleep(0.05)
    raise AssertionError(f"revision {revision_id} has no verdict after {timeout}s")


def test_every_operation_conforms_to_the_schema(server, api_schema):
    """Each operation of the live schema, MAX_EXAMPLES generated requests each; failures collected, then shown."""
    headers = {"Authorization": f"Token {server.reviewer_key}", "X-Forwarded-Proto": "https"}
    failures: dict[str, str] = {}
    operations = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations.append(operation.label)

        # Valid requests and invalid ones (wrong types, missing fields): both must get documented answers.
        @given(case=operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        def exercise(case):
            case.call_and_validate(base_url=server.url, headers=headers, checks=CHECKS, timeout=60)

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as failure:  # a group of the failed checks, with the request
            failures[operation.label] = str(failure)[:3000]
    assert len(operations) >= 12, operations
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def test_a_bot_imports_polls_and_a_second_bot_approves(server, transactional_db):
    editor_bot = member("import-bot", "Editors")
    reviewer_bot = member("patrol-bot", "Reviewers")
    importer = requests.Session()
    importer.headers.update({"Authorization": f"Token {key_of(editor_bot)}", "X-Forwarded-Proto": "https"})
    approver = requests.Session()
    approver.headers.update({"Authorization": f"Bearer {key_of(reviewer_bot)}", "X-Forwarded-Proto": "https"})

    # Import: the text format as it is on disk, retried once with the same key as a bot on a flaky network would.
    body = SEED_PATH.read_bytes()
    sent = [
        importer.post(
            f"{server.url}/api/revisions/", params={"summary": "Import by bot"}, data=body,
            headers={"Content-Type": "text/plain; charset=utf-8", "Idempotency-Key": "import-seed-1"}, timeout=60,
        )
        for _ in range(2)
    ]
    assert [response.status_code for response in sent] == [201, 201], sent[0].text
    assert sent[1].headers["Idempotent-Replayed"] == "true" and sent[1].json()["id"] == sent[0].json()["id"]
    revision_url = sent[0].headers["Location"].replace("https://", "http://")
    revision_id = sent[0].json()["id"]

    # Poll for the verdict, with a deadline.
    deadline = time.monotonic() + 60
    while True:
        revision = importer.get(revision_url, timeout=30).json()
        if revision["checks"]["verdict"] not in ("", None, "pending"):
            break
        assert time.monotonic() < deadline, f"no verdict after 60s: {revision}"
        time.sleep(0.1)
    assert revision["checks"]["verdict"] == "passed", revision["checks"]

    # The importer may not approve its own import; the second bot does.
    own = importer.post(f"{server.url}/api/revisions/{revision_id}/approve/", json={}, timeout=60)
    assert own.status_code == 403 and own.headers["Content-Type"] == "application/problem+json"
    approved = approver.post(
        f"{server.url}/api/revisions/{revision_id}/approve/", json={}, headers={"Idempotency-Key": "approve-1"}, timeout=60
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["decided_by"] == "patrol-bot"

    seed = textformat.parse_bytes(body)
    article = requests.get(f"{server.url}/api/articles/{seed.slug}/", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert article.status_code == 200 and article.headers["ETag"] == f'"{revision_id}"'
    assert textformat.parse(article.json()["text"]) == seed


def test_a_retry_racing_its_first_attempt_writes_once(server, transactional_db):
    """Two copies of a request with one Idempotency-Key, sent at the same moment to different workers."""
    import threading

    from editorial.models import Revision
    from tests.support.factories import with_infobox

    bot = member("import-bot", "Editors")
    headers = {"Authorization": f"Token {key_of(bot)}", "X-Forwarded-Proto": "https"}
    seed = textformat.parse_bytes(SEED_PATH.read_bytes())
    for round_number in range(5):
        body = {"summary": f"round {round_number}", "content": with_infobox(seed, "Notes", f"r{round_number}").to_dict()}
        barrier = threading.Barrier(2)
        answers: list = [None, None]

        def send(slot: int):
            barrier.wait()
            answers[slot] = requests.post(  # a connection of its own, as two processes of a bot would have
                f"{server.url}/api/revisions/", json=body,
                headers={**headers, "Idempotency-Key": f"race-{round_number}"}, timeout=60,
            )

        threads = [threading.Thread(target=send, args=(slot,)) for slot in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert [answer.status_code for answer in answers] == [201, 201], [answer.text for answer in answers]
        assert answers[0].json()["id"] == answers[1].json()["id"]
        assert Revision.objects.filter(summary=f"round {round_number}").count() == 1
