"""structure.infobox: the infobox has the fields every article needs, in a form
the other rules can read."""

from __future__ import annotations

from encyclopedia.dates import parse_date_value
from encyclopedia.infobox import REQUIRED_KEYS, FieldKind, kind_of

from .base import CheckContext, Finding, Rule, Severity, infobox_target


class InfoboxStructure(Rule):
    id = "structure.infobox"
    version = 1
    description = (
        "The infobox gives Conflict, Place, Date and Result, the Date is one full date, "
        "and every key is one the schema knows."
    )

    def check(self, context: CheckContext) -> list[Finding]:
        content = context.content
        findings = [
            self.finding(
                Severity.ERROR,
                infobox_target(key),
                f"The infobox has no {key} field; every article needs {', '.join(REQUIRED_KEYS)}.",
                field=key,
                required=list(REQUIRED_KEYS),
            )
            for key in REQUIRED_KEYS
            if content.infobox_value(key) is None
        ]
        date_value = content.infobox_value("Date")
        if date_value is not None and parse_date_value(date_value) is None:
            # The date rules compare the prose with this value, so they are
            # blind until it reads as one day.
            findings.append(
                self.finding(
                    Severity.ERROR,
                    infobox_target("Date"),
                    f"The infobox Date {date_value!r} is not a date; write one full date "
                    "such as 'October 21, 2017' or '21 October 2017'.",
                    field="Date",
                    infobox=date_value,
                )
            )
        for entry in content.infobox:
            if kind_of(entry.key) is FieldKind.UNKNOWN:
                findings.append(
                    self.finding(
                        Severity.WARNING,
                        infobox_target(entry.key),
                        f"The infobox key {entry.key!r} is not one the schema knows; "
                        "check its spelling or remove it.",
                        field=entry.key,
                        infobox=entry.value,
                    )
                )
        return findings
