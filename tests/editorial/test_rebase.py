"""Merge instead of redo: an approval carries the article's other open proposals onto it.

Clean merges become a new proposal by the same author, checked again and in
review; conflicts write nothing and tell the author, who resolves them on
the conflict screen.
"""

import dataclasses

import pytest
from django.urls import reverse

from editorial import rebasing, replay, services
from editorial.errors import InvalidTransition, MergeConflicts, NotAllowed
from editorial.models import Event, Notification, Revision
from editorial.services import revision_approve, revision_propose, revision_rebase
from editorial.store import load_content

from tests.support.factories import client_for, propose_checked, with_infobox

pytestmark = pytest.mark.django_db


def with_section_body(content, heading, old, new):
    sections = tuple(
        dataclasses.replace(section, body=section.body.replace(old, new)) if section.heading == heading else section
        for section in content.sections
    )
    assert sections != content.sections, f"{old!r} is not in {heading}"
    return dataclasses.replace(content, sections=sections)


def approve_and_run_after_commit(reviewer, revision_id, capture):
    with capture(execute=True):
        revision_approve(actor=reviewer, revision_id=revision_id)


@pytest.fixture
def two_proposals(published_seed, seed_content, editor, editor2):
    first = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="result")
    second = propose_checked(
        actor=editor2,
        content=with_section_body(seed_content, "Attack", "intersected", "intercepted"),
        summary="typo in the Attack section",
    )
    return first, second


def test_an_approval_rebases_a_proposal_that_touched_other_places(
    two_proposals, editor2, reviewer, django_capture_on_commit_callbacks
):
    first, second = two_proposals
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)

    old = Revision.objects.get(id=second.id)
    assert old.status == "withdrawn" and "Rebased by Stet onto revision" in old.decision_reason
    rebased = Revision.objects.get(rebased_from_id=second.id)
    assert (rebased.status, rebased.author_id, rebased.base_revision_id) == ("pending", editor2.id, first.id)
    assert rebased.summary == "typo in the Attack section"
    assert rebased.check_status == "passed", "the merged proposal is checked again"
    merged = load_content(rebased.content_hash)
    assert merged.infobox_value("Result") == "ISGS tactical victory"  # the approved change
    assert "intercepted" in merged.section("Attack").body  # the rebased one
    payload = Event.objects.get(id=rebased.id).payload
    assert (payload["rebased_from"], payload["rebased_by_system"], payload["base_revision"]) == (second.id, True, first.id)
    [notice] = Notification.objects.filter(recipient=editor2)
    assert notice.kind == "rebased" and notice.revision_id == rebased.id
    # The merged proposal can be approved on top of the first: nothing was stranded.
    revision_approve(actor=reviewer, revision_id=rebased.id)


def test_a_conflict_writes_nothing_and_tells_the_author_where_to_resolve_it(
    published_seed, seed_content, editor, editor2, reviewer, django_capture_on_commit_callbacks
):
    first = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="a")
    second = propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "Nigerien victory"), summary="b")
    events_before = Event.objects.count()
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)
    assert Event.objects.count() == events_before + 1  # the approval alone
    assert Revision.objects.get(id=second.id).status == "pending"
    [notice] = Notification.objects.filter(recipient=editor2)
    assert notice.kind == "conflict" and "Result" in notice.message
    with pytest.raises(MergeConflicts) as raised:
        revision_rebase(actor=editor2, revision_id=second.id)
    [conflict] = raised.value.conflicts
    assert (conflict.base, conflict.ours, conflict.theirs) == ("ISGS victory", "Nigerien victory", "ISGS tactical victory")
    # A second run of the process manager neither rebases nor tells twice.
    approval = Event.objects.get(type="revision.approved", revision_id=first.id)
    assert rebasing.rebase_stranded(approval.id) == {second.id: "conflicts"}
    assert Notification.objects.filter(recipient=editor2).count() == 1

    resolved = revision_rebase(actor=editor2, revision_id=second.id, resolution={conflict.unit: "Nigerien tactical victory"})
    assert load_content(resolved.content_hash).infobox_value("Result") == "Nigerien tactical victory"
    assert Event.objects.get(id=resolved.id).payload["resolved_conflicts"] == [conflict.unit]


def test_only_the_author_rebases_and_only_a_stranded_proposal(two_proposals, editor, editor2, reviewer, monkeypatch):
    monkeypatch.setattr(services, "_after_event_hooks", [])  # no automatic rebase: this test does it by hand
    first, second = two_proposals
    with pytest.raises(InvalidTransition, match="nothing to rebase"):
        revision_rebase(actor=editor2, revision_id=second.id)
    revision_approve(actor=reviewer, revision_id=first.id)
    with pytest.raises(NotAllowed, match="Only the author"):
        revision_rebase(actor=editor, revision_id=second.id)
    rebased = revision_rebase(actor=editor2, revision_id=second.id)
    assert Event.objects.get(id=rebased.id).payload["rebased_by_system"] is False
    assert "Rebased by its author" in Revision.objects.get(id=second.id).decision_reason


