"""On PostgreSQL the database itself refuses UPDATE and DELETE on the event and content tables.

The ORM guard (AppendOnlyModel) stops the application's own code; the
trigger also stops raw SQL, a stray script or a shell. Django's test flush
empties these tables with TRUNCATE, which a row trigger does not see. On
SQLite there is no trigger: only the ORM guard holds there.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from editorial.models import ContentBlob, Event

from tests.support.commands import run_command

pytestmark = pytest.mark.django_db


def execute(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "sql, refused",
    [
        ("UPDATE editorial_event SET type = 'revision.rejected' WHERE id = %s", "UPDATE of editorial_event row id="),
        ("DELETE FROM editorial_event WHERE id = %s", "DELETE of editorial_event row id="),
        ("UPDATE editorial_event SET type = type", "UPDATE of editorial_event row id="),
    ],
    ids=["update one event", "delete one event", "update every event"],
)
def test_raw_sql_cannot_change_or_delete_an_event(published_seed, sql, refused):
    before = list(Event.objects.order_by("id").values())
    params = [published_seed.id] if "%s" in sql else []
    with pytest.raises(DatabaseError, match=refused) as raised:
        execute(sql, params)
    assert "append-only" in str(raised.value)
    assert list(Event.objects.order_by("id").values()) == before


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "sql, refused",
    [
        ("UPDATE editorial_contentblob SET content = '{}' WHERE hash = %s", "UPDATE of editorial_contentblob row hash="),
        ("DELETE FROM editorial_contentblob WHERE hash = %s", "DELETE of editorial_contentblob row hash="),
    ],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_or_delete_stored_content(published_seed, sql, refused):
    with pytest.raises(DatabaseError, match=refused):
        execute(sql, [published_seed.content_hash])
    assert ContentBlob.objects.get(hash=published_seed.content_hash).to_content().content_hash == (
        published_seed.content_hash
    )


@pytest.mark.postgresql
def test_appending_still_works_under_the_trigger(published_seed):
    assert "OK:" in run_command("replay_events", "--verify")
    assert Event.objects.filter(type="revision.approved").count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_test_flush_empties_the_guarded_tables_with_truncate(published_seed):
    # A transactional test ends with a flush (TRUNCATE); the next test starting empty proves it was not refused.
    assert Event.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'editorial_event'::regclass AND NOT tgisinternal")
        assert [row[0] for row in cursor.fetchall()] == ["editorial_event_append_only"]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_guarded_tables_are_empty():
    assert not Event.objects.exists() and not ContentBlob.objects.exists()


def test_on_sqlite_only_the_orm_guard_holds(published_seed):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass documents SQLite")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE editorial_event SET type = type WHERE id = %s", [published_seed.id])
        assert cursor.rowcount == 1
