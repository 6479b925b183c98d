"""The keyed chain: each event may carry an HMAC of its hash and the id of the key that made it.

Existing events keep an empty MAC: they were written without a key, and
their public SHA-256 chain is unchanged (see editorial/logkey.py).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("editorial", "0004_article_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="event",
            name="mac_key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
