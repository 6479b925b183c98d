"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the event and content tables.

The ORM already refuses them (AppendOnlyModel); the trigger also stops raw
SQL, a shell or a stray script. It is a row trigger, so TRUNCATE (which
Django's test flush uses) is not affected, and the tables' owner can still
switch it off: it guards against mistakes, and the hash chain (keyed with
STET_LOG_KEY) detects what gets past it. On SQLite this migration does
nothing: only the ORM guard holds there.
"""

from django.db import migrations

GUARDED = {"editorial_event": "id", "editorial_contentblob": "hash"}

FUNCTION = """
CREATE OR REPLACE FUNCTION stet_refuse_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of % row %=% refused: the table is append-only (Stet never changes or deletes events or stored contents)',
        TG_OP, TG_TABLE_NAME, TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[0]
        USING HINT = 'Record a new event instead. To check the log, run: manage.py replay_events --verify';
END
$$;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # the % of RAISE are not placeholders
    for table, key in GUARDED.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION stet_refuse_append_only_change('{key}')"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in GUARDED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS stet_refuse_append_only_change()")


class Migration(migrations.Migration):

    dependencies = [
        ("editorial", "0005_event_mac"),
    ]

    operations = [
        migrations.RunPython(add_triggers, drop_triggers),
    ]
