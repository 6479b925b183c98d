"""An index for infobox provenance: one field's history rows, newest first.

Provenance asks, per field, for the last history row of that article and
key that broke the current value's run. Without this index PostgreSQL
walks the whole history table back from its newest row, through every
other article's history. After a bulk load run ANALYZE (PostgreSQL):
autovacuum may be off.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("encyclopedia", "0002_history_revision_id"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="historicalinfoboxfield",
            index=models.Index(fields=["article", "key", "history_id"], name="infobox_history_field_idx"),
        ),
    ]
