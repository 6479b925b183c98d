"""Editing articles in the admin: saving proposes a revision and writes nothing published."""

import pytest
from django.test import Client
from django.urls import reverse

from editorial.services import revision_approve
from editorial.models import Event, Revision
from editorial.selectors import revision_content
from editorial.store import load_content
from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent
from encyclopedia.models import Article, InfoboxField, Section

from tests.support.factories import propose_checked, with_infobox
from tests.support.urls import review_url

pytestmark = pytest.mark.django_db

INFOBOX, SECTIONS = "infobox_fields", "sections"


# --- Filling in the admin form as a browser would ------------------------------


def change_url(article) -> str:
    return reverse("admin:encyclopedia_article_change", args=[article.pk])


def form_data(response) -> dict:
    """What the browser would send back for the form in `response`, untouched."""
    data = {}
    bound_fields = list(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        bound_fields += list(inline.formset.management_form)
        for form in inline.formset.forms:
            bound_fields += list(form)
    for bound in bound_fields:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def row_count(data: dict, prefix: str) -> int:
    return int(data[f"{prefix}-TOTAL_FORMS"])


def row_of(data: dict, prefix: str, field: str, value: str) -> int:
    return next(i for i in range(row_count(data, prefix)) if data.get(f"{prefix}-{i}-{field}") == value)


def set_infobox(data: dict, key: str, value: str) -> dict:
    data[f"{INFOBOX}-{row_of(data, INFOBOX, 'key', key)}-value"] = value
    return data


def opened(client, user, article):
    """The change form as `user` opened it, and what it would send back."""
    client.force_login(user)
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response)


def errors_of(response) -> dict:
    """Every error on the page: the article form's by field, each row's as 'prefix-i-field'."""
    errors = {name: list(messages) for name, messages in response.context["adminform"].form.errors.items()}
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for name, messages in form.errors.items():
                errors[form.add_prefix(name)] = list(messages)
    return errors


@pytest.fixture
def article(published_seed):
    return Article.objects.get()


def published_snapshot():
    return (
        list(Article.objects.values()),
        list(InfoboxField.objects.values()),
        list(Section.objects.values()),
        Article.history.count(),
        InfoboxField.history.count(),
        Section.history.count(),
    )


# --- Saving is proposing ------------------------------------------------------


def test_saving_proposes_one_pending_revision_and_publishes_nothing(client, article, editor, seed_content):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured")
    data["summary"] = "One more gendarme died of his wounds"
    revisions_before, published_before = set(Revision.objects.values_list("id", flat=True)), published_snapshot()

    response = client.post(change_url(article), data)

    assert response.status_code == 302
    new = Revision.objects.exclude(id__in=revisions_before).get()
    assert response["Location"] == review_url(new.id)  # the proposal's own page
    assert (new.status, new.author, new.summary) == ("pending", editor, "One more gendarme died of his wounds")
    assert (new.stream, new.base_revision_id) == (article.stream, article.current_revision_id)
    # Exactly the edit, and the layout of "==See also==" kept as it was.
    assert revision_content(new.id) == with_infobox(seed_content, "Casualties1", "14 killed, 5 injured")
    assert published_snapshot() == published_before


@pytest.mark.parametrize("value", ["20–21 October 2017", "October 20 – 21, 2017", "2017-10-20/2017-10-21"])
def test_a_date_range_is_a_date(client, article, editor, seed_content, value):
    data = set_infobox(opened(client, editor, article), "Date", value)
    data["summary"] = "The attack began the night before"
    revisions_before = set(Revision.objects.values_list("id", flat=True))

    response = client.post(change_url(article), data)

    assert response.status_code == 302, errors_of(response)
    new = Revision.objects.exclude(id__in=revisions_before).get()
    assert revision_content(new.id).infobox_value("Date") == value


def test_the_success_message_names_the_revision_and_links_to_it(client, article, editor):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured")
    data["summary"] = "fix"

    # Inside the test's transaction nothing commits, so the checks have not run: they are running.
    response = client.post(change_url(article), data, follow=True)

    new = Revision.objects.latest("id")
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        f'Revision {new.id} proposed for review; consistency checks are running. '
        f'<a href="{review_url(new.id)}">Open revision {new.id}</a>.'
    ]


