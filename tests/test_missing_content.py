"""A content blob that the log names is gone: every page still answers, none with a 500.

The blob is deleted behind the application's back, as a faulty restore or
someone with database access would. Pages that show that revision's
content say that it is missing and what reports it (status 410); every
other page is unaffected.
"""

from __future__ import annotations

import pytest
from django.db import connection

from editorial.models import ContentBlob, Revision
from tests.support.urls import SEED_SLUG, url_templates, valid_value

pytestmark = pytest.mark.django_db


def behind_the_back(sql: str, params: list) -> None:
    """One statement on one content blob, past the application and its guards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The append-only trigger refuses UPDATE and DELETE; triggers are off for this transaction only.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        assert cursor.rowcount == 1
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def delete_blob(content_hash: str) -> None:
    behind_the_back("DELETE FROM editorial_contentblob WHERE hash = %s", [content_hash])


@pytest.fixture
def pending_without_content(world):
    """The pending revision's content is deleted; the published ones keep theirs."""
    pending = Revision.objects.get(id=world["pending"])
    delete_blob(pending.content_hash)
    return pending


def assert_missing_content_page(response, revision_id: int):
    assert response.status_code == 410
    text = response.content.decode()
    assert f"The stored content of revision {revision_id}" in text
    assert "replay_events --verify" in text


@pytest.mark.parametrize(
    "path",
    [
        "/articles/{slug}/revisions/{pending}/",
        "/articles/{slug}/diff/{first}/{pending}/",
        "/articles/{slug}/diff/{pending}/{first}/",
        "/admin/editorial/revision/{pending}/review/",
    ],
)
def test_a_page_showing_the_missing_content_says_so(client, reviewer, world, pending_without_content, path):
    client.force_login(reviewer)
    response = client.get(path.format(slug=SEED_SLUG, **world))
    assert_missing_content_page(response, pending_without_content.id)


def test_the_article_as_of_a_day_says_so_when_that_version_is_missing(client, world):
    published = Revision.objects.filter(status="approved").order_by("-decided_at").first()
    delete_blob(published.content_hash)
    day = published.decided_at.date().isoformat()
    assert_missing_content_page(client.get(f"/articles/{SEED_SLUG}/?as_of={day}"), published.id)
    # The page readers use every day reads the published tables, not the blob.
    assert client.get(f"/articles/{SEED_SLUG}/").status_code == 200


def test_the_history_shows_no_size_change_for_a_missing_content(client, reviewer, world, pending_without_content):
    client.force_login(reviewer)
    response = client.get(f"/articles/{SEED_SLUG}/history/")
    assert response.status_code == 200
    rows = {row.revision.id: row for row in response.context["rows"]}
    assert rows[pending_without_content.id].size_change is None


@pytest.mark.parametrize(
    "role", ["anonymous", "reviewer", "superuser"]
)
def test_no_page_is_a_server_error_when_every_blob_is_gone(client, world, reviewer, role):
    for content_hash in ContentBlob.objects.values_list("hash", flat=True):
        delete_blob(content_hash)
    if role == "reviewer":
        client.force_login(reviewer)
    elif role == "superuser":
        client.force_login(world["admin"])
    # Revisions everyone may see, so that every role reaches the pages that read their content.
    visible = {"revision_id": world["first"], "old_id": world["first"], "new_id": world["newer"]}
    failures = []
    for template, names in url_templates():
        url = template.format(**{name: visible.get(name) or valid_value(template, name, world) for name in names})
        if template == "/articles/{slug}/":
            url += f"?as_of={Revision.objects.get(id=world['newer']).decided_at.date().isoformat()}"
        try:
            status = client.get(url).status_code
        except Exception as error:  # noqa: BLE001 - an escaping exception is what this test looks for
            failures.append(f"GET {url} raised {type(error).__name__}: {error}")
            continue
        if status >= 500:
            failures.append(f"GET {url} answered {status}")
    assert not failures, "\n".join(failures)


def test_a_blob_edited_into_something_unreadable_is_shown_as_missing(client, reviewer, world):
    pending = Revision.objects.get(id=world["pending"])
    behind_the_back("UPDATE editorial_contentblob SET content = %s WHERE hash = %s", ['{"lead": 1}', pending.content_hash])
    client.force_login(reviewer)
    assert_missing_content_page(client.get(f"/articles/{SEED_SLUG}/revisions/{pending.id}/"), pending.id)
