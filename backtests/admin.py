"""The backtest reports in the admin, for reviewers: the list of runs, and a run's page (per-rule counts, examples)."""

from __future__ import annotations

from django.contrib import admin

from editorial.roles import can_review

from . import engine
from .models import BacktestRun

EXAMPLE_LABELS = (
    ("newly_flagged", "Newly flagged: the verdict in force did not flag these"),
    ("no_longer_flagged", "No longer flagged: the verdict in force flagged these"),
    ("flagged_differently", "Flagged differently"),
    ("flagged", "Flagged now"),
    ("rule_errors", "Rule errors"),
)


def _may_read(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and (user.is_superuser or can_review(user))


@admin.register(BacktestRun)
class BacktestRunAdmin(admin.ModelAdmin):
    """Read-only: runs are made by `manage.py backtest_rules`, never in a form."""

    list_display = ("id", "created_at", "rules", "since", "revisions", "status", "mode", "flagged_summary")
    list_filter = ("status", "mode")
    change_form_template = "admin/backtests/backtestrun/report.html"

    def has_module_permission(self, request):
        return _may_read(request)

    def has_view_permission(self, request, obj=None):
        return _may_read(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("results")

    @admin.display(description="rules")
    def rules(self, run):
        return ", ".join(f"{rule_id} v{version}" for rule_id, version in run.rule_versions.items())

    @admin.display(description="flagged (newly)")
    def flagged_summary(self, run):
        return "; ".join(f"{result.rule_id}: {result.flagged} ({result.newly_flagged})" for result in run.results.all())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        extra = {"report": _report(run)} if run is not None else {}
        if run is not None:
            extra["progress"] = engine.progress(run)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


def _report(run: BacktestRun) -> list[dict]:
    """Each rule's result with its examples' links, for the template."""
    report = []
    for result in run.results.all():
        sections = []
        for kind, label in EXAMPLE_LABELS:
            examples = [
                {
                    **example,
                    "review_url": engine.review_path(example["revision"]),
                    "public_url": engine.public_path(example["slug"], example["revision"]),
                }
                for example in result.examples.get(kind) or []
            ]
            if examples:
                sections.append({"kind": kind, "label": label, "examples": examples})
        versions = [
            ("not in force" if version == "none" else f"v{version}", count)
            for version, count in sorted(result.versions_in_force.items())
        ]
        report.append({"result": result, "sections": sections, "versions": versions})
    return report
