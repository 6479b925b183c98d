"""Two versions of one rule, for the backtests (loaded through STET_EXTRA_RULES, in-process or in a worker).

Version 1 flagged a Result that says "tactical"; version 2 flags one that
says "decisive" instead, so it flags what the old did not, and no longer
flags what it did.
"""

from editorial.rules import Rule, Severity
from editorial.rules.base import infobox_target


class _ResultWording(Rule):
    id = "test.result_wording"
    description = "A Result given in words the style guide keeps out."
    word = ""

    def check(self, context):
        result = next((entry.value for entry in context.content.infobox if entry.key == "Result"), "")
        if self.word not in result.lower():
            return []
        return [
            self.finding(
                Severity.WARNING, infobox_target("Result"), f"The Result says {self.word!r}.",
                fingerprint=f"Result|{self.word}", value=result,
            )
        ]


class ResultWordingV1(_ResultWording):
    version = 1
    word = "tactical"


class ResultWordingV2(_ResultWording):
    version = 2
    word = "decisive"
