"""Builders for tests: edits of the seed, proposals with their checks run, users in groups, clients, publishing."""

import dataclasses

from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent


def with_infobox(content: ArticleContent, key: str, value: str | None) -> ArticleContent:
    """The content with one infobox value set (added at the end if new) or removed (None)."""
    entries = [entry for entry in content.infobox if entry.key != key or value is not None]
    if value is not None:
        if any(entry.key == key for entry in entries):
            entries = [InfoboxEntry(key, value) if entry.key == key else entry for entry in entries]
        else:
            entries.append(InfoboxEntry(key, value))
    return dataclasses.replace(content, infobox=tuple(entries))


def with_lead(content: ArticleContent, lead: str) -> ArticleContent:
    return dataclasses.replace(content, lead=lead)


def propose_checked(**kwargs):
    """Propose, then run what would run after the commit (the checks), as in production.

    Tests inside a transaction never commit, so Django would never run the
    on-commit callbacks that enqueue the checks; this runs them.
    """
    from django.test import TestCase

    from editorial.services import revision_propose

    with TestCase.captureOnCommitCallbacks(execute=True):
        return revision_propose(**kwargs)


def add_to_group(user, group_name: str):
    from django.contrib.auth.models import Group

    from editorial.roles import ensure_groups

    ensure_groups()  # a transactional test's flush empties the groups the migration made
    user.groups.add(Group.objects.get(name=group_name))
    return user


def client_for(user, **kwargs):
    """A test client signed in as `user`."""
    from django.test import Client

    client = Client(**kwargs)
    client.force_login(user)
    return client


def tongo_tongo() -> ArticleContent:
    """A second, small article."""
    return ArticleContent(
        title="Tongo Tongo ambush",
        lead="The Tongo Tongo ambush occurred on 4 October 2017.",
        sections=(SectionContent("Background", "Tongo Tongo is a village in Niger."),),
    )


def publish(content, *, author, reviewer, summary="edit", override_reason: str = "", **propose_options):
    """Propose with the checks run, then approve as a reviewer would: a refusal is never hidden.

    Without `override_reason` the approval is a plain one, and errors in the
    checks fail the test, naming them. A test that means to publish despite
    errors says so, with the reason a reviewer would give.
    """
    from editorial.errors import ChecksFailed
    from editorial.services import revision_approve

    revision = propose_checked(actor=author, content=content, summary=summary, **propose_options)
    if override_reason:
        return revision_approve(actor=reviewer, revision_id=revision.id, override_reason=override_reason)
    try:
        return revision_approve(actor=reviewer, revision_id=revision.id)
    except ChecksFailed as refusal:
        raise AssertionError(
            f"publish: the checks refuse it; pass override_reason if the test means to override: {refusal}"
        ) from refusal


def publish_ministry_update(content, *, author, reviewer):
    """Casualties1 raised from 13 to 14 killed, published: the prose still says 13, so it takes an override."""
    return publish(
        with_infobox(content, "Casualties1", "14 killed, 5 injured, 3 vehicles captured"),
        author=author,
        reviewer=reviewer,
        summary="Ministry update",
        override_reason="The ministry's later count is 14; the prose follows in the next edit.",
    )
