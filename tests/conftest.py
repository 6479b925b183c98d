"""Shared fixtures: the workflow's people and the seed article.

PostgreSQL: tests marked `postgresql` run only in the PostgreSQL pass of
the test command (DATABASE_URL=postgres://...). When that pass cannot reach
PostgreSQL it stops with an error under CI=true, and skips with a reason
elsewhere.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.support.environment import SEED_PATH, using_postgresql

def pytest_collection_modifyitems(config, items):
    # PostgreSQL-only tests are not skipped on SQLite: they belong to the other pass.
    if using_postgresql():
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgresql") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep




@pytest.fixture
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


@pytest.fixture
def seed_content(seed_bytes):
    from encyclopedia.textformat import parse_bytes

    return parse_bytes(seed_bytes, source=str(SEED_PATH))


def _member(django_user_model, username: str, *groups: str):
    from editorial.roles import ensure_groups

    ensure_groups()  # a transactional test's flush empties the groups the migration made
    user = django_user_model.objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(django_user_model):
    return _member(django_user_model, "eda", "Editors")


@pytest.fixture
def editor2(django_user_model):
    return _member(django_user_model, "emil", "Editors")


@pytest.fixture
def reviewer(django_user_model):
    return _member(django_user_model, "rosa", "Reviewers")


@pytest.fixture
def reviewer2(django_user_model):
    return _member(django_user_model, "ravi", "Reviewers")


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user(username="olga", password="pw")


@pytest.fixture
def published_seed(db, editor, reviewer, seed_content):
    """The seed article proposed by `editor` and approved by `reviewer`."""
    from editorial.services import revision_approve

    from tests.support.factories import propose_checked

    revision = propose_checked(actor=editor, content=seed_content, summary="Import of the seed")
    return revision_approve(actor=reviewer, revision_id=revision.id)


@pytest.fixture
def world(published_seed, seed_content, editor2, reviewer2, django_user_model):
    """Something behind every URL pattern: the seed, a pending and a newer approved revision, a superuser.

    For the walks of every URL (tests/support/urls.py gives each parameter a value from it).
    """
    from editorial.services import revision_approve
    from encyclopedia.models import Article
    from tests.support.factories import propose_checked, with_infobox

    pending = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    newer = propose_checked(
        actor=editor2, content=with_infobox(seed_content, "Notes", "a note"), summary="note"
    )
    revision_approve(actor=reviewer2, revision_id=newer.id)
    admin = django_user_model.objects.create_superuser("ada", password="pw")
    article = Article.objects.get()
    return {
        "first": published_seed.id, "pending": pending.id, "newer": newer.id, "article": article, "admin": admin
    }
