"""The rebuild's writers: each projected row written once, with its final values, and history rows in bulk.

The live path (`projections.project`) writes a revision's row at every
event and publishes each approval row by row, each save making its own
django-simple-history row. A rebuild knows more: it sees every event in
order, so it keeps the rows being written in memory (a bounded number of
them, least recently used first out), writes each one when it leaves
memory or at the end, and inserts the history rows in batches. What it
writes equals what the live path writes, row for row:
- a revision's row holds `revision_row_values` of its last state, which
  is what the live path's updates of each event's columns leave;
- an approval makes the history rows `publish` makes (+, ~, -; the
  article row, then the infobox fields, then the sections, each in the
  order `publish` saves them), with the live row's id, the approver, the
  approval's time, the revision and `change_reason`;
- live rows get their ids from the table's own sequence, as a save would.

Rows that leave memory are written to their tables, and read back from
them if a later event needs them again, so memory stays flat however
long the log is.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import connection

from encyclopedia.content import ArticleContent
from encyclopedia.models import Article, InfoboxField, Section

from .aggregate.fold import RecordedEvent, RevisionState
from .models import Revision
from .projections import ARTICLE, INFOBOX, SECTION, change_reason, published_rows, revision_row_values
from .verify_history import _VALUE_FIELDS

MODELS = {ARTICLE: Article, INFOBOX: InfoboxField, SECTION: Section}
# Read once: simple-history builds a new manager on every `Model.history` access.
HISTORY_MODELS = {table: model.history.model for table, model in MODELS.items()}
# The columns `published_rows` gives for each table (the row's id and article are kept apart).
_VALUE_COLUMNS = _VALUE_FIELDS
_KEY_COLUMN = {INFOBOX: "key", SECTION: "heading"}


def insert_rows(model, rows: list[dict], *, batch_size: int) -> None:
    """INSERT rows (column attname -> value, the same columns in each) with executemany.

    Each value is prepared by its field as `bulk_create` prepares it; what
    this saves is the ORM building a model instance and compiling a
    statement for every batch of rows.
    """
    if not rows:
        return
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = list(rows[0])
    prepare = [fields[name].get_db_prep_save for name in names]
    columns = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
    statement = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(
                statement,
                [
                    [prep(row[name], connection) for prep, name in zip(prepare, names)]
                    for row in rows[start : start + batch_size]
                ],
            )


class RevisionRows:
    """Writes each revision's row from its state: new rows in batches, rows written before by an update."""

    def __init__(self, *, batch_size: int):
        self.batch_size = batch_size
        self._new: list[dict] = []

    def write(self, state: RevisionState, *, exists: bool) -> None:
        values = revision_row_values(state)
        if exists:
            self.flush()  # its row may still be waiting in the batch
            Revision.objects.filter(id=state.id).update(**values)
            return
        self._new.append({"id": state.id, **values})
        if len(self._new) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._new:
            insert_rows(Revision, self._new, batch_size=self.batch_size)
            self._new = []


class IdSequence:
    """Ids for new rows of a table, taken from the table's own sequence, as a save would take them."""

    def __init__(self, model, *, block: int = 1000):
        self.table = model._meta.db_table
        self.block = block
        self._ids: list[int] = []
        self._next_sqlite_id: int | None = None

    def take(self) -> int:
        if connection.vendor == "postgresql":
            if not self._ids:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                        [self.table, self.block],
                    )
                    self._ids = [row[0] for row in cursor.fetchall()][::-1]
            return self._ids.pop()
        if self._next_sqlite_id is None:
            # AUTOINCREMENT never reuses an id, even a deleted row's: continue after the highest ever given.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}")
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
            self._next_sqlite_id = max(highest, row[0] if row else 0) + 1
        taken, self._next_sqlite_id = self._next_sqlite_id, self._next_sqlite_id + 1
        return taken


@dataclass
class _Row:
    id: int
    values: dict
    stored: bool  # the live table holds this row (with the values it had when last written)
    changed: bool = False  # its values differ from the stored ones, or it is not stored yet


@dataclass
class _PublishedArticle:
    rows: dict = field(default_factory=dict)  # (table, key) -> _Row, as `published_rows` keys them
    removed: list = field(default_factory=list)  # (table, id) of stored rows deleted since

    @property
    def id(self) -> int:
        return self.rows[(ARTICLE, "")].id