def test_rows_follow_their_positions_and_can_be_removed_or_added(client, article, editor, seed_content):
    data = opened(client, editor, article)
    data[f"{INFOBOX}-{row_of(data, INFOBOX, 'key', 'Place')}-position"] = "99"
    data[f"{INFOBOX}-{row_of(data, INFOBOX, 'key', 'Casualties2')}-DELETE"] = "on"
    extra = row_count(data, SECTIONS)  # a new row, as the admin's "Add another" adds it
    data.update(
        {
            f"{SECTIONS}-TOTAL_FORMS": str(extra + 1),
            f"{SECTIONS}-{extra}-heading": "Reactions",
            f"{SECTIONS}-{extra}-body": "Niger mourned.\r\n\r\nMali closed the border.",
            f"{SECTIONS}-{extra}-position": "",
            "summary": "Reorder, drop a figure, add reactions",
        }
    )

    response = client.post(change_url(article), data)

    assert response.status_code == 302
    content = revision_content(Revision.objects.latest("id").id)
    keys = [entry.key for entry in seed_content.infobox if entry.key not in ("Place", "Casualties2")]
    assert [entry.key for entry in content.infobox] == [*keys, "Place"]
    assert content.sections[:-1] == seed_content.sections
    assert content.sections[-1] == SectionContent("Reactions", "Niger mourned.\n\nMali closed the border.")


def test_an_unchanged_form_is_refused_on_the_form(client, article, editor):
    data = opened(client, editor, article)
    data["summary"] = "nothing really"
    events_before = Event.objects.count()

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    [message] = errors_of(response)["__all__"]
    assert message.startswith("Nothing to propose: the content is the same as the published revision")
    assert Event.objects.count() == events_before


def test_the_add_view_proposes_a_new_article(client, editor):
    client.force_login(editor)
    data = form_data(client.get(reverse("admin:encyclopedia_article_add")))
    data.update(
        {
            "title": "2019 Inates attack",
            "lead": "The 2019 Inates attack occurred on 10 December 2019.",
            "summary": "New article",
            f"{INFOBOX}-TOTAL_FORMS": "1",
            f"{SECTIONS}-TOTAL_FORMS": "1",
            f"{INFOBOX}-0-key": "Date",
            f"{INFOBOX}-0-value": "10 December 2019",
            f"{SECTIONS}-0-heading": "Attack",
            f"{SECTIONS}-0-body": "Militants attacked the camp.",
        }
    )

    response = client.post(reverse("admin:encyclopedia_article_add"), data)

    assert response.status_code == 302
    revision = Revision.objects.get()
    assert response["Location"] == review_url(revision.id)
    assert (revision.status, revision.author, revision.base_revision_id) == ("pending", editor, None)
    assert revision_content(revision.id) == ArticleContent(
        title="2019 Inates attack",
        lead="The 2019 Inates attack occurred on 10 December 2019.",
        infobox=(InfoboxEntry("Date", "10 December 2019"),),
        sections=(SectionContent("Attack", "Militants attacked the camp."),),
    )
    assert not Article.objects.exists()


# --- Nobody overwrites a change they have not seen ----------------------------


def publish_meanwhile(editor2, reviewer2, content):
    revision = propose_checked(actor=editor2, content=content, summary="Update; source: https://example.org/report")
    return revision_approve(actor=reviewer2, revision_id=revision.id)


@pytest.mark.parametrize(
    "newer_edit, merged",
    [
        pytest.param(
            lambda content: with_infobox(content, "Result", "Nigerien victory"),
            lambda content: content.infobox_value("Result") == "Nigerien victory",
            id="a value changed",
        ),
        pytest.param(
            lambda content: with_infobox(content, "Casualties2", None),
            lambda content: content.infobox_value("Casualties2") is None,
            id="a row removed",
        ),
    ],
)
def test_a_form_opened_on_an_older_revision_is_merged_with_what_was_published_meanwhile(
    client, article, editor, editor2, reviewer2, seed_content, newer_edit, merged
):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured")
    data["summary"] = "fix"
    newer = publish_meanwhile(editor2, reviewer2, newer_edit(seed_content))
    published_before = published_snapshot()

    response = client.post(change_url(article), data)

    rebased = Revision.objects.get(status="pending", author=editor)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:editorial_revision_review", args=[rebased.id])
    assert rebased.base_revision_id == newer.id and rebased.rebased_from_id is not None
    content = load_content(rebased.content_hash)
    assert content.infobox_value("Casualties1") == "14 killed, 5 injured"  # what the editor typed
    assert merged(content)  # and what was published meanwhile
    assert Revision.objects.get(id=rebased.rebased_from_id).status == "withdrawn"
    assert published_snapshot() == published_before  # proposing publishes nothing


