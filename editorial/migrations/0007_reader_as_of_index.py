"""An index for the reader's "as of" page: one stream's approved revisions in order of decision.

Without it the last revision approved before a date was found by reading
and sorting every revision of the stream (or, by the planner's choice,
every approved revision of every article). With it the answer is the first
entry of an index range. After a bulk load run ANALYZE (PostgreSQL) so the
planner knows the index is selective: autovacuum may be off.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("editorial", "0006_append_only_trigger"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(fields=["stream", "status", "decided_at", "id"], name="revision_as_of_idx"),
        ),
    ]
