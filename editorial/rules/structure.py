"""structure.infobox: the infobox has the fields every article needs, in a form
the other rules can read."""

from __future__ import annotations

from encyclopedia.dates import parse_date_span
from encyclopedia.infobox import REQUIRED_KEYS, FieldKind, kind_of

from .base import CheckContext, Finding, Rule, Severity, infobox_target


class InfoboxStructure(Rule):
    id = "structure.infobox"
    version = 2
    description = (
        "The infobox gives Conflict, Place, Date and Result, the Date is one full date or a range of days, "
        "and every key is one the schema knows."
    )

    def check(self, context: CheckContext) -> list[Finding]:
        content = context.content
        findings = [
            self.finding(
                Severity.ERROR,
                infobox_target(key),
                f"The infobox has no {key} field; every article needs {', '.join(REQUIRED_KEYS)}.",
                fingerprint=f"missing|{key}",
                field=key,
                required=list(REQUIRED_KEYS),
            )
            for key in REQUIRED_KEYS
            if content.infobox_value(key) is None
        ]
        date_value = content.infobox_value("Date")
        if date_value is not None and parse_date_span(date_value) is None:
            # The date rules compare the prose with this value, so they are
            # blind until it reads as days.
            findings.append(
                self.finding(
                    Severity.ERROR,
                    infobox_target("Date"),
                    f"The infobox Date \u201c{date_value}\u201d cannot be read as a date. Write one full "
                    "date, such as \u201cOctober 21, 2017\u201d or \u201c21 October 2017\u201d, or a range "
                    "of days with its year, such as \u201cMay 30 \u2013 June 2, 2018\u201d or "
                    "\u201c14\u201315 March 2019\u201d.",
                    fingerprint=f"Date|unreadable|{date_value}",
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
                        fingerprint=f"unknown|{entry.key}",
                        field=entry.key,
                        infobox=entry.value,
                    )
                )
        return findings
