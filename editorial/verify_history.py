"""The history rows the published tables must hold, derived from the log, and their comparison with the live ones.

`projections.publish` writes a django-simple-history row for every
published row an approval creates (+), changes (~) or deletes (-), naming
the approver (history_user), the revision (the `revision_id` column, and
for people the change reason "revision N", compared but never parsed) and
the approval's time (history_date). `expected_history` derives the same
rows from an article's approvals alone, from the row values `publish`
itself is built on (`projections.published_rows`), so that verifying
writes nothing: replaying `project()` inside a transaction rolled back
afterwards would take the write locks of every published row for the whole
run (and on SQLite the database's write lock), holding up live approvals,
and would still need this comparison.

Rows are matched by what a rebuild keeps, never by surrogate ids (which a
rebuild renumbers): the article's stream, the table, the infobox key or
section heading, and the revision.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article, InfoboxField, Section

from .projections import ARTICLE, INFOBOX, SECTION, change_reason, published_rows


@dataclass(frozen=True)
class Approval:
    revision_id: int
    approver_id: int | None
    at: datetime
    content: ArticleContent


@dataclass(frozen=True)
class HistoryRow:
    stream: uuid.UUID
    table: str
    key: str  # "" for the article row, else the infobox key or the section heading
    revision_id: int
    change: str  # "+", "~" or "-"
    approver_id: int | None
    at: datetime
    values: dict


def expected_history(stream, approvals: Iterable[Approval]) -> list[HistoryRow]:
    """The history rows that publishing these approvals, in order, writes for one article."""
    current: dict[tuple[str, str], dict] = {}
    history = []
    for approval in approvals:
        wanted = published_rows(stream=stream, revision_id=approval.revision_id, at=approval.at, content=approval.content)

        def row(table_key, change, values):
            return HistoryRow(stream, *table_key, approval.revision_id, change, approval.approver_id, approval.at, values)

        for table_key, values in wanted.items():
            before = current.get(table_key)
            if before is None:
                history.append(row(table_key, "+", values))
            elif before != values:
                history.append(row(table_key, "~", values))
        history.extend(row(table_key, "-", values) for table_key, values in current.items() if table_key not in wanted)
        current = wanted
    return history


# --- The live rows -------------------------------------------------------------

_VALUE_FIELDS = {
    ARTICLE: ("stream", "title", "slug", "lead", "current_revision_id", "published_at"),
    INFOBOX: ("key", "value", "position", "kind"),
    SECTION: ("heading", "body", "position", "compact_heading", "blank_line_after_heading"),
}
_HISTORY_FIELDS = (
    "history_id", "history_type", "history_user_id", "revision_id", "history_change_reason", "history_date"
)


@dataclass(frozen=True)
class LiveRow:
    history_id: int
    stream: uuid.UUID | None
    table: str
    key: str
    revision_id: int | None
    reason: str
    change: str
    approver_id: int | None
    at: datetime
    values: dict


def live_history() -> Iterable[LiveRow]:
    """Every history row of the three published tables (three queries, streamed)."""
    article_streams = dict(Article.objects.values_list("id", "stream"))
    sources = (
        (ARTICLE, Article.history, None),
        (INFOBOX, InfoboxField.history, "key"),
        (SECTION, Section.history, "heading"),
    )
    for table, manager, key_field in sources:
        extra = () if key_field is None else ("article_id",)
        fields = (*_VALUE_FIELDS[table], *_HISTORY_FIELDS, *extra)
        for row in manager.order_by("history_id").values(*fields).iterator(chunk_size=2000):
            yield LiveRow(
                history_id=row["history_id"],
                stream=row["stream"] if key_field is None else article_streams.get(row["article_id"]),
                table=table,
                key="" if key_field is None else row[key_field],
                revision_id=row["revision_id"],
                reason=row["history_change_reason"] or "",
                change=row["history_type"],
                approver_id=row["history_user_id"],
                at=row["history_date"],
                values={name: row[name] for name in _VALUE_FIELDS[table]},
            )


# --- The comparison --------------------------------------------------------------


def compare_history(
    expected: Iterable[HistoryRow],
    live: Iterable[LiveRow],
    *,
    article_names: dict,
    skip_streams: set,
    describe_user: Callable[[int | None], str],
    add: Callable[[str], None],
) -> int:
    """Report every difference between the expected and live rows; returns the number of live rows read."""
    wanted: dict[tuple, HistoryRow] = {}
    for row in expected:
        wanted[(row.stream, row.table, row.key, row.revision_id)] = row
    seen = 0
    for row in live:
        seen += 1
        if row.stream in skip_streams:
            continue
        name = repr(article_names.get(row.stream, str(row.stream)))
        label = f"{row.table} {row.key!r}" if row.key else row.table
        if row.stream is None:
            add(f"history row {row.history_id} of {label} belongs to no published article")
            continue
        revision_id = row.revision_id
        if revision_id is None:
            add(f"history of {name}: history row {row.history_id} of {label} names no revision ({row.reason!r})")
            continue
        expected_row = wanted.pop((row.stream, row.table, row.key, revision_id), None)
        where = f"history of {name}, {label}"
        if expected_row is None:
            add(f"{where}: a history row for revision {revision_id} that the log does not imply")
            continue
        for difference in _row_differences(expected_row, row, describe_user):
            add(f"{where}, revision {revision_id}: {difference}")
    for row in wanted.values():
        name = repr(article_names.get(row.stream, str(row.stream)))
        label = f"{row.table} {row.key!r}" if row.key else row.table
        add(
            f"history of {name}, {label}: no history row for revision {row.revision_id} "
            f"(the log says {row.change!r} by {describe_user(row.approver_id)} at {row.at.isoformat()})"
        )
    return seen


def _row_differences(expected: HistoryRow, live: LiveRow, describe_user) -> list[str]:
    differences = []
    if live.approver_id != expected.approver_id:
        differences.append(
            f"approver is {describe_user(live.approver_id)}, the log says {describe_user(expected.approver_id)}"
        )
    if live.at != expected.at:
        differences.append(f"date is {live.at.isoformat()}, the log says {expected.at.isoformat()}")
    if live.change != expected.change:
        differences.append(f"change is {live.change!r}, the log says {expected.change!r}")
    if live.reason != change_reason(expected.revision_id):
        differences.append(f"change reason is {live.reason!r}, the log says {change_reason(expected.revision_id)!r}")
    for name, value in expected.values.items():
        if live.values.get(name) != value:
            differences.append(f"{name} is {_short(live.values.get(name))}, the log says {_short(value)}")
    return differences


def _short(value, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
