"""The editorial event log and its read models.

`Event` is the source of truth: append-only, one stream per article (its
proposals and decisions) and one per revision (its check results; see
store.py for why), a per-stream version under a unique constraint and a
hash chain (keyed too, with STET_LOG_KEY: see logkey.py). `Stream` holds
each stream's head (version and hash) so that a writer appends only on top
of what it read, and a truncated tail is detected. `ArticleAddress` gives
each title's address one stream. `ContentBlob`
stores each distinct article content once, by hash. `Revision` is a read
model folded from the events, kept in step in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from encyclopedia.content import MAX_SLUG_LENGTH, MAX_TITLE_LENGTH, ArticleContent

from . import logkey
from .aggregate.statuses import CheckStatus, RevisionStatus

GENESIS_HASH = "0" * 64
# Revision ids are event ids, 64-bit; a larger number in an address names no revision.
MAX_REVISION_ID = 2**63 - 1


class AppendOnlyError(Exception):
    """Events, blobs and streams' history are never updated or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; they cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; they cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; they cannot be updated")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; they cannot be updated")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} {self.pk} is append-only; it cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} {self.pk} is append-only; it cannot be deleted")


class Stream(models.Model):
    """The head of one article's event stream."""

    id = models.UUIDField(primary_key=True)
    version = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"stream {self.id} at version {self.version}"


class ArticleAddress(models.Model):
    """Which stream an article address (a title's slug) belongs to: one stream per title.

    The primary key makes the claim atomic: rival first drafts of one new
    title all insert the same slug, one insert wins, and every rival then
    reads the winner's stream and proposes into it. A stream keeps the
    addresses it held before a rename, so an old address never passes
    silently to another article.
    """

    slug = models.SlugField(max_length=MAX_SLUG_LENGTH, primary_key=True)
    stream = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.slug} -> stream {self.stream}"


class ContentBlob(AppendOnlyModel):
    """One distinct article content, stored once whatever the number of revisions."""

    hash = models.CharField(max_length=64, primary_key=True)
    content = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.hash[:12]

    def to_content(self) -> ArticleContent:
        return ArticleContent.from_dict(self.content)


