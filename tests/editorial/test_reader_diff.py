"""The public diff: the older revision on the left, previous and next edits, the new revision's preview."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.factories import client_for, propose_checked, publish, with_infobox, with_lead
from tests.support.html import dom, html_of
from tests.support.urls import SEED_URL

pytestmark = pytest.mark.django_db


def diff_url(old: int, new: int) -> str:
    return f"{SEED_URL}diff/{old}/{new}/"


@pytest.fixture
def edits(published_seed, seed_content, editor, reviewer):
    """The seed and three approved edits of the Result, oldest first."""
    revisions = [published_seed]
    for number in range(3):
        content = with_infobox(seed_content, "Result", f"ISGS victory ({number})")
        revisions.append(publish(content, author=editor, reviewer=reviewer, summary=f"edit {number}"))
    return [revision.id for revision in revisions]


def test_the_older_revision_is_on_the_left_whichever_order_the_address_gives(client, edits):
    swapped = client.get(diff_url(edits[3], edits[0]))
    assert swapped.status_code == 200
    page = dom(html_of(swapped))
    assert f"/revisions/{edits[0]}/" in page.one("th", class_="diff-old-head").html()
    assert f"/revisions/{edits[3]}/" in page.one("th", class_="diff-new-head").html()
    canonical = html_of(client.get(diff_url(edits[0], edits[3])))
    assert html_of(swapped).partition("<main")[2] == canonical.partition("<main")[2]


def test_the_compare_form_puts_the_older_on_the_left_too(client, edits):
    response = client.get(f"{SEED_URL}diff/", {"old": edits[2], "new": edits[1]})
    assert response.status_code == 302
    assert response["Location"] == diff_url(edits[1], edits[2])


def nav_links(html: str) -> dict[str, str]:
    navs = dom(html).select("nav", class_="diff-nav")
    if not navs:
        return {}
    return {link.attrs["rel"]: link.attrs["href"] for link in navs[0].select("a")}


def test_consecutive_edits_link_to_the_previous_and_next_edit(client, edits):
    assert nav_links(html_of(client.get(diff_url(edits[1], edits[2])))) == {
        "prev": diff_url(edits[0], edits[1]),
        "next": diff_url(edits[2], edits[3]),
    }
    # The first edit has no earlier one, the last no later one.
    first = html_of(client.get(diff_url(edits[0], edits[1])))
    assert nav_links(first) == {"next": diff_url(edits[1], edits[2])}
    assert "No earlier edit" in first
    last = html_of(client.get(diff_url(edits[2], edits[3])))
    assert nav_links(last) == {"prev": diff_url(edits[1], edits[2])}
    assert "No later edit" in last


def test_the_next_edit_skips_what_readers_never_saw(client, edits, seed_content, editor, editor2, reviewer):
    propose_checked(actor=editor2, content=with_lead(seed_content, "Never approved."), summary="pending")
    after = publish(with_infobox(seed_content, "Result", "later"), author=editor, reviewer=reviewer)
    links = nav_links(html_of(client_for(editor).get(diff_url(edits[2], edits[3]))))
    assert links["next"] == diff_url(edits[3], after.id)


def test_a_diff_with_a_pending_revision_has_no_edit_navigation(edits, seed_content, editor):
    pending = propose_checked(actor=editor, content=with_lead(seed_content, "Pending."), summary="pending")
    html = html_of(client_for(editor).get(diff_url(edits[3], pending.id)))
    assert nav_links(html) == {}


def test_the_new_revision_is_shown_rendered_under_the_diff(client, published_seed, seed_content, editor, reviewer):
    edited = publish(with_lead(seed_content, "A <b>new</b> lead."), author=editor, reviewer=reviewer)
    html = html_of(client.get(diff_url(published_seed.id, edited.id)))
    preview = dom(html).one("section", class_="diff-preview")
    assert f"Revision {edited.id} as it reads" in preview.text()
    # The article body's own template: infobox, lead, sections, "See also" marked.
    assert preview.one("table", class_="infobox")
    assert "<p>A &lt;b&gt;new&lt;/b&gt; lead.</p>" in html
    assert [heading.text() for heading in preview.select("h2")][1:] == ["Background", "Attack", "Aftermath", "See also"]
    assert preview.select("span", class_="missing-page")
    assert not preview.select("a", class_="provenance-link")  # provenance is the published article's
    # The preview is under the diff, not before it.
    assert html.index('class="diff diff-header"') < html.index('class="diff-preview"')


def diff_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_diff_costs_the_same_queries_however_long_the_history(client, edits, seed_content, editor, reviewer):
    short = diff_queries(client, diff_url(edits[1], edits[2]))
    for number in range(20):
        publish(with_infobox(seed_content, "Result", f"more ({number})"), author=editor, reviewer=reviewer)
    assert diff_queries(client, diff_url(edits[1], edits[2])) == short
    # Article, both revisions, their contents, the neighbouring edits, the preview's "See also" links.
    assert short == 5
