"""Decisions reach their authors: a notification in the admin and an email, made from the committed event."""

import pytest
from django.core import mail
from django.urls import reverse

from editorial import notifications
from editorial.models import Event, Notification
from editorial.services import revision_approve, revision_propose, revision_reject, revision_withdraw
from editorial.tasks import sweep_notifications

from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(editor):
    editor.email = "eda@example.org"
    editor.save(update_fields=["email"])
    return editor


@pytest.fixture
def proposal(published_seed, seed_content, author):
    return propose_checked(actor=author, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording")


def test_a_rejection_reaches_its_author_in_the_admin_and_by_email_once_it_commits(
    proposal, author, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        revision_reject(actor=reviewer, revision_id=proposal.id, reason="Cite the army's statement.")
        assert not Notification.objects.exists() and not mail.outbox, "nothing is told before the commit"
    for callback in pending:
        callback()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.revision_id, notification.kind) == (author, proposal.id, "rejected")
    assert "rejected your revision" in notification.message and "Cite the army's statement." in notification.message
    [email] = mail.outbox
    assert email.to == ["eda@example.org"] and email.subject == notification.subject
    assert reverse("admin:editorial_revision_review", args=[proposal.id]) in email.body
    assert notification.emailed_at is not None


def test_an_approval_with_an_override_tells_the_author_why(
    published_seed, seed_content, author, reviewer, django_capture_on_commit_callbacks
):
    flawed = propose_checked(actor=author, content=with_infobox(seed_content, "Casualties2", "31 killed"), summary="toll")
    with django_capture_on_commit_callbacks(execute=True):
        revision_approve(actor=reviewer, revision_id=flawed.id, override_reason="The army's new toll is 31.")
    notification = Notification.objects.get()
    assert notification.kind == "approved" and "The army's new toll is 31." in notification.message
    assert len(mail.outbox) == 1


def test_nobody_is_told_of_their_own_decision(proposal, author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revision_withdraw(actor=author, revision_id=proposal.id)
    assert not Notification.objects.exists() and not mail.outbox


def test_a_redelivered_notification_is_made_and_emailed_once(proposal, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revision_reject(actor=reviewer, revision_id=proposal.id, reason="No source.")
    event_id = Event.objects.get(type="revision.rejected").id
    assert notifications.notify(event_id) == 0
    assert notifications.notify(event_id) == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_an_unreachable_mail_server_leaves_the_email_to_the_retry(proposal, reviewer, monkeypatch):
    revision_reject(actor=reviewer, revision_id=proposal.id, reason="No source.")  # its on-commit task never runs
    event_id = Event.objects.get(type="revision.rejected").id

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refused)
    with pytest.raises(ConnectionRefusedError):
        notifications.notify(event_id)
    assert Notification.objects.get().emailed_at is None  # the in-app notification stays, the email is due
    monkeypatch.undo()
    assert notifications.notify(event_id) == 1
    assert len(mail.outbox) == 1 and Notification.objects.get().emailed_at is not None


def test_the_sweep_makes_the_notifications_a_lost_task_never_made(proposal, reviewer, settings):
    revision_reject(actor=reviewer, revision_id=proposal.id, reason="No source.")  # its on-commit task never runs
    assert sweep_notifications() == []  # too recent: a task may be on it
    settings.STET_CHECKS_LOST_AFTER = 0
    # The seed's approval was never told either (the fixture approved it without running on-commit tasks).
    decisions = list(Event.objects.filter(type__in=["revision.approved", "revision.rejected"]).values_list("id", flat=True))
    assert sweep_notifications() == decisions and len(decisions) == 2
    assert sorted(Notification.objects.values_list("kind", flat=True)) == ["approved", "rejected"]
    assert len(mail.outbox) == 2
    assert sweep_notifications() == []


def test_each_user_sees_only_their_own_notifications_and_marks_them_read(
    client, proposal, author, editor2, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revision_reject(actor=reviewer, revision_id=proposal.id, reason="No <b>source</b>.")
    url = reverse("admin:editorial_notification_changelist")
    client.force_login(editor2)
    page = client.get(url)
    assert page.status_code == 200 and b"was rejected" not in page.content
    client.force_login(author)
    page = client.get(url)
    assert b"Notifications (1 unread)" in page.content
    assert b"No &lt;b&gt;source&lt;/b&gt;." in page.content  # what a reviewer wrote is escaped
    review = reverse("admin:editorial_revision_review", args=[proposal.id]).encode()
    assert review in page.content
    notification = Notification.objects.get()
    client.post(url, {"action": "mark_read", "_selected_action": [notification.pk]})
    assert Notification.objects.get().read_at is not None
    assert b"Notifications (1 unread)" not in client.get(url).content


def test_a_proposal_alone_notifies_nobody(published_seed, seed_content, author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revision_propose(actor=author, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="x")
    assert not Notification.objects.exists() and not mail.outbox
