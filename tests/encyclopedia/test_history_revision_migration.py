"""Migration 0002 carries the revision named by a change reason, "revision N", into the history rows' column.

The test database is migrated back to 0001, rows are written there as the
code of that time wrote them, and migrated forward (and back) again.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from encyclopedia.models import Article, InfoboxField, Section

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("encyclopedia", "0001_initial")]
AFTER = [("encyclopedia", "0002_history_revision_id")]
AT = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)

# change reason -> the revision_id it migrates to
REASONS = {
    "revision 12": 12,
    f"revision {2**63 - 1}": 2**63 - 1,
    "revision 0": None,
    f"revision {2**63}": None,
    "revision 12abc": None,
    "revision ١٢": None,  # Arabic-Indic digits: not an id, as the readers of the reason held
    "revision  12": None,
    "Revision 12": None,
    "fixed a typo": None,
    "": None,
    None: None,
}


def migrate(targets):
    """Migrate the test database to `targets`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def history_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


@pytest.fixture
def at_0001():
    """The database at 0001 during the test, and at the latest migrations after it."""
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def history_row(apps, model_name: str, number: int, reason, **values):
    model = apps.get_model("encyclopedia", model_name)
    return model.objects.create(
        id=number, history_date=AT, history_type="+", history_change_reason=reason, **values
    )


def test_each_history_table_gets_the_revision_its_change_reason_names(at_0001):
    article_rows = {}
    for number, reason in enumerate(REASONS, start=1):
        row = history_row(
            at_0001, "HistoricalArticle", number, reason,
            stream=f"00000000-0000-0000-0000-{number:012d}", title=f"Article {number}", slug=f"article-{number}",
            lead="", current_revision_id=number, published_at=AT,
        )
        article_rows[row.history_id] = reason
    field = history_row(
        at_0001, "HistoricalInfoboxField", 1, "revision 7", article_id=1, key="Date", value="2017", position=0,
        kind="date",
    )
    section = history_row(
        at_0001, "HistoricalSection", 1, "revision 8", article_id=1, heading="Attack", body="", position=0,
        compact_heading=False, blank_line_after_heading=False,
    )
    assert "revision_id" not in history_columns("encyclopedia_historicalarticle")

    migrate(AFTER)

    migrated = dict(Article.history.values_list("history_id", "revision_id"))
    assert migrated == {history_id: REASONS[reason] for history_id, reason in article_rows.items()}
    assert InfoboxField.history.get(history_id=field.history_id).revision_id == 7
    assert Section.history.get(history_id=section.history_id).revision_id == 8
    # The reason keeps its text: the admin's history page shows it.
    assert dict(Article.history.values_list("history_id", "history_change_reason")) == article_rows


def test_backwards_the_column_is_written_back_into_the_change_reason(at_0001):
    history_row(
        at_0001, "HistoricalInfoboxField", 1, "revision 7", article_id=1, key="Date", value="2017", position=0,
        kind="date",
    )
    migrate(AFTER)
    # A row whose reason no longer says its revision, and one that names none.
    InfoboxField.history.filter(key="Date").update(history_change_reason="")
    InfoboxField.history.create(
        id=2, article_id=1, key="Result", value="x", position=1, kind="text", history_date=AT, history_type="+",
        history_change_reason="imported", revision_id=None,
    )

    apps = migrate(BEFORE)

    assert "revision_id" not in history_columns("encyclopedia_historicalinfoboxfield")
    old_model = apps.get_model("encyclopedia", "HistoricalInfoboxField")
    assert dict(old_model.objects.values_list("key", "history_change_reason")) == {
        "Date": "revision 7",
        "Result": "imported",
    }