class Publisher:
    """Publishes approvals as `projections.publish` does, keeping at most `capacity` articles in memory."""

    def __init__(self, *, capacity: int, batch_size: int):
        self.capacity, self.batch_size = capacity, batch_size
        self._articles: OrderedDict = OrderedDict()  # stream -> _PublishedArticle, least recently used first
        self._ids = {table: IdSequence(model) for table, model in MODELS.items()}
        self._history: dict[str, list] = {table: [] for table in MODELS}

    def approve(self, event: RecordedEvent, revision: RevisionState, content: ArticleContent) -> None:
        article = self._article(event.stream)
        wanted = published_rows(stream=event.stream, revision_id=revision.id, at=event.recorded_at, content=content)
        stamp = {
            "revision_id": revision.id,
            "history_user_id": event.actor_id,
            "history_date": event.recorded_at,
            "history_change_reason": change_reason(revision.id),
        }
        for table in (ARTICLE, INFOBOX, SECTION):
            for table_key, values in wanted.items():
                if table_key[0] != table:
                    continue
                row = article.rows.get(table_key)
                if row is None:
                    row = article.rows[table_key] = _Row(self._ids[table].take(), values, stored=False, changed=True)
                    self._record(table, article, row, "+", stamp)
                elif row.values != values:
                    row.values, row.changed = values, True
                    self._record(table, article, row, "~", stamp)
            # `publish` deletes the rows left over in the order it read them: by position.
            gone = sorted(
                (key for key in article.rows if key[0] == table and key not in wanted),
                key=lambda key: (article.rows[key].values["position"], article.rows[key].id),
            )
            for table_key in gone:
                row = article.rows.pop(table_key)
                self._record(table, article, row, "-", stamp)
                if row.stored:
                    article.removed.append((table, row.id))
        for rows in self._history.values():
            if len(rows) >= self.batch_size:
                self._write_history()
                break

    def flush(self) -> None:
        """Write every article still in memory, and every history row still waiting."""
        self._write_articles(list(self._articles.values()))
        self._articles.clear()
        self._write_history()

    # --- Reading -------------------------------------------------------------------

    def _article(self, stream) -> _PublishedArticle:
        article = self._articles.pop(stream, None)
        if article is None:
            article = self._read_article(stream)
        self._articles[stream] = article
        if len(self._articles) > self.capacity:
            _, evicted = self._articles.popitem(last=False)
            self._write_articles([evicted])
        return article

    def _read_article(self, stream) -> _PublishedArticle:
        """An article written out earlier in this rebuild, read back from its rows (or a new one)."""
        article = _PublishedArticle()
        found = Article.objects.filter(stream=stream).values("id", *_VALUE_COLUMNS[ARTICLE]).first()
        if found is None:
            return article
        article_id = found.pop("id")
        article.rows[(ARTICLE, "")] = _Row(article_id, found, stored=True)
        for table in (INFOBOX, SECTION):
            rows = MODELS[table].objects.filter(article_id=article_id).order_by("position")
            for values in rows.values("id", *_VALUE_COLUMNS[table]):
                row_id = values.pop("id")
                article.rows[(table, values[_KEY_COLUMN[table]])] = _Row(row_id, values, stored=True)
        return article

    # --- Writing -------------------------------------------------------------------

    def _record(self, table: str, article: _PublishedArticle, row: _Row, change: str, stamp: dict) -> None:
        owner = {} if table == ARTICLE else {"article_id": article.id}
        self._history[table].append({"id": row.id, **owner, **row.values, "history_type": change, **stamp})

    def _write_history(self) -> None:
        for table, rows in self._history.items():
            if rows:
                insert_rows(HISTORY_MODELS[table], rows, batch_size=self.batch_size)
        self._history = {table: [] for table in MODELS}

    def _write_articles(self, articles: list[_PublishedArticle]) -> None:
        """Updates, then deletes, then inserts: a key deleted and added again must not meet itself."""
        removed = {table: [] for table in MODELS}
        new = {table: [] for table in MODELS}
        for article in articles:
            for table, row_id in article.removed:
                removed[table].append(row_id)
            article.removed = []
            for (table, _key), row in article.rows.items():
                if not row.changed:
                    continue
                owner = {} if table == ARTICLE else {"article_id": article.id}
                if row.stored:
                    MODELS[table].objects.filter(id=row.id).update(**row.values)
                else:
                    new[table].append({"id": row.id, **owner, **row.values})
                row.stored, row.changed = True, False
        for table in (SECTION, INFOBOX):
            ids = removed[table]
            for start in range(0, len(ids), self.batch_size):
                # A raw delete: the ORM's would send simple-history a "-" row, already recorded above.
                MODELS[table].objects.filter(id__in=ids[start : start + self.batch_size])._raw_delete(connection.alias)
        for table in (ARTICLE, INFOBOX, SECTION):
            insert_rows(MODELS[table], new[table], batch_size=self.batch_size)
