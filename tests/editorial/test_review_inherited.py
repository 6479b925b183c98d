"""The review page of an edit of an article that was already inconsistent: the old
findings are shown apart, as already in the published article, and do not hold the edit up."""

from __future__ import annotations

import dataclasses

import pytest

from editorial.services import revision_approve
from encyclopedia.models import Article

from tests.support.factories import client_for, propose_checked, publish_ministry_update, with_infobox
from tests.support.html import dom
from tests.support.urls import review_url

pytestmark = pytest.mark.django_db

CASUALTIES_AFTER = "14 killed, 5 injured, 3 vehicles captured"


def test_an_edit_of_an_inconsistent_article_shows_the_old_findings_apart_and_can_be_approved(
    published_seed, seed_content, editor, reviewer, reviewer2
):
    publish_ministry_update(seed_content, author=editor, reviewer=reviewer)
    published = with_infobox(seed_content, "Casualties1", CASUALTIES_AFTER)
    comma_fix = dataclasses.replace(
        published,
        sections=tuple(
            dataclasses.replace(section, body=section.body.replace("the United States strongly", "the United States, strongly,"))
            for section in published.sections
        ),
    )
    revision = propose_checked(actor=editor, content=comma_fix, summary="Punctuation")

    tree = dom(client_for(reviewer2).get(review_url(revision.id)))
    assert tree.one(class_="verdict").attrs["data-status"] == "passed"
    assert tree.one("button", id="approve") and not tree.select(id="approve-override")
    panel = tree.one("section", id="inherited-findings")
    inherited = panel.select("li", class_="finding")
    assert len(inherited) == 2 and all("finding-inherited" in item.attrs["class"] for item in inherited)
    assert {item.one("mark").text() for item in inherited} == {"13", "Thirteen"}
    assert "2 already in the published article" in tree.one(class_="finding-counts").text()
    # No finding is placed in the diff: the edit introduced none.
    assert not [item for item in tree.select("li", class_="finding") if not item.within(panel)]

    revision_approve(actor=reviewer2, revision_id=revision.id)
    assert "the United States, strongly," in Article.objects.get().sections.get(heading="Aftermath").body


def test_show_revision_marks_what_was_already_published(published_seed, seed_content, editor, reviewer):
    from io import StringIO

    from django.core.management import call_command

    publish_ministry_update(seed_content, author=editor, reviewer=reviewer)
    published = with_infobox(seed_content, "Casualties1", CASUALTIES_AFTER)
    revision = propose_checked(actor=editor, content=with_infobox(published, "Result", "ISGS tactical victory"), summary="w")
    out = StringIO()
    call_command("show_revision", str(revision.id), stdout=out)
    lines = out.getvalue().splitlines()
    marked = [line for line in lines if "(already published)" in line]
    assert len(marked) == 2 and all("[error (already published)] casualties.infobox_prose" in line for line in marked)
    assert any("\u201cThirteen gendarmes were killed" in line for line in lines)
