"""One stream per article title: the address table, filled from what exists.

Existing streams claim the slug of their published article, then the slug
of their earliest proposal; where rival first drafts of one title already
made several streams (the bug this table prevents), the oldest one keeps
the address.
"""

import django.utils.timezone
from django.db import migrations, models


def claim_existing_addresses(apps, schema_editor):
    Article = apps.get_model("encyclopedia", "Article")
    Revision = apps.get_model("editorial", "Revision")
    ArticleAddress = apps.get_model("editorial", "ArticleAddress")
    claims = {}
    for slug, stream in Article.objects.order_by("id").values_list("slug", "stream"):
        claims.setdefault(slug, stream)
    for slug, stream in Revision.objects.order_by("id").values_list("slug", "stream"):
        claims.setdefault(slug, stream)
    ArticleAddress.objects.bulk_create(
        [ArticleAddress(slug=slug, stream=stream) for slug, stream in claims.items()], ignore_conflicts=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ("editorial", "0003_revision_checks"),
        ("encyclopedia", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleAddress",
            fields=[
                ("slug", models.SlugField(max_length=255, primary_key=True, serialize=False)),
                ("stream", models.UUIDField(db_index=True)),
                ("claimed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.RunPython(claim_existing_addresses, migrations.RunPython.noop),
    ]
