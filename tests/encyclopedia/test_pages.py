"""The reader-facing article pages: the published article, as of a date, provenance."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from editorial.models import Revision
from encyclopedia.models import Article

from tests.support.factories import (
    propose_checked, publish, publish_ministry_update, tongo_tongo, with_infobox, with_lead
)
from tests.support.html import html_of
from tests.support.urls import SEED_URL

pytestmark = pytest.mark.django_db

STUB = "A stub; its infobox comes next."


def test_the_urls_have_their_names():
    assert reverse("reader:index") == "/"
    assert reverse("reader:article", args=["a"]) == "/articles/a/"
    assert reverse("reader:history", args=["a"]) == "/articles/a/history/"
    assert reverse("reader:revision", args=["a", 3]) == "/articles/a/revisions/3/"
    assert reverse("reader:diff", args=["a", 3, 4]) == "/articles/a/diff/3/4/"
    assert reverse("reader:provenance", args=["a"]) == "/articles/a/provenance/"


# --- The index --------------------------------------------------------------


def test_the_index_lists_published_articles_only(client, published_seed, editor):
    propose_checked(actor=editor, content=tongo_tongo(), summary="new article, not approved")
    html = html_of(client.get("/"))
    assert f'<a href="{SEED_URL}">2017 Ayorou attack</a>' in html
    assert "Tongo Tongo" not in html


# --- The article page -----------------------------------------------------------


def test_the_article_page_lays_out_infobox_lead_and_sections(client, published_seed):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    html = html_of(response)
    assert '<table class="infobox">' in html
    assert '<th scope="row">Place</th>' in html
    assert "Ayorou, Tillaberi Region, Niger" in html
    assert '<th scope="row">Part of</th>' in html
    assert "13 killed, 5 injured, 3 vehicles captured" in html
    assert "<p>The 2017 Ayorou attack occurred on 21 October 2017" in html
    for heading in ("Background", "Attack", "Aftermath", "See also"):
        assert f"<h2>{heading}</h2>" in html
    # Two paragraphs of the Background section, split on the blank line.
    assert "<p>The town of Ayorou, located four kilometers" in html
    assert "<p>In early October 2017, Nigerien and American forces" in html


MISSING_TONGO = '<li><span class="missing-page" title="Page does not exist">Tongo Tongo ambush</span></li>'


def test_see_also_items_are_marked_missing_until_the_article_exists(client, published_seed, editor, reviewer):
    html = html_of(client.get(SEED_URL))
    assert MISSING_TONGO in html  # MediaWiki's red link: the reader sees it is not written yet
    assert "/articles/tongo-tongo-ambush/" not in html

    publish(tongo_tongo(), author=editor, reviewer=reviewer, summary="new article", override_reason=STUB)
    html = html_of(client.get(SEED_URL))
    assert '<li><a href="/articles/tongo-tongo-ambush/">Tongo Tongo ambush</a></li>' in html
    assert "missing-page" not in html


def test_a_pending_article_in_see_also_is_not_linked(client, published_seed, editor):
    propose_checked(actor=editor, content=tongo_tongo(), summary="new article, not approved")
    html = html_of(client.get(SEED_URL))
    assert "/articles/tongo-tongo-ambush/" not in html
    assert MISSING_TONGO in html
    assert client.get("/articles/tongo-tongo-ambush/").status_code == 404


def test_the_footer_names_the_revision_and_its_approver(client, published_seed):
    html = html_of(client.get(SEED_URL))
    assert f'Revision <a href="{SEED_URL}revisions/{published_seed.id}/">{published_seed.id}</a>' in html
    assert "approved by rosa" in html
    assert f'href="{SEED_URL}history/"' in html


def test_readers_never_see_a_pending_revision(client, published_seed, seed_content, editor, outsider):
    pending = propose_checked(
        actor=editor, content=with_lead(seed_content, "UNREVIEWED LEAD TEXT."), summary="pending edit"
    )
    assert "UNREVIEWED LEAD TEXT" not in html_of(client.get(SEED_URL))
    revision_url = f"{SEED_URL}revisions/{pending.id}/"
    assert client.get(revision_url).status_code == 404
    assert f"revisions/{pending.id}/" not in html_of(client.get(f"{SEED_URL}history/"))
    assert client.get(f"{SEED_URL}diff/{published_seed.id}/{pending.id}/").status_code == 404

    client.force_login(outsider)  # signed in, but neither editor nor reviewer
    assert client.get(revision_url).status_code == 404
    assert "UNREVIEWED LEAD TEXT" not in html_of(client.get(SEED_URL))

    client.force_login(editor)
    assert "UNREVIEWED LEAD TEXT" in html_of(client.get(revision_url))
    assert "UNREVIEWED LEAD TEXT" not in html_of(client.get(SEED_URL))  # the article is the published one


def test_an_unknown_article_is_not_found(client, db):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "no published article" in html_of(response)


def test_a_renamed_article_is_found_at_its_old_address(client, published_seed, seed_content, editor, reviewer):
    renamed = dataclasses.replace(seed_content, title="Ayorou attack of 2017")
    publish(renamed, author=editor, reviewer=reviewer, stream=published_seed.stream)
    response = client.get(SEED_URL)
    assert response.status_code == 302
    assert response["Location"] == "/articles/ayorou-attack-of-2017/"


# --- As of a date ---------------------------------------------------------------


def set_decided_at(revision_id: int, when: datetime.datetime) -> None:
    """Move an approval into the past in the read model (the log is not consulted by as_of)."""
    Revision.objects.filter(id=revision_id).update(decided_at=when)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def two_versions(published_seed, seed_content, editor, reviewer2):
    """The seed approved on 10 January 2020, a 14-killed edit approved at the end of 1 March 2020."""
    edited = publish_ministry_update(seed_content, author=editor, reviewer=reviewer2)
    set_decided_at(published_seed.id, utc(2020, 1, 10, 12, 0))
    set_decided_at(edited.id, utc(2020, 3, 1, 23, 59, 59))
    return published_seed, edited


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2020-01-10", "13 killed"),
        ("2020-02-29", "13 killed"),
        ("2020-03-01", "14 killed"),  # approved at 23:59:59 UTC, still that day
        ("2020-03-02", "14 killed"),
    ],
)
def test_as_of_shows_the_version_readers_saw_at_the_end_of_that_day(client, two_versions, day, expected):
    response = client.get(SEED_URL, {"as_of": day})
    assert response.status_code == 200
    html = html_of(response)
    assert f"{expected}, 5 injured" in html
    assert "as readers saw it at the end of" in html
    assert 'class="banner banner-old"' in html


def test_as_of_names_the_revision_it_shows(client, two_versions):
    seed, edited = two_versions
    html = html_of(client.get(SEED_URL, {"as_of": "2020-02-01"}))
    assert f'revisions/{seed.id}/">{seed.id}</a>' in html
    assert "Read the current version" in html


def test_as_of_today_is_the_current_version_and_says_the_day_is_not_over(
    client, published_seed, seed_content, editor, reviewer
):
    publish(with_lead(seed_content, "A newer lead."), author=editor, reviewer=reviewer)
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    html = html_of(client.get(SEED_URL, {"as_of": today}))
    assert "A newer lead." in html
    assert "has not come yet" in html and "current version" in html
    assert "as readers saw it" not in html  # the day is not over: nobody has seen its end


@pytest.mark.parametrize("value", ["2999-01-01", "9999-12-31", "2999-01-01T00:00:00Z"])
def test_a_future_as_of_is_the_current_version_not_what_readers_saw(client, two_versions, value):
    response = client.get(SEED_URL, {"as_of": value})
    assert response.status_code == 200
    html = html_of(response)
    assert "14 killed, 5 injured" in html
    assert "has not come yet" in html and "<strong>current version</strong>" in html
    assert "as readers saw it" not in html
    assert "It is still the current version." not in html


def test_as_of_an_instant_shows_the_revision_published_then(client, two_versions):
    seed, edited = two_versions
    html = html_of(client.get(SEED_URL, {"as_of": "2020-03-01T23:59:58.999999Z"}))
    assert "13 killed, 5 injured" in html
    assert "as readers saw it at" in html and "1 March 2020, 23:59:58" in html
    html = html_of(client.get(SEED_URL, {"as_of": "2020-03-01T23:59:59.000000Z"}))
    assert "14 killed, 5 injured" in html


@pytest.mark.parametrize("value", ["2020-03-01T23:59:59", "2020-03-01T25:00:00Z", "2020-03-01 23:59:59Z"])
def test_as_of_an_instant_must_be_written_in_utc(client, two_versions, value):
    response = client.get(SEED_URL, {"as_of": value})
    assert response.status_code == 400


def test_as_of_before_the_first_approval_is_not_found_with_a_reason(client, two_versions):
    response = client.get(SEED_URL, {"as_of": "2020-01-09"})
    assert response.status_code == 404
    html = html_of(response)
    assert "had no published version at the end of 2020-01-09" in html
    assert "first published on 2020-01-10" in html


@pytest.mark.parametrize("value", ["yesterday", "2020-13-01", "2020-02-30", "20200101", ""])
def test_as_of_with_a_bad_date_says_the_format(client, published_seed, value):
    response = client.get(SEED_URL, {"as_of": value})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in html_of(response)


def test_as_of_ignores_unapproved_revisions(client, published_seed, seed_content, editor):
    propose_checked(actor=editor, content=with_lead(seed_content, "UNREVIEWED LEAD TEXT."), summary="pending")
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert "UNREVIEWED LEAD TEXT" not in html_of(client.get(SEED_URL, {"as_of": today}))


# --- Provenance of the infobox -----------------------------------------------------


def test_provenance_names_the_revision_that_introduced_each_value(
    client, published_seed, seed_content, editor2, reviewer, reviewer2
):
    casualties = publish_ministry_update(seed_content, author=editor2, reviewer=reviewer2)
    changed = with_infobox(seed_content, "Casualties1", "14 killed, 5 injured, 3 vehicles captured")
    # The prose still says 13 killed: inherited from the ministry update, so no override is needed.
    publish(with_infobox(changed, "Result", "Nigerien victory"), author=editor2, reviewer=reviewer)
    # The value comes back: it is introduced anew by this revision, not by the seed.
    back = publish(changed, author=editor2, reviewer=reviewer2, summary="Undo the result change")

    from editorial.reader.queries import infobox_provenance

    article = Article.objects.get()
    provenance = {row.key: row for row in infobox_provenance(article)}
    assert provenance["Casualties1"].revision.id == casualties.id
    assert provenance["Casualties1"].revision.author.username == "emil"
    assert provenance["Casualties1"].revision.decided_by.username == "ravi"
    assert provenance["Place"].revision.id == published_seed.id
    assert provenance["Result"].revision.id == back.id
    assert provenance["Result"].value == "ISGS victory"

    html = html_of(client.get(f"{SEED_URL}provenance/"))
    assert f'<a href="{SEED_URL}revisions/{casualties.id}/">revision {casualties.id}</a>' in html
    assert 'id="field-casualties1"' in html
    # The article links each infobox row to its provenance.
    assert f'href="{SEED_URL}provenance/#field-casualties1"' in html_of(client.get(SEED_URL))


def test_provenance_takes_four_queries_whatever_the_history(
    client, published_seed, seed_content, editor, reviewer, django_assert_num_queries
):
    for number in range(5):
        publish(with_infobox(seed_content, "Result", f"ISGS victory ({number})"), author=editor, reviewer=reviewer)
    # The article, the annotated fields, the fields' history rows (their timelines), all their revisions.
    with django_assert_num_queries(4):
        response = client.get(f"{SEED_URL}provenance/")
    html = html_of(response)
    assert "ISGS victory (4)" in html
    assert "6 values over time" in html
