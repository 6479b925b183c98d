"""Every URL pattern of the project, fed hostile path and query values: never a 500.

The patterns are enumerated from the resolver (the admin's included), so a
page added later is walked without anyone listing it here. Each parameter
of each pattern gets every hostile value in turn while the others keep a
valid value, so a refusal of one parameter cannot hide a crash in another;
each page also gets every hostile value in its query parameters. This runs
as an anonymous visitor, as a reviewer and as the superuser (who reaches
the user and group admin too). A response may be anything but a server
error: a 500, or an exception escaping the view.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from tests.support.factories import propose_checked, with_infobox
from tests.support.payloads import SCRIPT
from tests.support.urls import SEED_SLUG, url_templates, valid_value

pytestmark = pytest.mark.django_db

# Raw values; path values are percent-encoded, so each reaches the view whole.
HOSTILE = [
    "",
    " ",
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits: int() reads them
    "-1",
    "0",
    "1.5",
    "1e3",
    "0x10",
    "9" * 40,
    str(2**63),
    "9999-12-31",
    "0001-01-01",
    "2017-02-30",
    "\x00",
    "1\x00",
    "../",
    "../../etc/passwd",
    "' OR '1'='1",
    "1; DROP TABLE editorial_event;--",
    SCRIPT,
    "%",
    "\ud800",  # a lone surrogate: percent-encoded as the bytes of invalid UTF-8
    "\u202e",
    "a" * 5000,
]
# Query parameters the pages read (site and admin), each given every hostile value.
QUERY_NAMES = [
    "as_of", "before", "old", "new",
    "p", "o", "q", "e", "all", "status", "article", "check_status__exact",
    "_to_field", "_popup", "_changelist_filters", "next", "page",
]
SITE_QUERY_NAMES = ["as_of", "before", "old", "new"]
# The project's admin lists read these; given one at a time too, since one refused value
# (an unknown status empties the list) would keep a query that fails on another from running.
CHANGELIST_QUERY_NAMES = ["p", "o", "q", "all", "status", "article", "check_status__exact", "_popup"]
PROJECT_CHANGELIST = re.compile(r"^/admin/(encyclopedia|editorial)/\w+/$")


def _percent(value: str) -> str:
    # surrogatepass: a lone surrogate becomes bytes that are not UTF-8, as an attacker would send.
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def requests_for(world) -> list[str]:
    """Every path with one parameter hostile at a time, then every path with hostile queries."""
    urls = []
    for template, names in url_templates():
        valid = {name: valid_value(template, name, world) for name in names}
        base = template.format(**valid)
        urls.append(base)
        for name in names:
            for value in HOSTILE:
                urls.append(template.format(**{**valid, name: _percent(value)}))
            urls.append(template.format(**{**valid, name: "../" + valid[name]}))
        if PROJECT_CHANGELIST.match(base):
            one_at_a_time = CHANGELIST_QUERY_NAMES
        elif base.startswith("/admin/"):
            one_at_a_time = []
        else:
            one_at_a_time = SITE_QUERY_NAMES
        for value in HOSTILE:
            urls.append(f"{base}?{urlencode(dict.fromkeys(QUERY_NAMES, value), errors='surrogatepass')}")
            for query_name in one_at_a_time:
                urls.append(f"{base}?{urlencode({query_name: value}, errors='surrogatepass')}")
    return urls


def walk_all(client: Client, urls: list[str]) -> list[str]:
    failures = []
    for url in urls:
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 - an escaping exception is what this test looks for
            failures.append(f"GET {url[:200]} raised {type(error).__name__}: {error}"[:400])
            continue
        if response.status_code >= 500:
            failures.append(f"GET {url[:200]} answered {response.status_code}")
    return failures


# The server errors seen before, each with the answer it gets now.
KNOWN = [
    ("/articles/{slug}/?as_of=9999-12-31", 200),  # the last day a date names: what readers see now
    ("/articles/{slug}/?as_of=0001-01-01", 404),  # not yet published then
    ("/articles/{slug}/?as_of=2017-02-30", 400),
    ("/articles/{slug}/?as_of=%00", 400),
    ("/articles/{slug}/history/?before=%C2%B2", 400),
    ("/admin/editorial/revision/%C2%B2/change/", 302),  # the admin's answer for no such row: back to its index
    ("/admin/editorial/revision/{pending}/change/", 302),  # a real one: its review page
    ("/admin/encyclopedia/article/{article_id}/history/abc/", 404),
    ("/admin/encyclopedia/article/{article_id}/history/1.5/", 404),
    ("/admin/encyclopedia/article/{article_id}/history/1e3/", 404),
    ("/admin/encyclopedia/article/{article_id}/history/%20/", 404),
    ("/admin/encyclopedia/article/abc/history/1/", 404),
    ("/admin/encyclopedia/article/{article_id}/change/?_to_field=", 400),
    ("/admin/encyclopedia/article/?q=%00", 400),
    ("/admin/editorial/revision/?check_status__exact=%00", 400),  # a DataError on PostgreSQL before
]


@pytest.mark.parametrize(("path", "status"), KNOWN, ids=[path for path, _ in KNOWN])
def test_known_bad_addresses_get_a_clear_answer(client, world, reviewer, path, status):
    client.force_login(reviewer)
    url = path.format(slug=SEED_SLUG, pending=world["pending"], article_id=world["article"].pk)
    response = client.get(url)
    assert response.status_code == status, url
    if url.endswith("/{pending}/change/".format(**world)):
        assert response["Location"].endswith(f"/{world['pending']}/review/")


def test_the_walk_covers_every_pattern_and_its_parameters(world):
    templates = dict(url_templates())
    # A few that must be there: the walk reaches the site, the admin and simple_history's views.
    assert "/articles/{slug}/diff/{old_id}/{new_id}/" in templates
    assert "/admin/editorial/revision/{object_id}/change/" in templates
    assert "/admin/encyclopedia/article/{arg0}/history/{arg1}/" in templates
    # And every one of them has a valid address to start from.
    for template, names in templates.items():
        template.format(**{name: valid_value(template, name, world) for name in names})


@pytest.mark.parametrize("role", ["anonymous", "reviewer", "superuser"])
def test_no_url_answers_with_a_server_error(client, world, reviewer, role):
    if role == "reviewer":
        client.force_login(reviewer)
    elif role == "superuser":
        client.force_login(world["admin"])
    failures = walk_all(client, requests_for(world))
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


# --- Hostile form values on the POSTs that are not admin forms ---------------------------

FORM_VALUES = ["", " ", "x" * 100_000, SCRIPT, "' OR '1'='1", "\u202e", "1e3", "²"]


def _new_article(value: str) -> dict:
    """The admin's add form with every field (one infobox row, one section) set to `value`."""
    rows = {f"{prefix}-{name}": number for prefix in ("infobox_fields", "sections")
            for name, number in (("TOTAL_FORMS", "1"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"),
                                 ("MAX_NUM_FORMS", "1000"))}
    fields = {"title": value, "lead": value, "summary": value, "infobox_fields-0-key": value,
              "infobox_fields-0-value": value, "infobox_fields-0-position": value,
              "sections-0-heading": value, "sections-0-body": value, "sections-0-position": value}
    return {**rows, **fields}


def posts_for(world) -> list[tuple[str, dict]]:
    restore = f"/articles/{SEED_SLUG}/revisions/{world['first']}/restore/"
    review = f"/admin/editorial/revision/{world['pending']}/review/"
    posts = []
    # The admin form refuses a NUL as a field error, so it gets one too.
    for value in [*FORM_VALUES, "a\x00b", "9" * 40, "-1"]:
        posts.append(("/admin/encyclopedia/article/add/", _new_article(value)))
    for value in FORM_VALUES:
        posts.append((restore, {"summary": value}))
        posts.append((review, {"action": value}))
        for action, field in [("reject", "reason"), ("approve-override", "override_reason"),
                              ("withdraw", "withdraw_reason"), ("approve", "reason")]:
            posts.append((review, {"action": action, field: value}))
    return posts


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_no_post_answers_with_a_server_error(client, world, reviewer, editor2, role):
    # editor2 wrote the pending revision: the author may withdraw it, a reviewer may decide it.
    client.force_login(reviewer if role == "reviewer" else editor2)
    failures = []
    for url, data in posts_for(world):
        try:
            response = client.post(url, data)
        except Exception as error:  # noqa: BLE001 - an escaping exception is what this test looks for
            failures.append(f"POST {url} {str(data)[:80]} raised {type(error).__name__}: {str(error)[:200]}")
            continue
        if response.status_code >= 500:
            failures.append(f"POST {url} {str(data)[:80]} answered {response.status_code}")
    assert not failures, "\n".join(failures)


# A NUL cannot be stored by PostgreSQL (text, json): each such POST must be refused, nothing recorded.


@pytest.fixture
def pending_with_errors(published_seed, seed_content, editor2):
    return propose_checked(actor=editor2, content=with_infobox(seed_content, "Date", None), summary="no date")


@pytest.mark.parametrize(
    ("who", "data"),
    [
        ("reviewer", {"action": "reject", "reason": "un\x00sourced"}),
        ("reviewer", {"action": "approve-override", "override_reason": "se\x00en"}),
        ("author", {"action": "withdraw", "withdraw_reason": "oo\x00ps"}),
    ],
    ids=["reject", "override", "withdraw"],
)
def test_a_nul_in_a_decision_is_refused(client, pending_with_errors, reviewer, editor2, who, data):
    from editorial.models import Event

    client.force_login(reviewer if who == "reviewer" else editor2)
    events = Event.objects.count()
    response = client.post(f"/admin/editorial/revision/{pending_with_errors.id}/review/", data)
    assert response.status_code == 400  # the page again, saying what is wrong with the form
    assert "NUL" in response.content.decode()
    assert Event.objects.count() == events


def test_a_nul_in_a_restore_summary_is_refused(client, world, editor):
    from editorial.models import Event

    client.force_login(editor)
    events = Event.objects.count()
    url = f"/articles/{SEED_SLUG}/revisions/{world['first']}/restore/"
    response = client.post(url, {"summary": "back\x00"}, follow=True)
    assert response.status_code == 200
    assert "The edit summary holds a NUL character" in response.content.decode()
    assert Event.objects.count() == events
