"""Projections: keep the read models in step with each appended event.

Live commands and `replay_events` call the same `project()`, so a replay
from an empty database writes exactly what the live path wrote, history
rows included (they carry the event's actor, time and revision).
"""

from __future__ import annotations

import dataclasses

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from encyclopedia.content import ArticleContent
from encyclopedia.infobox import kind_of
from encyclopedia.models import Article, InfoboxField, Section

from . import events as ev
from .aggregate.fold import RecordedEvent, RevisionState
from .models import Revision


def project(event: RecordedEvent, revision: RevisionState, *, content_loader) -> None:
    """Apply one event, given the revision's state after it."""
    _project_revision_row(event, revision)
    if isinstance(event.payload, ev.RevisionApproved):
        approver = get_user_model()(pk=event.actor_id) if event.actor_id else None
        publish(
            stream=event.stream,
            revision_id=revision.id,
            content=content_loader(revision.content_hash),
            approver=approver,
            at=event.recorded_at,
        )


# The Revision columns that hold the state's field of the same name; `slug`
# and `check_findings` are derived from the state in `revision_row_values`.
_FOLDED_COLUMNS = tuple(
    field.attname
    for field in Revision._meta.concrete_fields
    if field.attname != "id" and field.attname in {state_field.name for state_field in dataclasses.fields(RevisionState)}
)


def revision_row_values(revision: RevisionState) -> dict:
    values = {column: getattr(revision, column) for column in _FOLDED_COLUMNS}
    values["slug"] = slugify(revision.title)
    values["check_findings"] = revision.recorded_findings()
    return values


# The columns each kind of event determines. A decision is folded at the
# article stream's head and a check result at the revision's checks head,
# so each writes only its own columns: a check run's row update cannot undo
# a decision committed meanwhile in the other stream, nor the reverse.
_DECISION_COLUMNS = ("status", "decided_by_id", "decided_at", "decision_reason", "override_reason")
_CHECK_COLUMNS = ("check_status", "check_findings", "check_rule_versions", "checks_started_at", "checks_concluded_at")
_COLUMNS_OF = {
    ev.RevisionApproved: _DECISION_COLUMNS,
    ev.RevisionRejected: _DECISION_COLUMNS,
    ev.RevisionWithdrawn: _DECISION_COLUMNS,
    **{check_event: _CHECK_COLUMNS for check_event in ev.CHECK_EVENTS},
}


def _project_revision_row(event: RecordedEvent, revision: RevisionState) -> None:
    values = revision_row_values(revision)
    if isinstance(event.payload, ev.RevisionProposed):
        Revision.objects.create(id=revision.id, **values)
        return
    columns = _COLUMNS_OF[type(event.payload)]
    Revision.objects.filter(id=revision.id).update(**{name: values[name] for name in columns})


def project_check_run(before: RevisionState, after: RevisionState) -> None:
    """Apply a check run's events of one revision at once: one UPDATE of the check columns that changed.

    Check events write only the check columns (`_CHECK_COLUMNS`), and
    the row holds the state before them, so the columns whose folded
    value moved are all there is to write.
    """
    old, new = revision_row_values(before), revision_row_values(after)
    changed = {name: new[name] for name in _CHECK_COLUMNS if new[name] != old[name]}
    if changed:
        Revision.objects.filter(id=after.id).update(**changed)


def change_reason(revision_id: int) -> str:
    """The history row's change reason: a label for people (the admin shows it); the row's `revision_id` is the record."""
    return f"revision {revision_id}"


def _stamp(instance, *, user, revision_id: int, at) -> None:
    """Name the real approver and revision in the history row, never a thread-local guess."""
    instance._history_user = user
    instance._history_revision_id = revision_id  # the history row's revision_id (encyclopedia.models.PublishedHistory)
    instance._change_reason = change_reason(revision_id)
    instance._history_date = at


# The published tables, as `published_rows` names them (verify_history reads them the same way).
ARTICLE, INFOBOX, SECTION = "article row", "infobox field", "section"


def published_rows(*, stream, revision_id: int, at, content: ArticleContent) -> dict[tuple[str, str], dict]:
    """Every row of the published tables for this content, by (table, key): what `publish` makes them equal to."""
    rows = {
        (ARTICLE, ""): {
            "stream": stream,
            "title": content.title,
            "slug": content.slug,
            "lead": content.lead,
            "current_revision_id": revision_id,
            "published_at": at,
        }
    }
    # A repeated key or heading: the last one wins.
    for position, entry in enumerate(content.infobox):
        rows[(INFOBOX, entry.key)] = {
            "key": entry.key,
            "value": entry.value,
            "position": position,
            "kind": kind_of(entry.key).value,
        }
    for position, section in enumerate(content.sections):
        rows[(SECTION, section.heading)] = {
            "heading": section.heading,
            "body": section.body,
            "position": position,
            "compact_heading": section.compact_heading,
            "blank_line_after_heading": section.blank_line_after_heading,
        }
    return rows


def publish(*, stream, revision_id: int, content: ArticleContent, approver, at) -> Article:
    """Make the published tables equal to `content`, writing only rows that change."""
    stamp = {"user": approver, "revision_id": revision_id, "at": at}
    rows = published_rows(stream=stream, revision_id=revision_id, at=at, content=content)
    article_values = rows[(ARTICLE, "")]
    article = Article.objects.filter(stream=stream).first()
    if article is None:
        article = Article(**article_values)
        _stamp(article, **stamp)
        article.save()
        existing_fields, existing_sections = [], []
    else:
        _save_if_changed(article, article_values, stamp)
        existing_fields, existing_sections = article.infobox_fields.all(), article.sections.all()

    def wanted(table: str) -> dict:
        return {key: values for (row_table, key), values in rows.items() if row_table == table}

    _sync_rows(
        model=InfoboxField,
        article=article,
        existing={field.key: field for field in existing_fields},
        wanted=wanted(INFOBOX),
        stamp=stamp,
    )
    _sync_rows(
        model=Section,
        article=article,
        existing={section.heading: section for section in existing_sections},
        wanted=wanted(SECTION),
        stamp=stamp,
    )
    return article


def _sync_rows(*, model, article, existing: dict, wanted: dict, stamp: dict) -> None:
    """Create, update or delete the article's rows of `model` (matched by key) so they equal `wanted`."""
    for key, values in wanted.items():
        row = existing.pop(key, None)
        if row is None:
            row = model(article=article, **values)
            _stamp(row, **stamp)
            row.save()
        else:
            _save_if_changed(row, values, stamp)
    for removed in existing.values():
        _stamp(removed, **stamp)
        removed.delete()


def _save_if_changed(instance, values: dict, stamp: dict) -> None:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(instance, name, values[name])
    _stamp(instance, **stamp)
    instance.save(update_fields=changed)