def test_a_form_whose_change_conflicts_with_a_newer_revision_keeps_the_edit_and_opens_the_merge(
    client, article, editor, editor2, reviewer2, seed_content
):
    data = set_infobox(opened(client, editor, article), "Result", "ISGS tactical victory")
    data["summary"] = "wording"
    newer = publish_meanwhile(editor2, reviewer2, with_infobox(seed_content, "Result", "Nigerien victory"))

    response = client.post(change_url(article), data, follow=True)

    kept = Revision.objects.get(status="pending", author=editor)
    assert response.redirect_chain[-1][0] == reverse("admin:editorial_revision_rebase", args=[kept.id])
    assert load_content(kept.content_hash).infobox_value("Result") == "ISGS tactical victory"  # nothing typed is lost
    page = response.content.decode()
    assert f"Revision {newer.id} was published while you edited" in page
    assert "ISGS tactical victory" in page and "Nigerien victory" in page


def test_a_revision_published_while_the_form_is_saved_is_merged_by_the_command(
    client, article, editor, editor2, reviewer2, seed_content, monkeypatch
):
    from editorial.admin import articles as article_admin

    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured")
    data["summary"] = "fix"
    rival = {}

    def propose_after_a_rival(**kwargs):
        # A rival approval lands after the form's own checks, before the command runs.
        rival["revision"] = publish_meanwhile(editor2, reviewer2, with_infobox(seed_content, "Result", "Nigerien victory"))
        return real_propose(**kwargs)

    real_propose = article_admin.revision_propose
    monkeypatch.setattr(article_admin, "revision_propose", propose_after_a_rival)

    response = client.post(change_url(article), data)

    rebased = Revision.objects.get(status="pending", author=editor)
    assert response.status_code == 302 and rebased.base_revision_id == rival["revision"].id
    content = load_content(rebased.content_hash)
    assert (content.infobox_value("Casualties1"), content.infobox_value("Result")) == ("14 killed, 5 injured", "Nigerien victory")


# --- Bad input is an error on its field, and nothing is proposed ---------------


def _title(data):
    data["title"] = ""
    return "title"


def _date(data):
    set_infobox(data, "Date", "Octobr 45, 2017")
    return f"{INFOBOX}-{row_of(data, INFOBOX, 'key', 'Date')}-value"


def _duplicate_key(data):
    row = row_of(data, INFOBOX, "key", "Casualties2")
    data[f"{INFOBOX}-{row}-key"] = "Casualties1"
    return f"{INFOBOX}-{row}-key"


def _bad_key(data):
    row = row_of(data, INFOBOX, "key", "Partof")
    data[f"{INFOBOX}-{row}-key"] = "Part-of"
    return f"{INFOBOX}-{row}-key"


def _empty_value(data):
    set_infobox(data, "Result", "")
    return f"{INFOBOX}-{row_of(data, INFOBOX, 'key', 'Result')}-value"


def _duplicate_heading(data):
    row = row_of(data, SECTIONS, "heading", "Aftermath")
    data[f"{SECTIONS}-{row}-heading"] = "Attack"
    return f"{SECTIONS}-{row}-heading"


def _heading_in_body(data):
    row = row_of(data, SECTIONS, "heading", "Attack")
    data[f"{SECTIONS}-{row}-body"] += "\n== Casualties =="
    return f"{SECTIONS}-{row}-body"


