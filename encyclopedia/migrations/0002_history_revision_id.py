"""Provenance as a column: the history rows of the published tables name their revision in `revision_id`.

Until now the only record of it was the change reason, written
"revision N" and parsed back by the readers. `name_revisions` carries it
over: a reason of exactly "revision N" (N in ASCII digits, 1 to 2**63 - 1,
as the readers accepted it) sets the column; any other reason leaves it
empty, a row that names no revision, as the readers took it before. The
reason keeps its text, which the admin shows.

Backwards, `label_revisions` writes the column back into the reason of the
rows that have one, so the code before this migration, which reads only
the reason, sees the same revisions.
"""

import re

from django.db import migrations, models

HISTORY_MODELS = ("historicalarticle", "historicalinfoboxfield", "historicalsection")
MAX_REVISION_ID = 2**63 - 1
_REASON = re.compile(r"revision ([0-9]{1,19})")
_BATCH = 1000


def revision_of(reason):
    """The revision id a change reason names, or None: the rule the readers of the reason applied."""
    match = _REASON.fullmatch(reason or "")
    if match is None:
        return None
    number = int(match[1])
    return number if 0 < number <= MAX_REVISION_ID else None


def _in_batches(queryset):
    """The (history_id, value) pairs of `queryset`, a batch at a time, each read before the batch is updated."""
    last = 0
    while batch := list(queryset.filter(history_id__gt=last).order_by("history_id")[:_BATCH]):
        yield batch
        last = batch[-1][0]


def name_revisions(apps, schema_editor):
    for name in HISTORY_MODELS:
        model = apps.get_model("encyclopedia", name)
        reasons = model.objects.filter(history_change_reason__startswith="revision ").values_list(
            "history_id", "history_change_reason"
        )
        for batch in _in_batches(reasons):
            named = [model(history_id=history_id, revision_id=revision_of(reason)) for history_id, reason in batch]
            model.objects.bulk_update([row for row in named if row.revision_id is not None], ["revision_id"])


def label_revisions(apps, schema_editor):
    for name in HISTORY_MODELS:
        model = apps.get_model("encyclopedia", name)
        revisions = model.objects.filter(revision_id__isnull=False).values_list("history_id", "revision_id")
        for batch in _in_batches(revisions):
            labelled = [
                model(history_id=history_id, history_change_reason=f"revision {revision_id}")
                for history_id, revision_id in batch
            ]
            model.objects.bulk_update(labelled, ["history_change_reason"])


def revision_id_field():
    return models.BigIntegerField(
        db_index=True, help_text="The approved revision whose publication wrote this history row.", null=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ("encyclopedia", "0001_initial"),
    ]

    operations = [
        *(migrations.AddField(model_name=name, name="revision_id", field=revision_id_field()) for name in HISTORY_MODELS),
        migrations.RunPython(name_revisions, label_revisions),
    ]
