"""The history, revision and diff pages, restoring a revision, and their query counts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from editorial.services import revision_propose, revision_reject, revision_withdraw
from editorial.models import Revision
from encyclopedia.content import SectionContent

from tests.support.factories import (
    propose_checked, publish, publish_ministry_update, tongo_tongo, with_infobox, with_lead
)
from tests.support.html import html_of
from tests.support.urls import SEED_URL

pytestmark = pytest.mark.django_db

HISTORY_URL = f"{SEED_URL}history/"


def revision_links(html: str) -> list[int]:
    """The revisions the history page lists, in order."""
    return [int(number) for number in re.findall(r'<td><a href="/articles/[^/]+/revisions/(\d+)/">', html)]


@pytest.fixture
def assorted(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    """Published seed, one approved edit, and one pending, one rejected and one withdrawn proposal."""
    approved = publish(
        with_infobox(seed_content, "Result", "ISGS victory (decisive)"),
        author=editor2,
        reviewer=reviewer2,
        summary="Result: decisive",
    )
    base = with_infobox(seed_content, "Result", "ISGS victory (decisive)")
    pending = propose_checked(actor=editor, content=with_lead(base, "Pending lead."), summary="pending edit")
    rejected = propose_checked(actor=editor2, content=with_lead(base, "Rejected lead."), summary="rejected edit")
    revision_reject(actor=reviewer, revision_id=rejected.id, reason="unsourced")
    withdrawn = propose_checked(actor=editor, content=with_lead(base, "Withdrawn lead."), summary="withdrawn edit")
    revision_withdraw(actor=editor, revision_id=withdrawn.id)
    return {
        "seed": published_seed,
        "approved": approved,
        "pending": pending,
        "rejected": rejected,
        "withdrawn": withdrawn,
    }


# --- The history page -------------------------------------------------------------


def test_readers_see_only_approved_revisions_newest_first(client, assorted):
    html = html_of(client.get(HISTORY_URL))
    assert revision_links(html) == [assorted["approved"].id, assorted["seed"].id]
    assert "approved by ravi" in html and "approved by rosa" in html
    assert "<td>emil</td>" in html and "<td>eda</td>" in html
    assert "Result: decisive" in html and "Import of the seed" in html
    for hidden in ("pending edit", "rejected edit", "withdrawn edit"):
        assert hidden not in html


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_editors_and_reviewers_see_every_revision(client, assorted, who, request):
    client.force_login(request.getfixturevalue(who))
    html = html_of(client.get(HISTORY_URL))
    ids = [assorted[name].id for name in ("withdrawn", "rejected", "pending", "approved", "seed")]
    assert revision_links(html) == ids
    assert "pending review" in html and "rejected" in html and "withdrawn" in html


def test_a_signed_in_reader_without_a_role_sees_what_readers_see(client, assorted, outsider):
    client.force_login(outsider)
    assert revision_links(html_of(client.get(HISTORY_URL))) == [assorted["approved"].id, assorted["seed"].id]


def test_history_rows_show_the_size_change_and_the_check_verdict(client, assorted, seed_bytes):
    html = html_of(client.get(HISTORY_URL))
    rows = html.split('<tr class="status-')[1:]
    approved_row, seed_row = rows
    assert "+11" in approved_row  # " (decisive)"
    assert f"+{len(seed_bytes.decode())}" in seed_row  # a first revision counts all its text
    approved = Revision.objects.get(id=assorted["approved"].id)
    assert f'class="checks check-{approved.check_status}">{approved.get_check_status_display()}<' in approved_row


def test_history_has_the_compare_form(client, assorted):
    html = html_of(client.get(HISTORY_URL))
    assert f'<form method="get" action="{SEED_URL}diff/">' in html
    assert f'name="old" value="{assorted["seed"].id}"' in html
    assert f'name="new" value="{assorted["approved"].id}"' in html
    assert "Compare selected revisions" in html


def test_the_compare_form_leads_to_the_diff_address(client, assorted):
    seed, approved = assorted["seed"].id, assorted["approved"].id
    response = client.get(f"{SEED_URL}diff/", {"old": seed, "new": approved})
    assert response.status_code == 302
    assert response["Location"] == f"{SEED_URL}diff/{seed}/{approved}/"
    assert client.get(f"{SEED_URL}diff/", {"old": seed}).status_code == 400


def test_history_is_paginated_by_keyset(client, published_seed, seed_content, editor, reviewer):
    for number in range(55):
        publish(with_infobox(seed_content, "Result", f"ISGS victory ({number})"), author=editor, reviewer=reviewer)
    all_ids = list(Revision.objects.order_by("-id").values_list("id", flat=True))
    assert len(all_ids) == 56

    with CaptureQueriesContext(connection) as first_queries:
        first = html_of(client.get(HISTORY_URL))
    assert revision_links(first) == all_ids[:50]
    assert f'href="{HISTORY_URL}?before={all_ids[49]}">Older revisions</a>' in first

    with CaptureQueriesContext(connection) as second_queries:
        second = html_of(client.get(HISTORY_URL, {"before": all_ids[49]}))
    assert revision_links(second) == all_ids[50:]
    assert "Older revisions" not in second
    assert f'href="{HISTORY_URL}">Newest</a>' in second
    for query in [*first_queries.captured_queries, *second_queries.captured_queries]:
        assert "OFFSET" not in query["sql"].upper()


@pytest.mark.parametrize("before", ["x", "-3", "0", "²", "9" * 30])
def test_history_with_a_bad_cursor_is_a_bad_request(client, published_seed, before):
    assert client.get(HISTORY_URL, {"before": before}).status_code == 400


def test_revision_numbers_beyond_the_id_range_name_nothing(client, published_seed):
    huge = "9" * 30
    assert client.get(f"{SEED_URL}revisions/{huge}/").status_code == 404
    assert client.get(f"{SEED_URL}diff/{published_seed.id}/{huge}/").status_code == 404


def test_history_of_an_unknown_article_is_not_found(client, db):
    assert client.get("/articles/nothing/history/").status_code == 404


# --- The revision page -----------------------------------------------------------


def test_an_old_revision_is_shown_as_it_was_with_a_banner(client, published_seed, seed_content, editor, reviewer):
    current = publish(with_lead(seed_content, "A rewritten lead."), author=editor, reviewer=reviewer)
    seed = published_seed.id
    html = html_of(client.get(f"{SEED_URL}revisions/{seed}/"))
    assert "<strong>Revision " + str(seed) + "</strong>" in html
    assert "proposed by eda" in html
    assert "approved" in html and "by rosa" in html
    assert "The 2017 Ayorou attack occurred on 21 October 2017" in html
    assert "A rewritten lead." not in html
    assert f'<a href="{SEED_URL}">Current version</a>' in html
    assert f'href="{SEED_URL}diff/{seed}/{current.id}/"' in html
    assert '<table class="infobox">' in html  # laid out like the article


def test_the_current_revision_says_so(client, published_seed):
    html = html_of(client.get(f"{SEED_URL}revisions/{published_seed.id}/"))
    assert "This is the current version." in html


def test_a_revision_of_another_article_is_not_found_here(client, published_seed, editor, reviewer):
    other = publish(tongo_tongo(), author=editor, reviewer=reviewer, override_reason="A stub; its infobox comes next.")
    assert client.get(f"{SEED_URL}revisions/{other.id}/").status_code == 404
    assert client.get(f"{SEED_URL}diff/{published_seed.id}/{other.id}/").status_code == 404


def test_editors_can_read_a_new_article_that_is_not_published_yet(client, editor, outsider):
    draft = propose_checked(actor=editor, content=tongo_tongo(), summary="new article")
    url = f"/articles/tongo-tongo-ambush/revisions/{draft.id}/"
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    html = html_of(client.get(url))
    assert "Tongo Tongo is a village in Niger." in html
    assert "has not been published yet" in html


# --- The diff page -------------------------------------------------------------------


def test_the_diff_highlights_the_changed_words(client, published_seed, seed_content, editor, reviewer):
    edited = publish_ministry_update(seed_content, author=editor, reviewer=reviewer)
    response = client.get(f"{SEED_URL}diff/{published_seed.id}/{edited.id}/")
    assert response.status_code == 200
    # The diff itself, without the preview of the new revision under it (which shows every field).
    html = html_of(response).partition('<section class="diff-preview"')[0]
    # The key's label is the diff templates' own (helper D's "Casualties 1", or the raw key before it).
    assert re.search(r'<th scope="row">Casualties ?1</th>\s*<td class="diff-old">', html)
    assert '<del class="diff-del">13</del> killed, 5 injured' in html
    assert '<ins class="diff-ins">14</ins> killed, 5 injured' in html
    assert '<th scope="row">Place</th>' not in html  # unchanged fields are left out
    assert "Ministry update" in html


def test_the_diff_shows_title_and_paragraph_changes_side_by_side(
    client, published_seed, seed_content, editor, reviewer
):
    import dataclasses

    attack, aftermath = seed_content.sections[1], seed_content.sections[2]
    first_aftermath, second_aftermath = aftermath.body.split("\n\n")
    moved = dataclasses.replace(
        seed_content,
        title="Ayorou attack of 2017",
        sections=(
            seed_content.sections[0],
            SectionContent(attack.heading, attack.body + "\n\n" + second_aftermath),
            SectionContent(aftermath.heading, first_aftermath),
            seed_content.sections[3],
        ),
    )
    edited = publish(moved, author=editor, reviewer=reviewer, stream=published_seed.stream)
    html = html_of(client.get(f"/articles/ayorou-attack-of-2017/diff/{published_seed.id}/{edited.id}/"))
    assert "<h2>Title</h2>" in html
    assert '<del class="diff-del">2017 </del>Ayorou attack' in html
    assert 'Ayorou attack<ins class="diff-ins"> of 2017</ins>' in html
    assert "moved from “Aftermath”" in html
    assert "moved to “Attack”" in html
    assert 'class="para-moved"' in html


def test_the_diff_of_identical_revisions_says_so(client, published_seed):
    html = html_of(client.get(f"{SEED_URL}diff/{published_seed.id}/{published_seed.id}/"))
    assert "The two revisions have the same content." in html


def test_a_diff_with_a_pending_revision_is_for_editors_only(client, published_seed, seed_content, editor):
    pending = propose_checked(actor=editor, content=with_lead(seed_content, "Pending lead."), summary="pending")
    url = f"{SEED_URL}diff/{published_seed.id}/{pending.id}/"
    assert client.get(url).status_code == 404
    client.force_login(editor)
    html = html_of(client.get(url))
    assert "Pending lead." in html


# --- Restoring a revision --------------------------------------------------------------


@pytest.fixture
def old_and_current(published_seed, seed_content, editor, reviewer):
    current = publish(with_lead(seed_content, "A rewritten lead."), author=editor, reviewer=reviewer)
    return published_seed, current


def restore_url(revision_id: int) -> str:
    return f"{SEED_URL}revisions/{revision_id}/restore/"


def test_the_restore_button_is_shown_only_to_those_who_can_propose(client, old_and_current, editor, outsider):
    seed, _current = old_and_current
    page = f"{SEED_URL}revisions/{seed.id}/"
    assert "Restore this version" not in html_of(client.get(page))
    client.force_login(outsider)
    assert "Restore this version" not in html_of(client.get(page))
    client.force_login(editor)
    html = html_of(client.get(page))
    assert "Restore this version" in html
    assert f'action="{restore_url(seed.id)}"' in html
    assert "csrfmiddlewaretoken" in html


def test_restoring_proposes_a_pending_revision_and_says_so(client, old_and_current, editor2):
    seed, current = old_and_current
    client.force_login(editor2)
    response = client.post(restore_url(seed.id), {"summary": "Back to the seed"}, follow=True)
    restored = Revision.objects.order_by("-id").first()
    assert (restored.status, restored.reverts_revision_id, restored.author) == ("pending", seed.id, editor2)
    assert restored.summary == "Back to the seed"
    assert restored.content_hash == Revision.objects.get(id=seed.id).content_hash
    assert response.redirect_chain[-1][0] == f"{SEED_URL}revisions/{restored.id}/"
    assert (
        f"Revision {restored.id} proposed; checks are running and a reviewer must approve it" in html_of(response)
    )
    # Nothing changes for readers until a reviewer approves it.
    assert Revision.objects.get(id=current.id).status == "approved"
    assert "A rewritten lead." in html_of(client.get(SEED_URL))


def test_restoring_shows_the_editorial_refusal(client, published_seed, editor):
    client.force_login(editor)
    before = Revision.objects.count()
    response = client.post(restore_url(published_seed.id), follow=True)
    assert "Nothing to propose" in html_of(response)
    assert Revision.objects.count() == before


def test_restoring_needs_a_signed_in_editor(client, old_and_current, outsider):
    seed, _current = old_and_current
    before = Revision.objects.count()
    response = client.post(restore_url(seed.id))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(outsider)
    assert client.post(restore_url(seed.id)).status_code == 403
    assert client.get(restore_url(seed.id)).status_code == 405
    assert Revision.objects.count() == before


def test_restoring_needs_the_csrf_token(old_and_current, editor):
    seed, _current = old_and_current
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    before = Revision.objects.count()
    assert client.post(restore_url(seed.id)).status_code == 403
    assert Revision.objects.count() == before

    page = html_of(client.get(f"{SEED_URL}revisions/{seed.id}/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(restore_url(seed.id), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Revision.objects.count() == before + 1


# --- Query counts ----------------------------------------------------------------------


def grow_history(seed_content, editor, reviewer, until: int) -> None:
    """Propose until the article has `until` revisions: the first ten and every tenth approved.

    The others stay pending without running their checks (only approval
    needs them), which keeps building a thousand revisions quick.
    """
    existing = Revision.objects.count()
    for number in range(existing, until):
        content = with_infobox(seed_content, "Result", f"ISGS victory ({number})")
        if number < 10 or number % 10 == 0:
            publish(content, author=editor, reviewer=reviewer, summary=f"edit {number}")
        else:
            revision_propose(actor=editor, content=content, summary=f"pending {number}")


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def measure(seed_content, reviewer_client) -> dict[str, int]:
    reader = Client()
    latest = Revision.objects.filter(status="approved").order_by("-id")[0]
    older = Revision.objects.filter(status="approved").order_by("-id")[3]
    return {
        "article (reader)": page_queries(reader, SEED_URL),
        "history (reader)": page_queries(reader, HISTORY_URL),
        "history page 2 (reader)": page_queries(reader, f"{HISTORY_URL}?before={older.id}"),
        "history (reviewer)": page_queries(reviewer_client, HISTORY_URL),
        "revision (reader)": page_queries(reader, f"{SEED_URL}revisions/{older.id}/"),
        "diff (reader)": page_queries(reader, f"{SEED_URL}diff/{older.id}/{latest.id}/"),
        "as of (reader)": page_queries(reader, f"{SEED_URL}?as_of=2999-01-01"),
        "provenance (reader)": page_queries(reader, f"{SEED_URL}provenance/"),
    }


def test_pages_cost_the_same_queries_at_10_and_at_1000_revisions(
    published_seed, seed_content, editor, reviewer, reviewer2
):
    reviewer_client = Client()
    reviewer_client.force_login(reviewer2)

    grow_history(seed_content, editor, reviewer, until=10)
    at_10 = measure(seed_content, reviewer_client)
    grow_history(seed_content, editor, reviewer, until=1000)
    assert Revision.objects.count() == 1000
    at_1000 = measure(seed_content, reviewer_client)

    assert Revision.objects.filter(status="approved").count() > 100  # the readers' history fills pages too
    assert at_1000 == at_10
    assert at_10["article (reader)"] == 5  # article, infobox, sections, its revision, "See also" links
    assert at_10["history (reader)"] == 3  # article, a page of revisions, their contents
