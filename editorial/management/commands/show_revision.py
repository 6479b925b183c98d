"""`manage.py show_revision`: show a revision: status, article, author, base, summary and decision."""

import json as jsonlib

from django.core.management.base import BaseCommand

from editorial.cli import refusals_as_command_errors
from editorial.selectors import revision_as_data, revision_get


class Command(BaseCommand):
    help = "Show a revision: status, article, author, base, summary and decision."

    def add_arguments(self, parser):
        parser.add_argument("revision_id", type=int, metavar="ID")
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts and bots.")

    def handle(self, *args, revision_id, json: bool, **options):
        with refusals_as_command_errors():
            data = revision_as_data(revision_get(revision_id))
        if json:
            self.stdout.write(_dumps(data))
            return
        checks = data.pop("checks")
        for key, value in data.items():
            if isinstance(value, dict):
                value = value.get("title")
            if value not in (None, ""):
                self.stdout.write(f"{key.replace('_', ' '):>16}: {value}")
        self.stdout.write(f"{'checks':>16}: {checks['verdict']}")
        for finding in checks["findings"]:
            # Inherited findings were already in the published article: shown, not gating.
            inherited = " (already published)" if finding.get("inherited") else ""
            self.stdout.write(
                f"{'':>16}  [{finding['severity']}{inherited}] {finding['rule_id']}: {finding['message']}"
            )
            if quote := (finding.get("evidence") or {}).get("quote"):
                self.stdout.write(f"{'':>16}      \u201c{quote}\u201d")


def _dumps(data) -> str:
    return jsonlib.dumps(data, indent=2, ensure_ascii=False)
