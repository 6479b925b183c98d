"""The article edit form as an editor uses it (issue 11): where saving lands, starting
again from a proposal, what is pending, "Show changes", and the form's own controls."""

import re

import pytest
from django.urls import reverse

from editorial.models import Event, Revision
from editorial.selectors import revision_content
from editorial.services import revision_approve
from encyclopedia.infobox import known_keys
from encyclopedia.models import Article

from tests.encyclopedia.test_admin_editing import (
    INFOBOX,
    SECTIONS,
    change_url,
    errors_of,
    form_data,
    opened,
    row_count,
    row_of,
    set_infobox,
)
from tests.support.factories import client_for, propose_checked, with_infobox
from tests.support.html import dom, messages_on
from tests.support.urls import review_url

pytestmark = pytest.mark.django_db

WRONG_TOLL = "31 killed, 5 injured, 3 vehicles captured"  # the prose says "Thirteen gendarmes were killed"


@pytest.fixture
def article(published_seed):
    return Article.objects.get()


def edit_again_url(article, revision_id) -> str:
    return change_url(article) + f"?from_revision={revision_id}"


def set_section(data: dict, heading: str, old: str, new: str) -> dict:
    field = f"{SECTIONS}-{row_of(data, SECTIONS, 'heading', heading)}-body"
    assert old in data[field], f"{old!r} is not in {heading}"
    data[field] = data[field].replace(old, new)
    return data


# --- After "Propose for review" ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_proposing_lands_on_the_proposal_page_and_says_how_the_checks_ended(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Casualties1", WRONG_TOLL)
    data["summary"] = "Toll"

    # As in production: the request commits, and the checks run in-process on commit,
    # before the message is written.
    response = client.post(change_url(article), data)

    new = Revision.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == review_url(new.id)
    assert new.check_status == "failed"
    errors = sum(1 for f in new.check_findings if f["severity"] == "error" and not f["inherited"])
    warnings = sum(1 for f in new.check_findings if f["severity"] == "warning" and not f["inherited"])
    assert errors >= 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert messages_on(page) == [
        f"Revision {new.id} proposed for review; consistency checks finished with "
        f"{errors} error{'s' if errors != 1 else ''} and {warnings} warning{'s' if warnings != 1 else ''}. "
        f"Open revision {new.id}."
    ]
    [link] = [a for a in dom(page).select("a") if a.text() == f"Open revision {new.id}"]
    assert link.attrs["href"] == review_url(new.id)


def test_while_the_checks_have_not_run_the_message_says_they_are_running(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Casualties1", WRONG_TOLL)
    data["summary"] = "Toll"

    response = client.post(change_url(article), data, follow=True)  # nothing commits: no checks ran

    new = Revision.objects.latest("id")
    assert new.check_status == "pending"
    assert messages_on(response) == [
        f"Revision {new.id} proposed for review; consistency checks are running. Open revision {new.id}."
    ]


# --- "Edit again": ?from_revision=N -----------------------------------------------------------


def _proposal(editor, seed_content):
    content = with_infobox(seed_content, "Casualties1", WRONG_TOLL)
    return propose_checked(actor=editor, content=content, summary="Toll from the ministry"), content


def test_from_revision_prefills_every_field_and_proposing_it_as_is_gives_the_same_content(
    client, article, editor, seed_content
):
    revision, content = _proposal(editor, seed_content)
    client.force_login(editor)

    response = client.get(edit_again_url(article, revision.id))

    assert response.status_code == 200
    data = form_data(response)
    assert (data["title"], data["lead"], data["summary"]) == (content.title, content.lead, "Toll from the ministry")
    assert int(data["base_revision"]) == revision.base_revision_id
    assert [(data[f"{INFOBOX}-{i}-key"], data[f"{INFOBOX}-{i}-value"]) for i in range(row_count(data, INFOBOX))] == [
        (entry.key, entry.value) for entry in content.infobox
    ]
    assert [data[f"{SECTIONS}-{i}-heading"] for i in range(row_count(data, SECTIONS))] == [
        section.heading for section in content.sections
    ]
    assert dom(response).one(id="prefilled-from")

    data["summary"] = "Toll, once more"
    proposed = client.post(edit_again_url(article, revision.id), data)

    assert proposed.status_code == 302, errors_of(proposed)
    again = Revision.objects.latest("id")
    assert again.id != revision.id and again.base_revision_id == revision.base_revision_id
    assert revision_content(again.id) == content


def test_only_the_author_or_a_reviewer_may_start_from_a_proposal(
    client, article, editor, editor2, reviewer, seed_content
):
    revision, _content = _proposal(editor, seed_content)
    url = edit_again_url(article, revision.id)
    assert client_for(editor2).get(url).status_code == 403
    assert client_for(reviewer).get(url).status_code == 200
    assert client_for(editor).get(url).status_code == 200


@pytest.mark.parametrize("value", ["0", "-1", "x", "99999", "9" * 40, "１"])
def test_a_from_revision_that_is_not_one_of_this_article_is_404(client, article, editor, value):
    assert client_for(editor).get(edit_again_url(article, "") + value).status_code == 404


def test_from_revision_of_a_proposal_on_an_older_base_warns_before_saving(
    client, article, editor, editor2, reviewer, seed_content
):
    revision, _content = _proposal(editor, seed_content)
    newer = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Result", "Nigerien victory"), summary="Result; source: x"
    )
    revision_approve(actor=reviewer, revision_id=newer.id)

    page = dom(client_for(editor).get(edit_again_url(article, revision.id)))

    notice = " ".join(page.one(id="stale-base").text().split())
    assert notice == (
        f"This form starts from revision {revision.base_revision_id}, but revision {newer.id} is published now."
    )


