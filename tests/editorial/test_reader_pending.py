"""The reader pages for people who edit: the pending-review notice, the Edit tab, status words that link."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from encyclopedia.models import Article

from tests.support.factories import client_for, propose_checked, with_infobox, with_lead
from tests.support.html import dom, html_of
from tests.support.urls import SEED_URL, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(published_seed, seed_content, editor2):
    return propose_checked(actor=editor2, content=with_lead(seed_content, "A pending lead."), summary="pending")


def first(node, tag=None, **attrs):
    found = node.select(tag, **attrs)
    return found[0] if found else None


def edit_url() -> str:
    return reverse("admin:encyclopedia_article_change", args=[Article.objects.get().pk])


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_article_says_a_revision_is_pending_and_links_to_its_review(client, pending, who, request):
    client.force_login(request.getfixturevalue(who))
    page = dom(html_of(client.get(SEED_URL)))
    notice = page.one(class_="pending-notice")
    assert f"Revision {pending.id} by emil is pending review" in notice.text()
    link = notice.one("a")
    assert link.attrs["href"] == review_url(pending.id)
    assert link.text() == f"Revision {pending.id} by emil is pending review"
    # Signed in, the review page opens on that link (editors and reviewers may read it).
    assert client.get(link.attrs["href"]).status_code == 200


def test_readers_are_not_told_of_pending_revisions(client, pending, outsider):
    assert "pending-notice" not in html_of(client.get(SEED_URL))
    client.force_login(outsider)
    html = html_of(client.get(SEED_URL))
    assert "pending-notice" not in html and "pending review" not in html


def test_no_notice_when_nothing_is_pending(published_seed, editor):
    assert "pending-notice" not in html_of(client_for(editor).get(SEED_URL))


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_those_who_may_propose_get_an_edit_tab_to_the_change_form(client, published_seed, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in (SEED_URL, f"{SEED_URL}history/", f"{SEED_URL}provenance/"):
        tab = first(dom(html_of(client.get(url))).one("nav", class_="tabs"), "a", class_="edit-tab")
        assert tab is not None, url
        assert tab.attrs["href"] == edit_url()
        assert tab.text() == "Edit"


def test_readers_get_no_edit_tab(client, published_seed, outsider):
    assert "edit-tab" not in html_of(client.get(SEED_URL))
    client.force_login(outsider)
    assert "edit-tab" not in html_of(client.get(SEED_URL))


def test_pending_review_in_the_history_and_on_the_revision_is_a_link(client, pending, editor):
    client.force_login(editor)
    history = dom(html_of(client.get(f"{SEED_URL}history/")))
    status = first(history, "a", class_="status-pending")
    assert status is not None and status.text() == "pending review"
    assert status.attrs["href"] == review_url(pending.id)

    revision = dom(html_of(client.get(f"{SEED_URL}revisions/{pending.id}/")))
    status = first(revision, "a", class_="status-pending")
    assert status is not None and status.attrs["href"] == review_url(pending.id)
    # Nowhere does "pending review" stand in link colour without being a link.
    assert first(revision, "span", class_="status-pending") is None
    assert first(history, "span", class_="status-pending") is None


def article_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(SEED_URL).status_code == 200
    return len(captured.captured_queries)


def test_the_article_costs_the_same_queries_with_one_or_many_pending(
    published_seed, seed_content, editor, editor2, reviewer
):
    editor_client = client_for(editor)
    propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "one"), summary="one")
    one = article_queries(editor_client)
    reader_one = article_queries(Client())
    for number in range(5):
        propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", f"n{number}"), summary="n")
    html = html_of(editor_client.get(SEED_URL))
    assert html.count("is pending review</a>") == 6
    assert article_queries(editor_client) == one
    assert article_queries(Client()) == reader_one == 5  # readers pay nothing for the notice


@pytest.fixture
def editor_without_admin(django_user_model):
    """An editor who is not staff: the admin would send them to its login page."""
    from tests.support.factories import add_to_group

    user = django_user_model.objects.create_user(username="nadia", password="pw", is_staff=False)
    return add_to_group(user, "Editors")


def test_an_editor_without_the_admin_is_led_to_the_public_revision_page(pending, editor_without_admin):
    client = client_for(editor_without_admin)
    revision_url = f"{SEED_URL}revisions/{pending.id}/"
    notice = dom(html_of(client.get(SEED_URL))).one(class_="pending-notice")
    assert notice.one("a").attrs["href"] == revision_url
    assert client.get(revision_url).status_code == 200  # editors read unapproved revisions on the public site
    status = first(dom(html_of(client.get(f"{SEED_URL}history/"))), "a", class_="status-pending")
    assert status.attrs["href"] == revision_url
    # On the revision itself the status is plain bold text, not link-coloured, and there is no dead Edit tab.
    page = dom(html_of(client.get(revision_url)))
    assert first(page, "a", class_="status-pending") is None and first(page, "span", class_="status-pending") is None
    assert page.one("strong", class_="status-word").text() == "pending review"
    assert "edit-tab" not in html_of(client.get(SEED_URL))
