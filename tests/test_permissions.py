"""Who may do what: every page and every POST, for each kind of visitor.

Anonymous readers, people without a role (with or without admin access),
editors and reviewers each get exactly the actions they may use; the
server decides, whatever a page shows.
"""

import pytest
from django.contrib.auth import get_user_model

from editorial.services import revision_approve
from editorial.models import Event, Revision
from encyclopedia.models import Article
from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "outsider", "staff", "editor", "reviewer"]
SLUG = "2017-ayorou-attack"


@pytest.fixture
def world(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    """Published seed (by eda, approved by rosa), a newer approved revision, and one pending by emil."""
    newer = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Result", "ISGS victory, post looted"), summary="result"
    )
    revision_approve(actor=reviewer2, revision_id=newer.id)
    pending = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    users = get_user_model().objects
    return {
        "first": published_seed.id,
        "pending": pending.id,
        "article_id": Article.objects.get().id,
        "users": {
            "anonymous": None,
            "outsider": users.create_user("olga", password="pw"),
            "staff": users.create_user("stan", password="pw", is_staff=True),
            "editor": editor,
            "reviewer": reviewer,
        },
    }


def client_for(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


READER = dict.fromkeys(ROLES, 200)
WORKFLOW_ONLY_ON_SITE = {"anonymous": 404, "outsider": 404, "staff": 404, "editor": 200, "reviewer": 200}
WORKFLOW_IN_ADMIN = {"anonymous": 302, "outsider": 302, "staff": 403, "editor": 200, "reviewer": 200}
NOBODY_IN_ADMIN = {"anonymous": 302, "outsider": 302, "staff": 403, "editor": 403, "reviewer": 403}

PAGES = [
    ("/", READER),
    ("/articles/{slug}/", READER),
    ("/articles/{slug}/history/", READER),
    ("/articles/{slug}/provenance/", READER),
    ("/articles/{slug}/revisions/{first}/", READER),
    ("/articles/{slug}/diff/{first}/{pending}/", WORKFLOW_ONLY_ON_SITE),
    ("/articles/{slug}/revisions/{pending}/", WORKFLOW_ONLY_ON_SITE),
    ("/admin/", {"anonymous": 302, "outsider": 302, "staff": 200, "editor": 200, "reviewer": 200}),
    ("/admin/encyclopedia/article/", WORKFLOW_IN_ADMIN),
    ("/admin/encyclopedia/article/add/", WORKFLOW_IN_ADMIN),
    ("/admin/encyclopedia/article/{article_id}/change/", WORKFLOW_IN_ADMIN),
    ("/admin/encyclopedia/article/{article_id}/history/", WORKFLOW_IN_ADMIN),
    ("/admin/encyclopedia/article/{article_id}/delete/", NOBODY_IN_ADMIN),
    ("/admin/editorial/revision/", WORKFLOW_IN_ADMIN),
    ("/admin/editorial/revision/{pending}/review/", WORKFLOW_IN_ADMIN),
    ("/admin/editorial/revision/add/", NOBODY_IN_ADMIN),
    ("/admin/editorial/revision/{pending}/delete/", NOBODY_IN_ADMIN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_pages(client, world, role, path, expected):
    url = path.format(slug=SLUG, **{k: v for k, v in world.items() if k != "users"})
    response = client_for(client, world, role).get(url)
    assert response.status_code == expected[role], f"{role} GET {url}"
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def post_restore(client, world):
    return client.post(f"/articles/{SLUG}/revisions/{world['first']}/restore/")


def post_approve(client, world):
    return client.post(f"/admin/editorial/revision/{world['pending']}/review/", {"action": "approve"})


def post_reject(client, world):
    return client.post(
        f"/admin/editorial/revision/{world['pending']}/review/", {"action": "reject", "reason": "unsourced"}
    )


def post_new_article(client, world):
    management = {
        f"{prefix}-{name}": value
        for prefix in ("infobox_fields", "sections")
        for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))
    }
    data = {"title": "Tongo Tongo ambush", "lead": "An ambush.", "summary": "new article", **management}
    return client.post("/admin/encyclopedia/article/add/", data)


# (status per role, what the allowed ones change)
POSTS = {
    "restore": (post_restore, {"anonymous": 302, "outsider": 403, "staff": 403, "editor": 302, "reviewer": 302}),
    "approve": (post_approve, {"anonymous": 302, "outsider": 302, "staff": 403, "editor": 403, "reviewer": 302}),
    "reject": (post_reject, {"anonymous": 302, "outsider": 302, "staff": 403, "editor": 403, "reviewer": 302}),
    "new article": (
        post_new_article,
        {"anonymous": 302, "outsider": 302, "staff": 403, "editor": 302, "reviewer": 302},
    ),
}
ALLOWED = {"restore": {"editor", "reviewer"}, "approve": {"reviewer"}, "reject": {"reviewer"},
           "new article": {"editor", "reviewer"}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(POSTS))
def test_posts(client, world, role, action):
    post, expected = POSTS[action]
    events_before = Event.objects.count()
    response = post(client_for(client, world, role), world)

    assert response.status_code == expected[role], f"{role} POST {action}: {response.content[:300]!r}"
    if role in ALLOWED[action]:
        assert Event.objects.count() > events_before, f"{role} may {action}, but nothing was recorded"
        assert not response["Location"].startswith("/admin/login/")
    else:
        assert Event.objects.count() == events_before, f"{role} may not {action}, but something was recorded"
        assert Revision.objects.get(id=world["pending"]).status == "pending"
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")