def test_a_proposal_whose_changes_were_all_published_is_closed(
    published_seed, seed_content, editor, editor2, reviewer, monkeypatch
):
    monkeypatch.setattr(services, "_after_event_hooks", [])
    same = with_infobox(seed_content, "Result", "ISGS tactical victory")
    first = propose_checked(actor=editor, content=same, summary="a")
    second = propose_checked(actor=editor2, content=same, summary="the same change")
    revision_approve(actor=reviewer, revision_id=first.id)
    closed = revision_rebase(actor=editor2, revision_id=second.id)
    assert (closed.id, closed.status) == (second.id, "withdrawn")
    assert "are all in revision" in closed.decision_reason


def test_replay_reproduces_rebased_proposals(two_proposals, reviewer, django_capture_on_commit_callbacks):
    first, _second = two_proposals
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)
    before = list(Revision.objects.order_by("id").values())
    replay.rebuild()
    assert list(Revision.objects.order_by("id").values()) == before
    assert replay.verify().ok


def test_the_sweep_rebases_what_a_lost_task_left_stranded(two_proposals, reviewer):
    first, second = two_proposals
    revision_approve(actor=reviewer, revision_id=first.id)  # its on-commit task never runs
    assert [revision.id for revision in rebasing.stranded_revisions()] == [second.id]
    assert rebasing.sweep_stranded() == [second.id]
    assert list(rebasing.stranded_revisions()) == []
    assert Revision.objects.filter(rebased_from_id=second.id, status="pending").exists()


def test_the_conflict_screen_keeps_what_the_author_typed_and_saves_the_merge(
    published_seed, seed_content, editor, editor2, reviewer, django_capture_on_commit_callbacks
):
    first = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="a")
    second = propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "<b>Nigerien</b> victory"), summary="b")
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)
    url = reverse("admin:editorial_revision_rebase", args=[second.id])
    assert client_for(editor).post(url, {}).status_code == 403  # not the author
    client = client_for(editor2)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;b&gt;Nigerien&lt;/b&gt; victory" in html and "<b>Nigerien</b>" not in html
    assert "ISGS tactical victory" in html and 'name="unit-0"' in html
    unit = page.context["conflicts"][0].conflict.unit
    # A resolution the merge cannot use is refused with the typed text kept.
    refused = client.post(url, {"unit-0": unit, "text-0": "line one\nline two"})
    assert refused.status_code == 400 and "line one" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {"unit-0": unit, "text-0": "Nigerien victory after ISGS withdrawal"})
    rebased = Revision.objects.get(rebased_from_id=second.id)
    assert saved.status_code == 302 and saved["Location"] == reverse("admin:editorial_revision_review", args=[rebased.id])
    assert load_content(rebased.content_hash).infobox_value("Result") == "Nigerien victory after ISGS withdrawal"


def test_reviewers_and_the_author_see_where_a_rebased_proposal_comes_from_and_goes(
    two_proposals, editor2, reviewer, django_capture_on_commit_callbacks
):
    first, second = two_proposals
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)
    rebased = Revision.objects.get(rebased_from_id=second.id)
    queue = client_for(reviewer).get(reverse("admin:editorial_revision_changelist")).content.decode()
    assert f"(rebased onto revision {first.id} from revision {second.id})" in queue
    page = client_for(reviewer).get(reverse("admin:editorial_revision_review", args=[rebased.id])).content.decode()
    assert f"rebased onto revision {first.id} from" in page
    old = client_for(editor2).get(reverse("admin:editorial_revision_review", args=[second.id])).content.decode()
    assert "was rebased" in old and f'revision {rebased.id}</a>' in old


def test_the_author_of_a_stranded_proposal_is_offered_the_merge(
    published_seed, seed_content, editor, editor2, reviewer, django_capture_on_commit_callbacks
):
    first = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="a")
    second = propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "Nigerien victory"), summary="b")
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)
    url = reverse("admin:editorial_revision_review", args=[second.id])
    mine = client_for(editor2).get(url).content.decode()
    assert reverse("admin:editorial_revision_rebase", args=[second.id]) in mine
    assert f"Merge with revision {first.id}" in mine
    theirs = client_for(reviewer).get(url).content.decode()
    assert reverse("admin:editorial_revision_rebase", args=[second.id]) not in theirs
    assert "its author carries it onto the published version" in theirs


def test_a_conflict_is_told_once_while_its_notification_is_unread(
    published_seed, seed_content, editor, editor2, reviewer, django_capture_on_commit_callbacks
):
    first = propose_checked(actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="a")
    second = propose_checked(actor=editor2, content=with_infobox(seed_content, "Result", "Nigerien victory"), summary="b")
    approve_and_run_after_commit(reviewer, first.id, django_capture_on_commit_callbacks)
    third = propose_checked(
        actor=editor, content=with_infobox(load_content(Revision.objects.get(id=first.id).content_hash), "Result", "ISGS win"),
        summary="c",
    )
    approve_and_run_after_commit(reviewer, third.id, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=editor2, revision_id=second.id, kind="conflict").count() == 1