def test_a_form_opened_on_the_published_revision_has_no_stale_warning(client, article, editor):
    page = dom(client_for(editor).get(change_url(article)))
    assert not page.select(id="stale-base")
    assert not page.select(id="pending-revisions")


# --- What is pending ------------------------------------------------------------------------


def test_the_form_names_every_pending_revision_with_a_link(client, article, editor, editor2, seed_content):
    mine = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "Win"), summary="a")
    theirs = propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "Loss"), summary="b")

    page = dom(client_for(editor).get(change_url(article)))

    notices = page.one(id="pending-revisions").select("li")
    assert [" ".join(li.text().split()) for li in notices] == [
        f"Revision {mine.id} by eda is pending review (yours).",
        f"Revision {theirs.id} by {editor2.username} is pending review.",
    ]
    assert [li.one("a").attrs["href"] for li in notices] == [review_url(mine.id), review_url(theirs.id)]


# --- Show changes -------------------------------------------------------------------------------


def _preview(client, article, data):
    return client.post(change_url(article), {**data, "_preview": "Show changes"})


def test_show_changes_shows_the_diff_and_the_findings_and_stores_nothing(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Casualties1", WRONG_TOLL)
    data["summary"] = ""  # not needed to look
    events_before = Event.objects.count()

    response = _preview(client, article, data)

    assert response.status_code == 200
    assert Event.objects.count() == events_before
    preview = dom(response).one("section", id="preview")
    row = preview.one("tr", data_key="Casualties1")
    assert (row.one("del").text(), row.one("ins").text()) == ("13", "31")
    # In plain words, beside the field: the prose disagrees ("31 vs Thirteen").
    prose = [f for f in row.select("li", class_="finding-error") if f.attrs["data-rule"] == "casualties.infobox_prose"]
    assert any(f.one("mark").text() == "Thirteen" for f in prose)
    assert all("infobox_prose" not in f.one("span", class_="finding-message").text() for f in prose)
    assert preview.one("span", class_="verdict").attrs["data-status"] == "failed"
    # The form is as typed.
    kept = form_data(response)
    assert {key: str(kept.get(key, "")) for key in data} == {key: str(value) for key, value in data.items()}
    assert kept[f"{INFOBOX}-{row_of(kept, INFOBOX, 'key', 'Casualties1')}-value"] == WRONG_TOLL


def test_show_changes_after_the_fix_finds_nothing_new(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured, 3 vehicles captured")
    set_section(data, "Aftermath", "Thirteen gendarmes were killed", "Fourteen gendarmes were killed")
    data["lead"] = data["lead"].replace("killing 13 gendarmes", "killing 14 gendarmes")

    preview = dom(_preview(client, article, data)).one("section", id="preview")

    assert not preview.select("li", class_="finding-error")
    assert preview.one("span", class_="verdict").attrs["data-status"] in {"passed", "warnings"}


def test_show_changes_with_nothing_changed_says_so(client, article, editor):
    preview = dom(_preview(client, article, opened(client, editor, article))).one("section", id="preview")
    assert preview.one(id="preview-no-changes")


def test_show_changes_on_bad_input_shows_the_errors_and_no_preview(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Date", "Octobr 45")
    response = _preview(client, article, data)
    assert response.status_code == 200
    assert list(errors_of(response)) == [f"{INFOBOX}-{row_of(data, INFOBOX, 'key', 'Date')}-value"]
    assert not dom(response).select(id="preview")


# --- The form's controls ------------------------------------------------------------------------


def test_no_empty_extra_rows(client, article, editor):
    data = opened(client, editor, article)
    for prefix in (INFOBOX, SECTIONS):
        assert data[f"{prefix}-TOTAL_FORMS"] == data[f"{prefix}-INITIAL_FORMS"]
        assert all(data.get(f"{prefix}-{i}-id") for i in range(row_count(data, prefix)))


def test_keys_are_offered_from_the_schema_and_rows_have_no_caption(client, article, editor):
    client.force_login(editor)
    response = client.get(change_url(article))
    page = dom(response)
    datalist = page.one("datalist", id="infobox-keys")
    assert [option.attrs["value"] for option in datalist.select("option")] == list(known_keys())
    assert "Part of" in [option.text() for option in datalist.select("option")]
    key_inputs = [node for node in page.select("input") if re.fullmatch(rf"{INFOBOX}-\d+-key", node.attrs.get("name", ""))]
    assert key_inputs and all(node.attrs.get("list") == "infobox-keys" for node in key_inputs)
    # The admin's caption repeated the row ("Casualties1: 13 killed, ...") above its own inputs.
    assert "Casualties1: 13 killed" not in response.content.decode()
    assert page.one("th", class_="column-delete").text().strip() == "Delete?"


def test_rows_have_an_order_input_the_script_can_hide(client, article, editor):
    client.force_login(editor)
    page = dom(client.get(change_url(article)))
    positions = [node for node in page.select("input") if (node.attrs.get("name") or "").endswith("-position")]
    assert positions and all("row-position" in node.classes() for node in positions)
    # Counted from 1 as people count, so that a row typed as 0 goes first.
    sections = [node.attrs["value"] for node in positions if re.fullmatch(rf"{SECTIONS}-\d+-position", node.attrs["name"])]
    assert sections == [str(number) for number in range(1, len(sections) + 1)]
    scripts = [node.attrs.get("src", "") for node in page.select("script")]
    assert any(src.endswith("admin_edit/edit_form.js") for src in scripts)


def test_the_summary_has_no_maxlength_and_an_over_long_one_is_refused_with_the_form_kept(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured")
    response = client.get(change_url(article))
    summary_input = dom(response).one("input", name="summary")
    assert "maxlength" not in summary_input.attrs
    assert summary_input.attrs["data-max-length"] == "1000"
    data["summary"] = "w" * 1250
    revisions_before = Revision.objects.count()

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert errors_of(response) == {
        "summary": ["The edit summary is 1250 characters long; shorten it to at most 1000."]
    }
    assert form_data(response)["summary"] == "w" * 1250  # nothing cut
    assert Revision.objects.count() == revisions_before


def test_the_admin_is_called_stet(client, article, editor):
    client.force_login(editor)
    for url in (reverse("admin:index"), change_url(article)):
        page = dom(client.get(url))
        assert page.one(id="site-name").text().strip() == "Stet"
        assert page.one("title").text().strip().endswith("| Stet")


def _queries_to_open(client, article) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(change_url(article)).status_code == 200
    return len(captured)


def test_the_pending_notices_cost_the_same_queries_for_one_or_many(client, article, editor, editor2, seed_content):
    client.force_login(editor)
    propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "Win"), summary="a")
    _queries_to_open(client, article)  # warm the per-user caches
    with_one = _queries_to_open(client, article)
    for number, author in enumerate([editor2, editor, editor2]):
        propose_checked(actor=author, content=with_infobox(seed_content, "Result", f"Outcome {number}"), summary="b")

    assert _queries_to_open(client, article) == with_one


def test_show_changes_renders_the_draft_as_it_will_read(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Partof", "Insurgency in the Sahel")

    page = dom(_preview(client, article, data)).one(id="preview-page")

    infobox = page.one("table", class_="infobox")
    rows = {" ".join(row.one("th").text().split()): row.one("td").text().strip() for row in infobox.select("tr")}
    assert rows["Part of"] == "Insurgency in the Sahel"  # the reader's label, not the raw key
    assert page.one("h1").text() == article.title


def test_show_changes_on_an_older_base_diffs_against_that_base(
    client, article, editor, editor2, reviewer, seed_content
):
    revision, _content = _proposal(editor, seed_content)
    newer = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Result", "Nigerien victory"), summary="Result; source: x"
    )
    revision_approve(actor=reviewer, revision_id=newer.id)
    client.force_login(editor)
    data = form_data(client.get(edit_again_url(article, revision.id)))
    events_before = Event.objects.count()

    response = client.post(change_url(article), {**data, "_preview": "Show changes"})

    page = dom(response)
    assert page.one(id="stale-base")
    preview = page.one("section", id="preview")
    assert " ".join(preview.one("h2", id="preview-heading").text().split()) == (
        f"Your changes against revision {revision.base_revision_id}"
    )
    assert [row.attrs["data-key"] for row in preview.select("tr", class_="infobox-changed")] == ["Casualties1"]
    assert Event.objects.count() == events_before
    # Proposing it merges it with what was published meanwhile (they changed different fields).
    proposed = client.post(change_url(article), data)
    rebased = Revision.objects.get(status="pending", rebased_from_id__isnull=False)
    assert proposed.status_code == 302 and rebased.base_revision_id == newer.id


def test_a_rule_that_crashes_on_the_preview_is_named_and_the_others_still_run(client, article, editor, settings):
    settings.STET_EXTRA_RULES = ["tests.support.rules.ExplodingRule"]
    data = set_infobox(opened(client, editor, article), "Casualties1", WRONG_TOLL)

    response = _preview(client, article, data)

    assert response.status_code == 200
    preview = dom(response).one("section", id="preview")
    assert "test.explodes" in preview.one(id="preview-failed-rules").text()
    assert preview.one("span", class_="verdict").attrs["data-status"] == "error"
    assert preview.select("li", data_rule="casualties.infobox_prose")


@pytest.mark.parametrize("prefix", [INFOBOX, SECTIONS])
def test_without_javascript_a_row_is_added_by_posting_the_form_as_typed(client, article, editor, prefix):
    data = set_infobox(opened(client, editor, article), "Casualties1", WRONG_TOLL)
    data["summary"] = ""  # would be an error on a submission; this is not one
    rows_before = row_count(data, prefix)

    response = client.post(change_url(article), {**data, "_add_row": prefix})

    assert response.status_code == 200
    assert errors_of(response) == {}
    assert not dom(response).select("p", class_="errornote")
    shown = form_data(response)
    assert row_count(shown, prefix) == rows_before + 1
    assert {key: str(shown.get(key, "")) for key in data if not key.endswith("TOTAL_FORMS")} == {
        key: str(value) for key, value in data.items() if not key.endswith("TOTAL_FORMS")
    }
    assert Revision.objects.count() == 1

    # The new row is filled in and the form proposed, as a browser without JavaScript would.
    new = rows_before
    if prefix == INFOBOX:
        shown.update({f"{INFOBOX}-{new}-key": "Territory", f"{INFOBOX}-{new}-value": "Tillaberi Region"})
    else:
        shown.update({f"{SECTIONS}-{new}-heading": "Reactions", f"{SECTIONS}-{new}-body": "Niger mourned."})
    shown["summary"] = "A new row; source: https://example.org"
    assert client.post(change_url(article), shown).status_code == 302
    content = revision_content(Revision.objects.latest("id").id)
    assert ("Territory" in [e.key for e in content.infobox]) == (prefix == INFOBOX)
    assert ("Reactions" in [s.heading for s in content.sections]) == (prefix == SECTIONS)


@pytest.mark.parametrize("prefix", ["nope", "infobox_fields-0", ""])
def test_adding_a_row_to_something_that_is_not_a_formset_adds_nothing(client, article, editor, prefix):
    data = opened(client, editor, article)
    response = client.post(change_url(article), {**data, "_add_row": prefix})
    assert response.status_code == 200
    shown = form_data(response)
    assert (row_count(shown, INFOBOX), row_count(shown, SECTIONS)) == (row_count(data, INFOBOX), row_count(data, SECTIONS))


def test_show_changes_on_a_new_article_shows_it_all_as_new(client, editor):
    client.force_login(editor)
    add_url = reverse("admin:encyclopedia_article_add")
    data = form_data(client.get(add_url))
    assert (data[f"{INFOBOX}-TOTAL_FORMS"], data[f"{SECTIONS}-TOTAL_FORMS"]) == (0, 0)  # no empty rows here either
    data.update(
        {
            "title": "2019 Inates attack",
            "lead": "The 2019 Inates attack occurred on 10 December 2019.",
            f"{INFOBOX}-TOTAL_FORMS": "1",
            f"{INFOBOX}-0-key": "Date",
            f"{INFOBOX}-0-value": "10 December 2019",
        }
    )

    response = client.post(add_url, {**data, "_preview": "Show changes"})

    assert response.status_code == 200, errors_of(response)
    preview = dom(response).one("section", id="preview")
    assert [row.attrs["data-key"] for row in preview.select("tr", class_="infobox-added")] == ["Date"]
    assert preview.one(id="preview-page").one("h1").text() == "2019 Inates attack"
    assert not Revision.objects.exists()
