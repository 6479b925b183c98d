"""The consistency report's admin page: both articles linked, the revision named, filterable, read-only."""

import pytest
from django.urls import reverse

from editorial.models import ConsistencyEntry
from tests.editorial.links.test_linked_rechecks import publish
from tests.support.linked_articles import tongo_tongo

pytestmark = pytest.mark.django_db


@pytest.fixture
def disagreement(seed_content, editor, reviewer):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(), editor, reviewer)
    return publish(tongo_tongo(niger_killed=5), editor, reviewer)


def test_the_report_links_both_articles_and_the_revision_since_when(client, reviewer, disagreement):
    client.force_login(reviewer)
    url = reverse("admin:editorial_consistencyentry_changelist")
    page = client.get(url).content.decode()
    assert 'href="/articles/2017-ayorou-attack/"' in page and 'href="/articles/tongo-tongo-ambush/"' in page
    assert reverse("admin:editorial_revision_review", args=[disagreement.id]) in page
    assert f"revision {disagreement.id}" in page
    assert "counts four killed (Niger) in the Tongo Tongo ambush" in page
    assert "Occurring just weeks after a similar attack" in page

    open_only = client.get(url, {"resolved_at__isnull": "True"}).content.decode()
    assert "2017 Ayorou attack</a> disagrees with" in open_only
    resolved_only = client.get(url, {"resolved_at__isnull": "False"}).content.decode()
    assert "disagrees with" not in resolved_only
    other_article = client.get(url, {"article": "Inates ambush"}).content.decode()
    assert "disagrees with" not in other_article
    by_title = client.get(url, {"article": "Tongo Tongo ambush"}).content.decode()
    assert "disagrees with" in by_title


def test_the_report_cannot_be_edited(client, reviewer, disagreement):
    client.force_login(reviewer)
    entry = ConsistencyEntry.objects.get()
    assert client.get(reverse("admin:editorial_consistencyentry_add")).status_code == 403
    assert client.post(reverse("admin:editorial_consistencyentry_delete", args=[entry.id]), {"post": "yes"}).status_code == 403
    assert ConsistencyEntry.objects.filter(id=entry.id).exists()