def _no_summary(data):
    del data["summary"]
    return "summary"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_title, "An article needs a title."),
        (
            _date,
            "'Octobr 45, 2017' is not a date; write one full date such as 'October 21, 2017' or '21 October 2017', "
            "or a range of days such as '14–15 March 2019' or 'May 30 – June 2, 2018'.",
        ),
        (_duplicate_key, "The infobox already has a 'Casualties1' field; each key appears once."),
        (_bad_key, "A key starts with a letter and holds only letters, digits, spaces or '_'."),
        (_empty_value, "An infobox field needs a value; to remove the field, tick Delete."),
        (_duplicate_heading, "There is already a section 'Attack'; each heading appears once."),
        (_heading_in_body, "The body has a line that reads as a section heading"),
        (_no_summary, "An edit summary is required: say what you changed and why."),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] or None,
)
def test_bad_input_is_an_error_on_its_field_and_nothing_is_proposed(client, article, editor, spoil, message):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed, 5 injured")
    data["summary"] = "fix"
    field = spoil(data)
    events_before = Event.objects.count()

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert Event.objects.count() == events_before


# --- Who may edit -------------------------------------------------------------


def test_staff_without_the_propose_permission_get_403_and_propose_nothing(client, article, editor, outsider):
    data = set_infobox(opened(client, editor, article), "Casualties1", "14 killed")
    data["summary"] = "fix"
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    events_before = Event.objects.count()

    assert client.get(reverse("admin:encyclopedia_article_add")).status_code == 403
    assert client.get(change_url(article)).status_code == 403
    assert client.post(change_url(article), data).status_code == 403
    assert client.post(reverse("admin:encyclopedia_article_add"), data).status_code == 403
    assert client.get(reverse("admin:encyclopedia_article_changelist")).status_code == 403
    assert Event.objects.count() == events_before


def test_people_outside_the_staff_are_sent_to_log_in(client, article, outsider):
    client.force_login(outsider)
    response = client.post(change_url(article), {"title": "x", "summary": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Revision.objects.count() == 1


def test_nobody_deletes_an_article_or_reverts_rows_in_the_admin(client, article, reviewer, admin_user):
    published_before = published_snapshot()
    record = Article.history.get()
    for user in (reviewer, admin_user):
        client.force_login(user)
        assert client.get(reverse("admin:encyclopedia_article_delete", args=[article.pk])).status_code == 403
        assert client.post(reverse("admin:encyclopedia_article_delete", args=[article.pk]), {"post": "yes"}).status_code == 403
        history_form = reverse("admin:encyclopedia_article_simple_history", args=[article.pk, record.pk])
        assert client.post(history_form, {"title": "Reverted", "lead": ""}).status_code == 403
    assert published_snapshot() == published_before


def test_a_post_without_the_csrf_token_is_refused(article, editor):
    browser = Client(enforce_csrf_checks=True)
    data = set_infobox(opened(browser, editor, article), "Casualties1", "14 killed")
    data["summary"] = "fix"
    events_before = Event.objects.count()

    response = browser.post(change_url(article), data)

    assert response.status_code == 403
    assert Event.objects.count() == events_before


# --- History ------------------------------------------------------------------


def test_the_history_names_the_approver_and_revision_of_every_row(
    client, article, published_seed, editor, editor2, reviewer2, seed_content
):
    newer = publish_meanwhile(editor2, reviewer2, with_infobox(seed_content, "Result", "Nigerien victory"))
    client.force_login(editor)

    response = client.get(reverse("admin:encyclopedia_article_history", args=[article.pk]))

    assert response.status_code == 200
    entries = list(response.context["page_obj"])
    latest = [(e.what, e.action, e.approver, e.reason, e.changes) for e in entries if e.reason == f"revision {newer.id}"]
    assert latest == [
        ("Article", "Changed", "ravi", f"revision {newer.id}", (("current_revision_id", str(published_seed.id), str(newer.id)),)),
        ("Infobox field 'Result'", "Changed", "ravi", f"revision {newer.id}", (("value", "ISGS victory", "Nigerien victory"),)),
    ]
    first = {(e.what, e.action, e.approver) for e in entries if e.reason == f"revision {published_seed.id}"}
    assert ("Article", "Created", "rosa") in first
    assert ("Infobox field 'Casualties1'", "Created", "rosa") in first
    assert ("Section 'See also'", "Created", "rosa") in first
    assert len(entries) == Article.history.count() + InfoboxField.history.count() + Section.history.count()
    page = response.content.decode()
    assert "ravi" in page and "rosa" in page
    assert f"revision {newer.id}" in page and f"revision {published_seed.id}" in page


def test_the_history_is_for_those_who_may_propose(client, article, outsider):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(reverse("admin:encyclopedia_article_history", args=[article.pk])).status_code == 403
