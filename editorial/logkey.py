"""The event log's optional keyed chain: an HMAC-SHA256 of each event's hash under STET_LOG_KEY.

Every event keeps its public SHA-256 hash (`models.event_hash`), chained to
the one before it, so anyone can check the log without a secret. Someone
with write access to the database can still rewrite an event and recompute
that public chain to the head. With STET_LOG_KEY set, each new event also
gets a MAC of its hash, which cannot be recomputed without the key: a
verifier holding the key finds such a forgery.

The MAC sits beside the public hash rather than replacing it, so that a
verifier without the key still checks every event's content and links, and
so that a site can set the key later: older events keep their plain hash,
and each keyed event's MAC covers, through its previous-hash, every older
event of its stream. The key id is a fingerprint of the key (not the key):
it tells a verifier holding another key to say so, instead of calling every
event forged.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def configured_key() -> bytes | None:
    key = getattr(settings, "STET_LOG_KEY", "")
    return key.encode("utf-8") if key else None


def keyed_from() -> int | None:
    """The first event id that must carry a MAC, if the site pinned it (STET_LOG_KEYED_FROM)."""
    return getattr(settings, "STET_LOG_KEYED_FROM", None)


def key_id(key: bytes) -> str:
    return hmac.new(key, b"stet log key id", hashlib.sha256).hexdigest()[:16]


def mac_of(key: bytes, event_hash: str) -> str:
    return hmac.new(key, b"stet event " + event_hash.encode("ascii"), hashlib.sha256).hexdigest()


def seal(event_hash: str) -> tuple[str, str]:
    """(MAC, key id) of a new event's hash under the configured key; ("", "") without a key."""
    key = configured_key()
    if key is None:
        return "", ""
    return mac_of(key, event_hash), key_id(key)


def mac_matches(key: bytes, event_hash: str, mac: str) -> bool:
    return hmac.compare_digest(mac_of(key, event_hash), mac)