class Event(AppendOnlyModel):
    stream = models.UUIDField()
    version = models.PositiveIntegerField()
    type = models.CharField(max_length=64)
    payload = models.JSONField()
    # Null for the system (e.g. a consistency check run by a worker).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The revision the event concerns; a proposal's revision is its own id.
    revision_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # With STET_LOG_KEY: an HMAC of `hash` that only the key's holder can make, and which
    # key made it (a fingerprint). Empty for events written without a key (see logkey.py).
    mac = models.CharField(max_length=64, blank=True, default="")
    mac_key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "version"], name="unique_event_version_per_stream"),
        ]
        indexes = [
            models.Index(fields=["revision_id", "version"], name="event_revision_idx"),
            models.Index(fields=["stream", "type", "version"], name="event_stream_type_idx"),
            # The notification sweep: recent decisions of every stream, without reading the whole log.
            models.Index(fields=["type", "recorded_at"], name="event_type_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.id} ({self.stream}@{self.version})"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.mac_key_id:
            # Sealed here rather than by the caller, so that no path inserts an unkeyed event
            # while a key is set.
            self.seal()
        super().save(*args, **kwargs)

    def seal(self) -> None:
        """Set the hash, and the MAC when a log key is set; a bulk insert (no save()) must call this."""
        if not self.hash:
            self.hash = self.compute_hash()
        self.mac, self.mac_key_id = logkey.seal(self.hash)

    @property
    def concerns_revision(self) -> int:
        return self.revision_id if self.revision_id is not None else self.id

    def compute_hash(self) -> str:
        """The public SHA-256 hash of the event and the one before it; the MAC, if any, is over this."""
        return event_hash(
            prev_hash=self.prev_hash,
            stream=str(self.stream),
            version=self.version,
            type=self.type,
            payload=self.payload,
            actor_id=self.actor_id,
            revision_id=self.revision_id,
            recorded_at=self.recorded_at,
        )


def event_hash(*, prev_hash, stream, version, type, payload, actor_id, revision_id, recorded_at) -> str:
    body = json.dumps(
        {
            "prev": prev_hash,
            "stream": str(stream),
            "version": version,
            "type": type,
            "payload": payload,
            "actor": actor_id,
            "revision": revision_id,
            "at": recorded_at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds"),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class Revision(models.Model):
    """Read model: one row per proposed revision, folded from its events."""

    id = models.BigIntegerField(primary_key=True)  # the id of its RevisionProposed event
    stream = models.UUIDField()
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    slug = models.SlugField(max_length=MAX_SLUG_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    base_revision_id = models.BigIntegerField(null=True, blank=True)
    reverts_revision_id = models.BigIntegerField(null=True, blank=True)
    # The proposal this one continues, rebased onto a newer published revision (see events.RevisionProposed).
    rebased_from_id = models.BigIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PENDING)
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    check_status = models.CharField(max_length=20, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    check_findings = models.JSONField(default=list, blank=True)
    check_rule_versions = models.JSONField(default=dict, blank=True)
    checks_started_at = models.DateTimeField(null=True, blank=True)
    checks_concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["stream", "-id"], name="revision_stream_idx"),
            models.Index(fields=["status", "proposed_at"], name="revision_queue_idx"),
            models.Index(fields=["slug", "-id"], name="revision_slug_idx"),
            models.Index(fields=["status", "check_status"], name="revision_check_idx"),
            # The reader's "as of" page and first approval: the last (or first) approved revision of one
            # stream by decision time, found in the index whatever other articles' histories hold.
            models.Index(fields=["stream", "status", "decided_at", "id"], name="revision_as_of_idx"),
        ]
        permissions = [
            ("propose_revision", "Can propose revisions of articles"),
            ("review_revision", "Can approve or reject revisions"),
        ]

    def __str__(self) -> str:
        return f"revision {self.id} of {self.title}"

    @property
    def is_open(self) -> bool:
        """As `RevisionState.is_open`, so the decision model reads a row as it reads a folded state."""
        return self.status == RevisionStatus.PENDING


class NotificationKind(models.TextChoices):
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    REBASED = "rebased", "rebased"
    CONFLICT = "conflict", "conflicts"


class Notification(models.Model):
    """A decision told to the person it concerns: made from an event after it commits, never by a request.

    One per event and recipient (the unique constraint makes a redelivered
    task a no-op); `emailed_at` says the email went out.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="+")
    revision_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(max_length=300)
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # One event may concern several of a person's proposals (an approval strands each of them).
            models.UniqueConstraint(
                fields=["event", "recipient", "revision_id"], name="one_notification_per_event_recipient_revision"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-id"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.subject


class ArticleName(models.Model):
    """Links projection: a name by which prose or "See also" may refer to a published article.

    Keys come from `editorial.links.names_of` ("title:tongo-tongo-ambush", "event:tongo-tongo").
    Rebuilt from the published content at each approval (see links.py); replayable from Article.
    """

    key = models.CharField(max_length=300)
    stream = models.UUIDField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "stream"], name="one_article_name_per_stream")]
        indexes = [models.Index(fields=["stream"], name="article_name_stream_idx")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.stream}"


class ArticleLink(models.Model):
    """Links projection: the published article `source_stream` mentions the name `key`.

    Kept by name, not by target article, so a mention of an article not yet
    written links it as soon as it is published, without reading every article again.
    """

    source_stream = models.UUIDField()
    key = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)  # "see also" or "mention"
    source_revision_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_stream", "key", "kind"], name="one_link_per_source_key_kind")
        ]
        indexes = [models.Index(fields=["key"], name="article_link_key_idx")]

    def __str__(self) -> str:
        return f"{self.source_stream} mentions {self.key} ({self.kind})"


class ProposalMention(models.Model):
    """An open proposal mentions the name `key`, which its article as published may not.

    `ArticleLink` holds what published articles mention; a proposal that is
    the first of its article to mention B is found here, so B's approval
    checks it again too. Written by the proposal's check run before it reads
    the linked articles (so an approval committed after that read finds the
    row); rows of decided revisions are purged by the linked-rechecks sweep.
    """

    revision_id = models.BigIntegerField()
    key = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision_id", "key"], name="one_mention_per_proposal_key")]
        indexes = [models.Index(fields=["key"], name="proposal_mention_key_idx")]

    def __str__(self) -> str:
        return f"revision {self.revision_id} mentions {self.key}"


class LinkedRecheck(models.Model):
    """An approval whose linked rechecks are done: the sweep re-runs the approvals without one."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, primary_key=True, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"linked rechecks of event {self.event_id}"


class ConsistencyEntry(models.Model):
    """The consistency report: a published article that disagrees with the published article it mentions.

    One open entry per pair (a partial unique constraint); when they agree
    again the entry is closed (`resolved_at`) and kept as history.
    """

    article_stream = models.UUIDField()
    article_title = models.CharField(max_length=MAX_TITLE_LENGTH)
    article_revision_id = models.BigIntegerField()
    linked_stream = models.UUIDField()
    linked_title = models.CharField(max_length=MAX_TITLE_LENGTH)
    linked_revision_id = models.BigIntegerField(help_text="The linked article's published revision compared with.")
    since_revision_id = models.BigIntegerField(help_text="The approved revision after which they disagree.")
    findings = models.JSONField(default=list)
    detected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_revision_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "consistency entries"
        constraints = [
            models.UniqueConstraint(
                fields=["article_stream", "linked_stream"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_consistency_entry_per_pair",
            )
        ]
        indexes = [models.Index(fields=["linked_stream", "resolved_at"], name="consistency_linked_idx")]

    def __str__(self) -> str:
        return f"{self.article_title} disagrees with {self.linked_title} since revision {self.since_revision_id}"
