"""Celery tasks: thin wrappers that take ids and call `editorial.checks`."""

from __future__ import annotations

import logging

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from . import checks, health, linked_rechecks, notifications, rebasing
from . import events as ev
from .aggregate.fold import RecordedEvent
from .errors import EditorialError

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the stream being busy. A bug in
# a rule is not one of them; check_revision records it as the rule's result.
TRANSIENT_ERRORS = (DatabaseError, EditorialError)

# What every task driven by the log needs: acknowledged only once done (so a worker killed
# mid-task leaves it to another), retried with backoff while the database or a stream is busy.
RELIABLE = dict(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=8,
)


@shared_task(name="editorial.check_revision", **RELIABLE)
def check_revision(revision_id: int) -> str:
    return checks.check_revision(revision_id)


@shared_task(name="editorial.sweep_checks", acks_late=True)
def sweep_checks() -> list[int]:
    """Re-enqueue the checks of open revisions that were lost or made with older rule versions."""
    due = checks.revisions_needing_checks()
    for revision_id in due:
        enqueue_checks(revision_id)
    health.record_sweep()  # /healthz tells from its age that beat and a worker are alive
    if due:
        logger.info("re-enqueued the checks of revisions %s", due)
    return due


@shared_task(
    name="editorial.notify",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),  # OSError: the mail server is unreachable
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=10,
)
def notify_task(event_id: int) -> int:
    return notifications.notify(event_id)


@shared_task(name="editorial.sweep_notifications", acks_late=True)
def sweep_notifications() -> list[int]:
    """Make the notifications that a lost task or an unreachable broker never made."""
    due = notifications.events_missing_notifications(
        older_than=checks.checks_lost_after(), within=timedelta(seconds=settings.STET_NOTIFY_LOOKBACK)
    )
    for event_id in due:
        notifications.notify(event_id)
    return due


@shared_task(name="editorial.rebase_stranded", **RELIABLE)
def rebase_stranded_task(event_id: int) -> dict[int, str]:
    return rebasing.rebase_stranded(event_id)


@shared_task(name="editorial.sweep_stranded", acks_late=True)
def sweep_stranded() -> list[int]:
    """Rebase the proposals an approval stranded whose rebase task was lost."""
    return rebasing.sweep_stranded()


@shared_task(name="editorial.ping")
def ping(token: str = "") -> str:
    """Does nothing: its round trip measures the broker and a worker (health checks, benchmarks)."""
    return token


def enqueue_checks(revision_id: int) -> bool:
    """Send the checks of a revision to the workers (or run them here, without a broker).

    A broker that cannot be reached loses nothing: the proposal is saved,
    and the sweep (beat, or `manage.py recheck`) sends its checks later.
    """
    try:
        check_revision.delay(revision_id)
        return True
    except Exception:  # kombu raises several types for an unreachable broker
        logger.warning("could not enqueue the checks of revision %s; the sweep will retry", revision_id, exc_info=True)
        return False


def enqueue_notifications(event: RecordedEvent) -> None:
    """Called on commit for every appended event: a decision sends its notifications to the workers."""
    if isinstance(event.payload, notifications.NOTIFYING_EVENTS):
        _send(notify_task, event.id, "the notification of event %s; the sweep will make it")


def enqueue_rebases(event: RecordedEvent) -> None:
    """Called on commit for every appended event: an approval sends the rebase of what it stranded."""
    if isinstance(event.payload, ev.RevisionApproved):
        _send(rebase_stranded_task, event.id, "the rebase after approval %s; the sweep will do it")


def _send(task, event_id: int, what: str) -> None:
    try:
        task.delay(event_id)
    except Exception:  # kombu raises several types for an unreachable broker
        logger.warning("could not enqueue " + what, event_id, exc_info=True)


@shared_task(name="editorial.linked_rechecks", **RELIABLE)
def linked_rechecks_task(event_id: int) -> dict:
    return linked_rechecks.on_approval(event_id)


@shared_task(name="editorial.sweep_linked_rechecks", acks_late=True)
def sweep_linked_rechecks() -> list[int]:
    """Run the linked rechecks of approvals whose task was lost or never sent."""
    return linked_rechecks.sweep(
        older_than=checks.checks_lost_after(), within=timedelta(seconds=settings.STET_NOTIFY_LOOKBACK)
    )


def enqueue_linked_rechecks(event: RecordedEvent) -> None:
    """Called on commit for every appended event: an approval rechecks the articles that mention it."""
    if isinstance(event.payload, ev.RevisionApproved):
        _send(linked_rechecks_task, event.id, "the linked rechecks after approval %s; the sweep will do them")
