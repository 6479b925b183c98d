"""Telling authors what happened to their proposals: a process manager driven by the event log.

A decision event (an approval, a rejection) is turned into
a `Notification` row and an email only after it commits: the services call
`enqueue_notifications` on commit, a Celery task (`editorial.notify`) runs
`notify(event_id)`, and the beat's sweep (`sweep_notifications`) makes the
ones a lost task or a dead broker never made. `notify` is idempotent: a
notification is made once per event and recipient (a unique constraint),
and its email is sent once (`emailed_at` is claimed before sending, so two
deliveries cannot both send; a worker killed between the claim and the
send loses that email, never the in-app notification).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import events as ev
from .aggregate.fold import RecordedEvent
from .models import Event, Notification, NotificationKind, Revision

logger = logging.getLogger(__name__)

NOTIFYING_EVENTS = (ev.RevisionApproved, ev.RevisionRejected)
NOTIFYING_TYPES = tuple(payload_class.type for payload_class in NOTIFYING_EVENTS)


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    revision_id: int
    kind: str
    subject: str
    message: str


def notices_of(event: RecordedEvent, revision: Revision, *, decided_by: str) -> list[Notice]:
    """Who must hear of this event, and what they read. Pure: nobody hears of their own decision."""
    if not isinstance(event.payload, NOTIFYING_EVENTS) or event.actor_id == revision.author_id:
        return []
    title = revision.title
    if isinstance(event.payload, ev.RevisionApproved):
        subject = f"Your revision {revision.id} of “{title}” was approved"
        message = f"{decided_by} approved and published your revision {revision.id} of “{title}”."
        if event.payload.override_reason:
            message += f" The consistency checks found errors; the reviewer published it anyway: {event.payload.override_reason}"
        kind = NotificationKind.APPROVED
    else:
        subject = f"Your revision {revision.id} of “{title}” was rejected"
        message = f"{decided_by} rejected your revision {revision.id} of “{title}”: {event.payload.reason}"
        kind = NotificationKind.REJECTED
    return [Notice(recipient_id=revision.author_id, revision_id=revision.id, kind=kind, subject=subject, message=message)]


def page_of(notification: Notification) -> str:
    """Where the notification leads: the conflict screen for conflicts, else the proposal's page."""
    name = "editorial_revision_rebase" if notification.kind == NotificationKind.CONFLICT else "editorial_revision_review"
    return reverse(f"admin:{name}", args=[notification.revision_id])


def link_of(notification: Notification) -> str:
    """`page_of`, absolute, for an email read outside the site."""
    return settings.STET_SITE_URL.rstrip("/") + page_of(notification)


def notify(event_id: int) -> int:
    """Make the notifications of one committed event and email them; returns how many emails were sent."""
    row = Event.objects.filter(id=event_id, type__in=NOTIFYING_TYPES).first()
    if row is None:
        return 0
    event = RecordedEvent.from_model(row)
    revision = Revision.objects.filter(id=event.revision_id).first()
    if revision is None:  # the read model is being rebuilt; the sweep comes back to it
        logger.warning("notification of event %s postponed: revision %s is not in the read model", event_id, event.revision_id)
        return 0
    decider = get_user_model().objects.filter(pk=event.actor_id).first()
    decided_by = (decider.get_full_name() or decider.get_username()) if decider else "A reviewer"
    return sum(tell(event.id, notice) for notice in notices_of(event, revision, decided_by=decided_by))


def tell(event_id: int, notice: Notice) -> int:
    """Make the notification of `notice`, caused by the event `event_id`, once; email it once. Returns emails sent."""
    return _email_once(_made_once(event_id, notice))


def _made_once(event_id: int, notice: Notice) -> Notification:
    key = {"event_id": event_id, "recipient_id": notice.recipient_id, "revision_id": notice.revision_id}
    defaults = {"kind": notice.kind, "subject": notice.subject, "message": notice.message}
    try:
        with transaction.atomic():
            notification, _created = Notification.objects.get_or_create(**key, defaults=defaults)
    except IntegrityError:  # a rival delivery made it between our read and our insert
        notification = Notification.objects.get(**key)
    return notification


def _email_once(notification: Notification) -> int:
    recipient = get_user_model().objects.filter(pk=notification.recipient_id).first()
    if notification.emailed_at is not None or recipient is None or not recipient.email:
        return 0
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return 0  # another delivery is sending it
    try:
        send_mail(
            subject=notification.subject,
            message=f"{notification.message}\n\n{link_of(notification)}\n",
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)  # the retry sends it
        raise
    return 1


def events_missing_notifications(*, older_than: timedelta, within: timedelta) -> list[int]:
    """Decision events of the last `within` that have no notification yet, once `older_than` old
    (a task may be on a younger one right now). Events that notify nobody are looked at again, which
    is cheap: `notices_of` decides without writing."""
    now = timezone.now()
    made = Notification.objects.values("event_id")
    return list(
        Event.objects.filter(type__in=NOTIFYING_TYPES, recorded_at__gte=now - within, recorded_at__lte=now - older_than)
        .exclude(id__in=made)
        .order_by("id")
        .values_list("id", flat=True)
    )
