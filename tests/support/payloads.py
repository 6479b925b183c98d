"""Hostile text that authors and reviewers may write: it must be shown as text, never become markup."""

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
JAVASCRIPT = "javascript:alert(1)"
PAYLOADS = f"{SCRIPT} {ATTRIBUTE} {JAVASCRIPT}"
# Each alone, and markup and quotes that are harmless but must be escaped all the same.
HOSTILE_TEXTS = [SCRIPT, ATTRIBUTE, JAVASCRIPT, "it's <b>bold</b> & 'quoted'"]
