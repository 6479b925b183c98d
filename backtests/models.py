"""A backtest run of the current rules over the approved revisions, its chunks and its per-rule results.

A run is planned once (which revisions, which rules at which versions, the
day the rules take as today), cut into chunks, and each chunk is judged by
whoever takes it (this process, or a Celery worker) and writes its own part
into its own row: no result backend, and no two chunks ever write the same
row. When every part is in, the run sums them into one `BacktestRuleResult`
per rule, which is what the command prints and the admin shows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"  # a chunk failed, or the parts did not all come in before the deadline


class BacktestRun(models.Model):
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.CharField(max_length=150, blank=True)
    # The rules run and their versions at planning time: a chunk judged by other code is refused.
    rule_versions = models.JSONField(default=dict)
    since = models.DateField(null=True, blank=True)  # approvals from this day on; all when empty
    # The rules' only notion of now, fixed for the run so every chunk judges alike.
    today = models.DateField()
    chunk_size = models.PositiveIntegerField()
    revisions = models.PositiveIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    mode = models.CharField(max_length=20)  # "in-process" or "workers"
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "backtest run"

    def __str__(self) -> str:
        return f"Backtest {self.pk} ({', '.join(self.rule_versions)})"


class BacktestChunk(models.Model):
    """One chunk's revisions and, once judged, its part of the report (per rule, see `engine.judge_chunk`)."""

    run = models.ForeignKey(BacktestRun, on_delete=models.CASCADE, related_name="chunk_rows")
    number = models.PositiveIntegerField()
    revision_ids = models.JSONField()
    part = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=255, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="backtest_chunk_once")]


class BacktestRuleResult(models.Model):
    """What one rule's current version finds over the run's revisions, against the versions that were in force."""

    run = models.ForeignKey(BacktestRun, on_delete=models.CASCADE, related_name="results")
    rule_id = models.CharField(max_length=100)
    rule_version = models.PositiveIntegerField()
    revisions = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    flagged_error = models.PositiveIntegerField(default=0)
    flagged_warning = models.PositiveIntegerField(default=0)
    flagged_info = models.PositiveIntegerField(default=0)
    newly_flagged = models.PositiveIntegerField(default=0)
    no_longer_flagged = models.PositiveIntegerField(default=0)
    flagged_differently = models.PositiveIntegerField(default=0)  # flagged by both, for other findings
    unchanged = models.PositiveIntegerField(default=0)  # the same findings (or none) as the verdict in force
    rule_errors = models.PositiveIntegerField(default=0)  # the rule raised, or the content could not be read
    # How many revisions each version in force judged ("none": the rule did not exist then).
    versions_in_force = models.JSONField(default=dict)
    # A few revisions of each kind: {"flagged": [...], "newly_flagged": [...], ...} (see engine.example)
    examples = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "rule_id"]
        constraints = [models.UniqueConstraint(fields=["run", "rule_id"], name="backtest_result_once")]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.rule_version}"
