"""The review page: the diff against the base, each finding next to what it concerns,
and the decision through the commands (which refuse whatever the page shows)."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.services import revision_approve, revision_propose
from encyclopedia.diff import diff_articles
from editorial.models import Event, Revision
from editorial.admin.review_layout import review_layout
from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent
from encyclopedia.models import Article

from tests.support.factories import client_for, propose_checked, with_infobox
from tests.support.html import assert_inert, dom, messages_on
from tests.support.payloads import ATTRIBUTE, JAVASCRIPT, PAYLOADS, SCRIPT
from tests.support.urls import queue_url, review_url

CASUALTIES_BEFORE = "13 killed, 5 injured, 3 vehicles captured"
CASUALTIES_AFTER = "14 killed, 5 injured, 3 vehicles captured"

# --- Fixtures ------------------------------------------------------------------------


@pytest.fixture
def casualties_edit(published_seed, seed_content, editor):
    """Casualties1 13 -> 14 killed: the prose still says 13, so errors stand."""
    return propose_checked(
        actor=editor, content=with_infobox(seed_content, "Casualties1", CASUALTIES_AFTER), summary="One more killed"
    )


@pytest.fixture
def clean_edit(published_seed, seed_content, editor):
    """An edit whose checks pass."""
    return propose_checked(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="Wider context"
    )


def casualties1_published() -> str:
    return Article.objects.get().infobox_fields.get(key="Casualties1").value


pytestmark = pytest.mark.django_db


# --- The diff and the findings ----------------------------------------------------------


def test_the_changed_infobox_row_shows_the_words_that_changed_and_its_findings(casualties_edit, reviewer):
    response = client_for(reviewer).get(review_url(casualties_edit.id))
    assert response.status_code == 200
    tree = dom(response)

    row = tree.one("tr", data_key="Casualties1")
    assert '<del class="diff-del">13</del>' in row.one("td", class_="diff-old").html()
    assert '<ins class="diff-ins">14</ins>' in row.one("td", class_="diff-new").html()
    prose_findings = [
        finding
        for finding in tree.select("li", class_="finding", data_target="infobox:Casualties1")
        if finding.attrs["data-rule"] == "casualties.infobox_prose"
    ]
    assert len(prose_findings) == 2  # the lead and the Aftermath both say 13
    for finding in prose_findings:
        assert finding.within(row)
        assert finding.one("span", class_="severity").text() == "error"
        evidence = dict(zip((dt.text() for dt in finding.select("dt")), (dd.text() for dd in finding.select("dd"))))
        assert evidence["infobox"] == "14 killed"
        assert evidence["field"] == "Casualties1"
    # Plain sentences, no rule id or evidence key in them; each quote marks the figure it disagrees with.
    assert {finding.one(class_="finding-message").text() for finding in prose_findings} == {
        "The infobox gives 14 killed for the security forces; the lead says 13 gendarmes were killed.",
        "The infobox gives 14 killed for the security forces; "
        "the Aftermath section says Thirteen gendarmes were killed.",
    }
    assert {finding.one("mark").text() for finding in prose_findings} == {"13", "Thirteen"}
    # Rows and prose that did not change are not shown.
    assert not tree.select("tr", data_key="Place")
    assert not tree.select("section", data_target="section:Background")
    assert tree.one(class_="verdict").text() == "errors"
    assert tree.one(class_="verdict").attrs["data-status"] == "failed"


def test_while_errors_stand_only_approve_with_override_and_reject_are_offered(casualties_edit, reviewer):
    tree = dom(client_for(reviewer).get(review_url(casualties_edit.id)))
    assert not tree.select(id="approve")
    override = tree.one("button", id="approve-override")
    override_form = override.parent
    assert override_form.one("textarea", name="override_reason").attrs.keys() >= {"required"}
    assert override_form.select("input", name="csrfmiddlewaretoken")
    reject_form = tree.one("button", id="reject").parent
    assert reject_form.one("textarea", name="reason").attrs.keys() >= {"required"}


def test_a_clean_revision_offers_approve_and_reject_but_no_override(clean_edit, reviewer):
    tree = dom(client_for(reviewer).get(review_url(clean_edit.id)))
    assert tree.one("button", id="approve")
    assert tree.one("button", id="reject")
    assert not tree.select(id="approve-override")
    assert tree.one(class_="verdict").text() == "passed"


def test_approve_without_override_is_refused_with_the_checks_message_and_nothing_is_published(
    casualties_edit, reviewer
):
    response = client_for(reviewer).post(review_url(casualties_edit.id), {"action": "approve"})

    assert response.status_code == 409
    (message,) = messages_on(dom(response))
    assert f"Revision {casualties_edit.id} has 2 error(s) standing" in message
    assert "approve it with an override reason" in message
    assert Revision.objects.get(id=casualties_edit.id).status == "pending"
    assert casualties1_published() == CASUALTIES_BEFORE


def test_an_override_needs_a_reason(casualties_edit, reviewer):
    response = client_for(reviewer).post(
        review_url(casualties_edit.id), {"action": "approve-override", "override_reason": "   "}
    )
    assert response.status_code == 400
    assert "needs a reason" in messages_on(dom(response))[0]
    assert Revision.objects.get(id=casualties_edit.id).status == "pending"
    assert casualties1_published() == CASUALTIES_BEFORE


def test_approving_with_an_override_publishes_and_the_page_shows_who_when_and_why(
    casualties_edit, reviewer
):
    client = client_for(reviewer)
    reason = "The ministry's later count is 14; the prose is fixed in the next edit."
    response = client.post(review_url(casualties_edit.id), {"action": "approve-override", "override_reason": reason})

    assert response.status_code == 302
    assert response["Location"] == queue_url()
    assert casualties1_published() == CASUALTIES_AFTER
    row = Revision.objects.get(id=casualties_edit.id)
    assert (row.status, row.decided_by, row.override_reason) == ("approved", reviewer, reason)
    queue = dom(client.get(response["Location"]))
    assert f"Revision {casualties_edit.id} approved and published." in messages_on(queue)

    page = dom(client.get(review_url(casualties_edit.id)))
    decision = page.one("section", id="decision")
    assert decision.one(id="override-reason").text() == f"Approved despite errors: {reason}"
    assert decision.one(class_="decided-by").text() == reviewer.username
    assert decision.select("time")
    # The findings at the time, still next to the row; no buttons any more.
    row_node = page.one("tr", data_key="Casualties1")
    assert any(f.within(row_node) for f in page.select("li", class_="finding", data_target="infobox:Casualties1"))
    assert page.one(class_="verdict").text() == "errors"
    assert not page.select(id="approve") and not page.select(id="approve-override") and not page.select(id="reject")


def test_a_clean_revision_is_approved_with_the_plain_button(clean_edit, reviewer):
    client = client_for(reviewer)
    response = client.post(review_url(clean_edit.id), {"action": "approve"}, follow=True)
    assert f"Revision {clean_edit.id} approved and published." in messages_on(dom(response))
    assert Article.objects.get().current_revision_id == clean_edit.id


def test_rejecting_needs_a_reason_and_the_page_shows_it_after(casualties_edit, reviewer):
    client = client_for(reviewer)
    refused = client.post(review_url(casualties_edit.id), {"action": "reject", "reason": " "})
    assert refused.status_code == 400
    assert "A rejection needs a reason" in messages_on(dom(refused))[0]
    assert Revision.objects.get(id=casualties_edit.id).status == "pending"

    response = client.post(review_url(casualties_edit.id), {"action": "reject", "reason": "The prose says 13."})
    assert response.status_code == 302
    assert f"Revision {casualties_edit.id} rejected." in messages_on(dom(client.get(queue_url())))
    row = Revision.objects.get(id=casualties_edit.id)
    assert (row.status, row.decision_reason, row.decided_by) == ("rejected", "The prose says 13.", reviewer)
    page = dom(client.get(review_url(casualties_edit.id)))
    assert page.one(id="decision-reason").text() == "Reason: The prose says 13."
    assert "Rejected" in page.one("section", id="decision").text()
    assert casualties1_published() == CASUALTIES_BEFORE


def test_the_author_cannot_approve_their_own_revision_even_by_posting(published_seed, seed_content, reviewer):
    own = propose_checked(
        actor=reviewer, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="mine"
    )
    client = client_for(reviewer)
    page = dom(client.get(review_url(own.id)))
    assert not page.select(id="approve") and not page.select(id="reject")
    assert "four-eyes" in page.one(class_="action-note").text()

    for data in ({"action": "approve"}, {"action": "reject", "reason": "mine"}):
        response = client.post(review_url(own.id), data)
        assert response.status_code == 403
        assert "four-eyes" in messages_on(dom(response))[0]
    assert Revision.objects.get(id=own.id).status == "pending"
    assert Article.objects.get().current_revision_id == published_seed.id


def test_an_editor_sees_no_buttons_and_is_refused_when_posting(clean_edit, editor2, published_seed):
    client = client_for(editor2)
    page = dom(client.get(review_url(clean_edit.id)))
    assert not page.select(id="approve") and not page.select(id="reject")
    events_before = Event.objects.count()

    response = client.post(review_url(clean_edit.id), {"action": "approve"})

    assert response.status_code == 403
    assert "Only members of the Reviewers group" in messages_on(dom(response))[0]
    assert Event.objects.count() == events_before
    assert Revision.objects.get(id=clean_edit.id).status == "pending"
    assert Article.objects.get().current_revision_id == published_seed.id


def test_a_post_without_the_csrf_token_is_refused(clean_edit, reviewer, published_seed):
    client = client_for(reviewer, enforce_csrf_checks=True)
    response = client.post(review_url(clean_edit.id), {"action": "approve"})
    assert response.status_code == 403
    assert Revision.objects.get(id=clean_edit.id).status == "pending"

    # The page's own form carries the token.
    page = dom(client.get(review_url(clean_edit.id)))
    token = page.one("button", id="approve").parent.one("input", name="csrfmiddlewaretoken").attrs["value"]
    response = client.post(review_url(clean_edit.id), {"action": "approve", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Article.objects.get().current_revision_id == clean_edit.id


def test_who_may_see_the_page(clean_edit, editor, django_user_model):
    anonymous = Client().get(review_url(clean_edit.id))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))

    staff_without_role = django_user_model.objects.create_user("sam", password="pw", is_staff=True)
    assert client_for(staff_without_role).get(review_url(clean_edit.id)).status_code == 403
    assert client_for(staff_without_role).post(review_url(clean_edit.id), {"action": "approve"}).status_code == 403
    assert Revision.objects.get(id=clean_edit.id).status == "pending"

    # The Revision model's own view permission is not enough: the roles decide.
    staff_without_role.user_permissions.add(Permission.objects.get(codename="view_revision"))
    staff_without_role = django_user_model.objects.get(pk=staff_without_role.pk)
    assert client_for(staff_without_role).get(review_url(clean_edit.id)).status_code == 403

    assert client_for(editor).get(review_url(clean_edit.id)).status_code == 200
    assert client_for(editor).get(review_url(10**12)).status_code == 404
    assert client_for(editor).get(review_url(2**70)).status_code == 404


def test_a_non_staff_user_is_sent_to_the_admin_login(clean_edit, outsider):
    response = client_for(outsider).get(review_url(clean_edit.id))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_change_address_leads_to_the_review_page(clean_edit, reviewer):
    response = client_for(reviewer).get(reverse("admin:editorial_revision_change", args=[clean_edit.id]))
    assert response.status_code == 302
    assert response["Location"] == review_url(clean_edit.id)


def test_while_checks_run_the_page_says_so_and_offers_no_approval(published_seed, seed_content, editor, reviewer):
    # Proposed without running the checks: they have not reported yet.
    revision = revision_propose(
        actor=editor, content=with_infobox(seed_content, "Partof", "Insurgency in the Sahel"), summary="waiting"
    )
    tree = dom(client_for(reviewer).get(review_url(revision.id)))
    assert tree.one(class_="verdict").text() == "checks pending"
    assert "still running" in tree.one(id="checks-pending").text()
    assert not tree.select(id="approve") and not tree.select(id="approve-override")
    assert tree.one("button", id="reject")

    response = client_for(reviewer).post(review_url(revision.id), {"action": "approve"})
    assert response.status_code == 409
    assert "checks have not finished" in messages_on(dom(response))[0]


def test_a_revision_whose_base_is_no_longer_published_cannot_be_approved_from_the_page(
    published_seed, seed_content, editor, editor2, reviewer
):
    first = propose_checked(actor=editor, content=with_infobox(seed_content, "Partof", "Sahel"), summary="a")
    rival = propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "Draw"), summary="b")
    revision_approve(actor=reviewer, revision_id=first.id)

    client = client_for(reviewer)
    tree = dom(client.get(review_url(rival.id)))
    assert f"revision {first.id} is published now" in tree.one(id="stale-notice").text()
    assert not tree.select(id="approve") and tree.one("button", id="reject")
    response = client.post(review_url(rival.id), {"action": "approve"})
    assert response.status_code == 409
    assert f"revision {first.id} is published now" in messages_on(dom(response))[0]


def test_a_new_article_is_all_added(db, editor, reviewer):
    content = ArticleContent(
        title="Tongo Tongo ambush",
        lead="An ambush near Tongo Tongo.",
        infobox=(InfoboxEntry("Conflict", "Tongo Tongo ambush"), InfoboxEntry("Place", "Tongo Tongo, Niger")),
        sections=(SectionContent("Ambush", "Soldiers were ambushed."),),
    )
    revision = propose_checked(actor=editor, content=content, summary="New article")
    tree = dom(client_for(reviewer).get(review_url(revision.id)))
    assert "No earlier version" in tree.one("th", class_="diff-old-head").text()
    assert tree.one("tr", data_key="Conflict").attrs["class"] == "infobox-added"
    assert tree.one("tr", data_key="Place").attrs["class"] == "infobox-added"
    assert tree.one("section", data_target="title")
    ambush = tree.one("section", data_target="section:Ambush")
    assert [row.attrs["class"] for row in ambush.select("tr")] == ["para-added"]
    # Findings about missing fields (no Date, no Result) sit next to where they would be, or at the top.
    structure = [f for f in tree.select("li", class_="finding") if f.attrs["data-rule"] == "structure.infobox"]
    assert structure
    general = tree.one("section", class_="general-findings")
    assert all(f.within(general) for f in structure if f.attrs["data-target"] in {"infobox:Date", "infobox:Result"})


def test_a_moved_paragraph_is_labelled_moved(published_seed, seed_content, editor, reviewer):
    attack, aftermath = seed_content.section("Attack"), seed_content.section("Aftermath")
    moved_paragraph = aftermath.body.split("\n\n")[1]
    sections = []
    for section in seed_content.sections:
        if section.heading == "Aftermath":
            section = dataclasses.replace(section, body=aftermath.body.split("\n\n")[0])
        elif section.heading == "Attack":
            section = dataclasses.replace(section, body=attack.body + "\n\n" + moved_paragraph)
        sections.append(section)
    revision = propose_checked(
        actor=editor, content=dataclasses.replace(seed_content, sections=tuple(sections)), summary="Move"
    )
    tree = dom(client_for(reviewer).get(review_url(revision.id)))
    attack_place = tree.one("section", data_target="section:Attack")
    (moved,) = attack_place.select("tr", class_="para-moved")
    assert "moved from “Aftermath”" in moved.text()
    aftermath_place = tree.one("section", data_target="section:Aftermath")
    assert "moved to “Attack”" in aftermath_place.one("tr", class_="para-moved-away").text()


# --- Where findings go (no database) -------------------------------------------------


@pytest.mark.django_db(False)
def test_findings_are_placed_by_target_and_the_rest_go_to_the_general_list():
    old = ArticleContent(
        title="T",
        lead="Lead one.\n\nLead two.",
        infobox=(InfoboxEntry("Date", "2017"), InfoboxEntry("Place", "Ayorou")),
        sections=(SectionContent("Attack", "Same."), SectionContent("Aftermath", "Before.")),
    )
    new = dataclasses.replace(
        old,
        infobox=(InfoboxEntry("Date", "2018"), InfoboxEntry("Place", "Ayorou")),
        sections=(SectionContent("Attack", "Same."), SectionContent("Aftermath", "After.")),
    )

    def finding(target, severity="warning"):
        return {
            "rule_id": "r", "rule_version": 1, "severity": severity, "target": target, "message": target, "evidence": {}
        }

    layout = review_layout(
        diff_articles(old, new),
        [
            finding("infobox:Date"),
            finding("infobox:Place", "error"),  # unchanged row: shown for its finding
            finding("infobox:Casualties1"),  # in neither version
            finding("lead"),  # unchanged lead: shown whole, for its finding
            finding("section:Aftermath"),
            finding("section:Nowhere"),
            finding("title"),  # the title did not change
        ],
    )

    assert [(row.key, [f.target for f in row.findings]) for row in layout.infobox] == [
        ("Date", ["infobox:Date"]),
        ("Place", ["infobox:Place"]),
    ]
    places = {shown.place.target: shown for shown in layout.places}
    assert set(places) == {"lead", "section:Aftermath"}
    assert [row.status for row in places["lead"].place.rows] == ["unchanged", "unchanged"]
    assert [f.target for f in places["section:Aftermath"].findings] == ["section:Aftermath"]
    assert sorted(f.target for f in layout.general_findings) == ["infobox:Casualties1", "section:Nowhere", "title"]


def _quoting(target, quote, highlight, *, where, paragraph, severity="error", inherited=False, at=None):
    return {
        "rule_id": "r",
        "rule_version": 1,
        "severity": severity,
        "target": target,
        "message": f"About {highlight}.",
        "evidence": {
            "where": where,
            "paragraph": paragraph,
            "quote": quote,
            "highlight": highlight,
            "highlight_at": quote.index(highlight) if at is None else at,
            "field": "Casualties1",
        },
        "inherited": inherited,
    }


_QUOTING_OLD = ArticleContent(
    title="T",
    lead="Lead.",
    infobox=(InfoboxEntry("Casualties1", "13 killed"),),
    sections=(
        SectionContent("Aftermath", "First paragraph.\n\nThirteen gendarmes were killed.\n\nThird paragraph."),
        SectionContent("Reactions", "Condemned."),
    ),
)


@pytest.mark.django_db(False)
def test_a_finding_that_quotes_a_paragraph_sits_beside_it_and_links_to_it():
    new = dataclasses.replace(
        _QUOTING_OLD,
        sections=(
            SectionContent("Aftermath", "First paragraph.\n\nThirteen gendarmes were killed.\n\nThird paragraph, edited."),
            SectionContent("Reactions", "Condemned."),
        ),
    )
    finding = _quoting(
        "section:Aftermath", "Thirteen gendarmes were killed.", "Thirteen", where="section:Aftermath", paragraph=1
    )
    layout = review_layout(diff_articles(_QUOTING_OLD, new), [finding])

    (aftermath,) = [shown for shown in layout.places if shown.place.target == "section:Aftermath"]
    assert aftermath.findings == ()  # not at the top of the section: beside its paragraph
    rows = {row.row.new: row for row in aftermath.rows}
    # The quoted (unchanged) paragraph is shown, and the edited one; the untouched first one is not.
    assert set(rows) == {"Thirteen gendarmes were killed.", "Third paragraph, edited."}
    assert aftermath.place.hidden_unchanged == 1
    quoted = rows["Thirteen gendarmes were killed."]
    (view,) = quoted.findings
    assert quoted.severity == "error" and rows["Third paragraph, edited."].severity == ""
    assert view.quote_anchor == quoted.anchor and view.anchor
    assert (view.quote.before, view.quote.marked, view.quote.after) == ("", "Thirteen", " gendarmes were killed.")
    # The quote is shown as the quote, not again among the details.
    assert dict(view.evidence) == {"field": "Casualties1"}


@pytest.mark.django_db(False)
def test_a_finding_about_a_field_links_to_the_paragraph_it_quotes():
    new = dataclasses.replace(_QUOTING_OLD, infobox=(InfoboxEntry("Casualties1", "14 killed"),))
    finding = _quoting(
        "infobox:Casualties1", "Thirteen gendarmes were killed.", "Thirteen", where="section:Aftermath", paragraph=1
    )
    layout = review_layout(diff_articles(_QUOTING_OLD, new), [finding])

    (row,) = layout.infobox
    (view,) = row.findings
    (aftermath,) = layout.places
    (quoted,) = aftermath.rows
    assert quoted.row.new == "Thirteen gendarmes were killed." and quoted.quoted_by[0].anchor == view.anchor
    assert view.quote_anchor == quoted.anchor


@pytest.mark.django_db(False)
def test_a_quote_is_put_only_beside_a_paragraph_that_says_it():
    finding = _quoting(
        "section:Aftermath", "Thirteen gendarmes were killed.", "Thirteen", where="section:Aftermath", paragraph=2, at=5
    )
    layout = review_layout(diff_articles(_QUOTING_OLD, _QUOTING_OLD), [finding])
    (aftermath,) = layout.places
    (quoted,) = [row for row in aftermath.rows if row.findings]
    assert quoted.row.new == "Thirteen gendarmes were killed."  # paragraph 2 does not say it; paragraph 1 does
    assert quoted.findings[0].quote.marked == "Thirteen"  # a wrong offset falls back to the first occurrence

    missing = _quoting("section:Aftermath", "Fourteen were killed.", "Fourteen", where="section:Aftermath", paragraph=1)
    (aftermath,) = review_layout(diff_articles(_QUOTING_OLD, _QUOTING_OLD), [missing]).places
    assert [f.message for f in aftermath.findings] == ["About Fourteen."]  # kept at the place, not misplaced


@pytest.mark.django_db(False)
def test_inherited_findings_are_set_apart_and_show_no_place():
    finding = _quoting(
        "section:Aftermath",
        "Thirteen gendarmes were killed.",
        "Thirteen",
        where="section:Aftermath",
        paragraph=1,
        inherited=True,
    )
    layout = review_layout(diff_articles(_QUOTING_OLD, _QUOTING_OLD), [finding])
    assert layout.places == () and layout.general_findings == ()
    (inherited,) = layout.inherited
    assert inherited.inherited and inherited.quote.marked == "Thirteen"


# --- Escaping ---------------------------------------------------------------------------


def test_everything_authors_and_reviewers_wrote_is_escaped(db, editor, reviewer, reviewer2):
    def payload_content(suffix: str) -> ArticleContent:
        return ArticleContent(
            title=f"Payload {SCRIPT} {ATTRIBUTE}",
            lead=f"Lead {PAYLOADS}{suffix}",
            infobox=(
                InfoboxEntry("Conflict", f"{SCRIPT}{suffix}"),
                InfoboxEntry("Place", f"{ATTRIBUTE}{suffix}"),
                InfoboxEntry("Date", f"{JAVASCRIPT}{suffix}"),
                InfoboxEntry("Result", f"{PAYLOADS}{suffix}"),
                InfoboxEntry('Key"><img src=x onerror=alert(1)>', f"value {PAYLOADS}{suffix}"),
            ),
            sections=(SectionContent(f"Heading {SCRIPT}", f"Body {PAYLOADS}{suffix}"),),
        )

    first = propose_checked(actor=editor, content=payload_content(""), summary=f"Summary {PAYLOADS}")
    revision_approve(actor=reviewer, revision_id=first.id, override_reason=f"Override {PAYLOADS}")
    second = propose_checked(actor=editor, content=payload_content(" again"), summary=f"Second {PAYLOADS}")
    client = client_for(reviewer2)

    pending_page = client.get(review_url(second.id))
    assert pending_page.status_code == 200
    assert_inert(pending_page.content.decode(), static_prefix="/static/admin/")
    assert SCRIPT in dom(pending_page).text()  # shown, as text
    assert f"Second {PAYLOADS}" in dom(pending_page).one("dd", class_="summary").text()

    client.post(review_url(second.id), {"action": "reject", "reason": f"Reason {PAYLOADS}"})
    rejected_page = client.get(review_url(second.id))
    assert_inert(rejected_page.content.decode(), static_prefix="/static/admin/")
    assert dom(rejected_page).one(id="decision-reason").text() == f"Reason: Reason {PAYLOADS}"

    approved_page = client.get(review_url(first.id))
    assert_inert(approved_page.content.decode(), static_prefix="/static/admin/")
    assert dom(approved_page).one(id="override-reason").text() == f"Approved despite errors: Override {PAYLOADS}"

    for query in ("", "?status=all"):
        queue = client.get(queue_url() + query)
        assert queue.status_code == 200
        assert_inert(queue.content.decode(), static_prefix="/static/admin/")


# --- Query counts -------------------------------------------------------------------------


def _grow(seed_content, editor, reviewer, until: int) -> None:
    """Revisions until the stream has `until`: plain proposals (no checks), one approval in 250."""
    count = Revision.objects.count()
    for number in range(count, until):
        content = with_infobox(seed_content, "Result", f"Result {number}")
        if number % 250 == 0:
            revision = propose_checked(actor=editor, content=content, summary=f"edit {number}")
            revision_approve(actor=reviewer, revision_id=revision.id)
        else:
            revision_propose(actor=editor, content=content, summary=f"edit {number}")


def _measure(seed_content, editor, reviewer2) -> dict[str, int]:
    published = Article.objects.get().to_content()
    revision = propose_checked(
        actor=editor, content=with_infobox(published, "Casualties1", CASUALTIES_AFTER), summary="measured"
    )
    client = client_for(reviewer2)
    counts = {}
    for name, url in (("review", review_url(revision.id)), ("queue", queue_url())):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[name] = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        client.post(review_url(revision.id), {"action": "reject", "reason": "measured"})
    counts["reject"] = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(review_url(revision.id)).status_code == 200
    counts["decided"] = len(captured.captured_queries)
    return counts


def test_the_review_page_costs_the_same_queries_at_10_and_at_1000_revisions(
    published_seed, seed_content, editor, reviewer, reviewer2
):
    _grow(seed_content, editor, reviewer, until=10)
    at_10 = _measure(seed_content, editor, reviewer2)
    _grow(seed_content, editor, reviewer, until=1000)
    assert Revision.objects.filter(stream=published_seed.stream).count() >= 1000
    at_1000 = _measure(seed_content, editor, reviewer2)

    assert at_1000 == at_10
    assert at_10["review"] <= 15, at_10
