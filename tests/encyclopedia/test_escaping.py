"""Whatever authors write is shown as text: no markup, no script, no javascript: link gets through."""

import datetime

import pytest

from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent
from encyclopedia.models import Article

from tests.support.factories import propose_checked, publish, with_lead
from tests.support.html import assert_inert, html_of
from tests.support.payloads import ATTRIBUTE, JAVASCRIPT, PAYLOADS, SCRIPT

pytestmark = pytest.mark.django_db
PAYLOADS_ONLY = "Only hostile text, to see it shown as text; no infobox needed."


def payload_article(suffix: str = "") -> ArticleContent:
    return ArticleContent(
        title=f"Payload {SCRIPT} {ATTRIBUTE}{suffix}",
        lead=f"Lead {PAYLOADS}{suffix}",
        infobox=(
            InfoboxEntry("Conflict", f"{SCRIPT}{suffix}"),
            InfoboxEntry("Place", f"{ATTRIBUTE}{suffix}"),
            InfoboxEntry("Result", f"{JAVASCRIPT}{suffix}"),
            InfoboxEntry(f'Key"><img src=x onerror=alert(1)>{suffix}', f"value {PAYLOADS}"),
        ),
        sections=(
            SectionContent(f"Heading {SCRIPT}", f"Body {PAYLOADS}{suffix}\n\n- item {ATTRIBUTE}{suffix}"),
            SectionContent(f'Heading {ATTRIBUTE}', f"Second body {SCRIPT}{suffix}"),
            SectionContent("See also", f"- {JAVASCRIPT}\n- {ATTRIBUTE}\n- {SCRIPT}{suffix}"),
        ),
    )


@pytest.fixture
def payloads(db, editor, reviewer, reviewer2):
    """Two approved revisions full of payloads, a pending one, and an article the See also list names."""
    # Neither has the infobox every article needs: the checks' errors are overridden, with a reason.
    target = publish(
        ArticleContent(title=JAVASCRIPT, lead="A harmless article."),
        author=editor,
        reviewer=reviewer,
        override_reason="A stub; its infobox comes next.",
    )
    first = publish(
        payload_article(),
        author=editor,
        reviewer=reviewer,
        summary=f"Summary {PAYLOADS}",
        override_reason=PAYLOADS_ONLY,
    )
    second = publish(
        payload_article(" again"),
        author=editor,
        reviewer=reviewer2,
        summary=f"Second summary {PAYLOADS}",
        stream=first.stream,
        # The missing Date is inherited from the first: it no longer needs an override.
    )
    pending = propose_checked(
        actor=editor, content=with_lead(payload_article(" again"), f"Pending {PAYLOADS}"), summary=f"Pending {SCRIPT}"
    )
    article = Article.objects.get(stream=first.stream)
    return {"target": target, "first": first, "second": second, "pending": pending, "slug": article.slug}


def pages(payloads) -> list[str]:
    slug, first, second, pending = payloads["slug"], payloads["first"].id, payloads["second"].id, payloads["pending"].id
    base = f"/articles/{slug}/"
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    return [
        "/",
        base,
        f"{base}?as_of={today}",
        f"{base}history/",
        f"{base}provenance/",
        f"{base}revisions/{first}/",
        f"{base}revisions/{second}/",
        f"{base}revisions/{pending}/",
        f"{base}diff/{first}/{second}/",
        f"{base}diff/{second}/{first}/",
        f"{base}diff/{second}/{pending}/",
        "/articles/javascriptalert1/",
    ]


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_no_payload_becomes_markup_on_any_page(client, payloads, editor, who):
    if who == "editor":
        client.force_login(editor)
    for url in pages(payloads):
        response = client.get(url)
        if who == "reader" and url.endswith(f"/{payloads['pending'].id}/"):
            assert response.status_code == 404, url  # readers never see the pending revision
            continue
        assert response.status_code == 200, url
        assert_inert(html_of(response))


def test_payloads_are_shown_as_text(client, payloads):
    base = f"/articles/{payloads['slug']}/"
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    escaped_attribute = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"

    article = html_of(client.get(base))
    assert f"<h1 class=\"article-title\">Payload {escaped_script} {escaped_attribute} again</h1>" in article
    assert f"<h2>Heading {escaped_script}</h2>" in article
    assert f"<h2>Heading {escaped_attribute}</h2>" in article
    assert f"<td>{escaped_script} again" in article  # an infobox value
    assert f"Key{escaped_attribute} again</th>" in article  # an infobox key

    history = html_of(client.get(f"{base}history/"))
    assert f"Second summary {escaped_script} {escaped_attribute} javascript:alert(1)" in history

    diff = html_of(client.get(f"{base}diff/{payloads['first'].id}/{payloads['second'].id}/"))
    assert escaped_script in diff and escaped_attribute in diff
    assert '<ins class="diff-ins"> again</ins>' in diff  # the only markup: the diff's own


def test_see_also_links_are_built_from_slugs_only(client, payloads):
    html = html_of(client.get(f"/articles/{payloads['slug']}/"))
    # The item names an existing article: the link goes to its address, never to the text.
    assert '<li><a href="/articles/javascriptalert1/">javascript:alert(1)</a></li>' in html
    # Items naming no article stay text, marked as missing (a red link without a link).
    assert (
        '<li><span class="missing-page" title="Page does not exist">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</span></li>'
        in html
    )
    assert 'href="javascript' not in html.lower()
