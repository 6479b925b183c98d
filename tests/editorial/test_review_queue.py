"""The review queue: the Revision changelist, read-only, open revisions first."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editorial.services import revision_propose
from editorial.models import Revision
from encyclopedia.content import ArticleContent, InfoboxEntry

from tests.support.factories import client_for, propose_checked, with_infobox
from tests.support.html import assert_inert, dom
from tests.support.payloads import ATTRIBUTE, JAVASCRIPT, PAYLOADS, SCRIPT
from tests.support.urls import queue_url, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(published_seed, seed_content, editor, editor2):
    """The published seed, a failing and a passing edit of it, and a new article."""
    failing = propose_checked(
        actor=editor,
        content=with_infobox(seed_content, "Casualties1", "14 killed, 5 injured, 3 vehicles captured"),
        summary="One more killed",
    )
    passing = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Wider context"
    )
    other = propose_checked(
        actor=editor,
        content=ArticleContent(
            title="Tongo Tongo ambush",
            lead="An ambush near Tongo Tongo on 4 October 2017.",
            infobox=(
                InfoboxEntry("Conflict", "Tongo Tongo ambush"),
                InfoboxEntry("Place", "Tongo Tongo, Niger"),
                InfoboxEntry("Date", "October 4, 2017"),
                InfoboxEntry("Result", "ISGS victory"),
            ),
        ),
        summary="New article",
    )
    return {"seed": published_seed, "failing": failing, "passing": passing, "other": other}


def rows_of(response) -> dict[int, dict]:
    """The queue's rows by revision id: each column's node."""
    tree = dom(response)
    tables = tree.select("table", id="result_list")  # none when nothing matches
    rows = {}
    for tr in (tables[0].one("tbody").select("tr") if tables else ()):
        # The ID is the row's link, so the admin writes it as the row's header cell.
        cells = {
            cell.attrs["class"].split()[0].removeprefix("field-"): cell
            for cell in tr.select()
            if cell.tag in ("td", "th") and "class" in cell.attrs
        }
        rows[int(cells["id"].text())] = cells
    return rows


def test_the_queue_lists_open_revisions_oldest_first_with_their_verdict(queue, reviewer):
    response = client_for(reviewer).get(queue_url())
    assert response.status_code == 200
    rows = rows_of(response)

    assert list(rows) == [queue["failing"].id, queue["passing"].id, queue["other"].id]  # the seed is approved
    failing = rows[queue["failing"].id]
    id_link = failing["id"].one("a")  # straight to the review page, not through the change form's redirect
    assert (id_link.text(), id_link.attrs["href"]) == (str(queue["failing"].id), review_url(queue["failing"].id))
    link = failing["article"].one("a")
    assert (link.text(), link.attrs["href"]) == ("2017 Ayorou attack", review_url(queue["failing"].id))
    assert failing["author"].text() == "eda"
    assert failing["short_summary"].text() == "One more killed"
    assert failing["age"].one("time").text() == "0\xa0minutes"
    verdict = failing["verdict"].one("span", class_="verdict")
    assert (verdict.text(), verdict.attrs["data-status"]) == ("errors", "failed")
    assert "verdict-failed" in verdict.attrs["class"]
    assert rows[queue["passing"].id]["verdict"].one(class_="verdict").text() == "passed"
    assert rows[queue["other"].id]["article"].text() == "Tongo Tongo ambush"


def test_age_is_how_long_the_revision_has_waited(queue, reviewer):
    # Only the read model's clock is moved, to see the column read it.
    three_hours_ago = timezone.now() - datetime.timedelta(hours=3, minutes=5)
    Revision.objects.filter(id=queue["failing"].id).update(proposed_at=three_hours_ago)
    rows = rows_of(client_for(reviewer).get(queue_url()))
    assert rows[queue["failing"].id]["age"].text() == "3\xa0hours"


def test_long_summaries_are_truncated(published_seed, seed_content, editor, reviewer):
    summary = "Casualty figure from the ministry's second statement, " * 5
    revision = propose_checked(actor=editor, content=with_infobox(seed_content, "Partof", "Sahel"), summary=summary)
    cell = rows_of(client_for(reviewer).get(queue_url()))[revision.id]["short_summary"].text()
    assert cell.endswith("…") and len(cell) <= 80 and summary.startswith(cell[:-1])


def test_the_status_filter_defaults_to_pending_and_offers_the_others(queue, reviewer):
    client = client_for(reviewer)
    tree = dom(client.get(queue_url()))
    status_filter = tree.one("details", data_filter_title="status")
    assert status_filter.one("li", class_="selected").text().strip() == "pending review"
    labels = [a.text() for a in status_filter.select("a")]
    assert labels == ["pending review", "approved", "rejected", "withdrawn", "All"]

    assert list(rows_of(client.get(queue_url() + "?status=approved"))) == [queue["seed"].id]
    assert set(rows_of(client.get(queue_url() + "?status=all"))) == {
        queue["seed"].id,
        queue["failing"].id,
        queue["passing"].id,
        queue["other"].id,
    }
    assert rows_of(client.get(queue_url() + "?status=rejected")) == {}
    assert rows_of(client.get(queue_url() + "?status=nonsense")) == {}
    facets = dom(client.get(queue_url() + "?_facets=True")).one("details", data_filter_title="status")
    assert "pending review (3)" in [a.text() for a in facets.select("a")]


def test_the_verdict_filter(queue, reviewer):
    client = client_for(reviewer)
    assert list(rows_of(client.get(queue_url() + "?check_status__exact=failed"))) == [queue["failing"].id]
    assert set(rows_of(client.get(queue_url() + "?check_status__exact=passed"))) >= {queue["passing"].id}
    assert queue["failing"].id not in rows_of(client.get(queue_url() + "?check_status__exact=passed"))
    verdict_filter = dom(client.get(queue_url())).one("details", data_filter_title="check verdict")
    labels = [a.text() for a in verdict_filter.select("a")]
    assert labels == ["All", "checks pending", "passed", "warnings", "errors", "error in a rule"]


def test_the_article_filter_and_search(queue, reviewer):
    client = client_for(reviewer)
    article_filter = dom(client.get(queue_url())).one("details", data_filter_title="article")
    assert [a.text() for a in article_filter.select("a")] == ["All", "2017 Ayorou attack", "Tongo Tongo ambush"]

    seed_stream = queue["seed"].stream
    assert list(rows_of(client.get(queue_url(), {"article": str(seed_stream)}))) == [
        queue["failing"].id,
        queue["passing"].id,
    ]
    assert list(rows_of(client.get(queue_url(), {"article": str(queue["other"].stream)}))) == [queue["other"].id]
    assert rows_of(client.get(queue_url(), {"article": "not-a-uuid"})) == {}
    assert list(rows_of(client.get(queue_url(), {"q": "tongo"}))) == [queue["other"].id]


def test_the_queue_is_read_only(queue, editor):
    client = client_for(editor)
    response = client.get(queue_url())
    assert response.status_code == 200  # editors look too
    tree = dom(response)
    assert not tree.select("select", name="action")  # no bulk actions (no delete)
    assert not [a for a in tree.select("a") if a.attrs.get("href") == reverse("admin:editorial_revision_add")]

    revision_id = queue["failing"].id
    assert client.get(reverse("admin:editorial_revision_add")).status_code == 403
    assert client.post(reverse("admin:editorial_revision_delete", args=[revision_id])).status_code == 403
    change = client.post(reverse("admin:editorial_revision_change", args=[revision_id]), {"status": "approved"})
    assert change.status_code == 302 and change["Location"] == review_url(revision_id)
    assert Revision.objects.get(id=revision_id).status == "pending"


def test_who_may_see_the_queue(queue, outsider, django_user_model):
    anonymous = Client().get(queue_url())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("admin:login"))
    non_staff = client_for(outsider).get(queue_url())
    assert non_staff.status_code == 302 and non_staff["Location"].startswith(reverse("admin:login"))

    staff = django_user_model.objects.create_user("sam", password="pw", is_staff=True)
    client = client_for(staff)
    assert client.get(queue_url()).status_code == 403
    assert queue_url() not in client.get(reverse("admin:index")).content.decode()


def test_what_authors_wrote_is_escaped_in_the_queue(db, editor, reviewer):
    propose_checked(
        actor=editor,
        content=ArticleContent(
            title=f"Payload {SCRIPT} {ATTRIBUTE}", lead=PAYLOADS, infobox=(InfoboxEntry("Place", JAVASCRIPT),)
        ),
        summary=f"Summary {PAYLOADS}",
    )
    response = client_for(reviewer).get(queue_url() + "?status=all")
    assert_inert(response.content.decode(), static_prefix="/static/admin/")
    (row,) = rows_of(response).values()
    assert row["article"].text() == f"Payload {SCRIPT} {ATTRIBUTE}"
    assert row["short_summary"].text().startswith("Summary <script>alert(1)</script>")
    article_filter = dom(response).one("details", data_filter_title="article")
    assert f"Payload {SCRIPT} {ATTRIBUTE}" in [a.text() for a in article_filter.select("a")]


def test_the_queue_costs_the_same_queries_at_5_and_at_150_open_revisions(
    published_seed, seed_content, editor, editor2, reviewer
):
    def grow(until: int) -> None:
        for number in range(Revision.objects.count(), until):
            author = editor if number % 2 else editor2
            revision_propose(
                actor=author, content=with_infobox(seed_content, "Result", f"Result {number}"), summary=f"edit {number}"
            )

    def measure() -> int:
        client = client_for(reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(queue_url()).status_code == 200
        return len(captured.captured_queries)

    grow(5)
    at_5 = measure()
    grow(150)
    at_150 = measure()
    assert at_150 == at_5
    assert at_5 <= 12
