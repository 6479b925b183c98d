"""The log's own integrity: each stream's hash chain and head, and with STET_LOG_KEY each event's MAC.

Chains and heads are per stream, whatever the stream's kind (an article's,
or a revision's checks). What the MACs prove, and what they cannot, is
explained in logkey.py and the README.
"""

from __future__ import annotations

from . import logkey
from .models import GENESIS_HASH
from .verify_report import Report


def where(row) -> str:
    return f"stream {row.stream}, event {row.id} (version {row.version}, {row.type})"


def check_chains(by_stream: dict, heads: dict, report: Report) -> None:
    for stream_id, rows in by_stream.items():
        expected_prev, expected_version = GENESIS_HASH, 1
        for row in rows:
            if row.version != expected_version:
                report.add(f"{where(row)}: expected version {expected_version}; an event is missing before it")
            if row.prev_hash != expected_prev:
                report.add(
                    f"{where(row)}: its previous-hash does not match the event before it (deleted or edited event)"
                )
            if row.compute_hash() != row.hash:
                report.add(f"{where(row)}: its content does not match its hash (edited after it was written)")
            # One gap is one finding, not one per later event.
            expected_prev, expected_version = row.hash, row.version + 1
        head = heads.pop(stream_id, None)
        if head is None:
            report.add(f"stream {stream_id}: has events but no stream head")
        elif (head.version, head.head_hash) != (rows[-1].version, rows[-1].hash):
            report.add(
                f"stream {stream_id}: head says version {head.version} but the last event is version "
                f"{rows[-1].version} (events deleted from the end, or the head edited)"
            )
    for stream_id, head in heads.items():
        if head.version:
            report.add(f"stream {stream_id}: head says version {head.version} but the stream has no events")


def check_macs(by_stream: dict, report: Report) -> None:
    """With the key: every MAC, and no plain event after the key began (pinned, or the first keyed event)."""
    key = logkey.configured_key()
    if key is None:
        report.macs_unchecked = sum(1 for rows in by_stream.values() for row in rows if row.mac_key_id)
        return
    report.key_id = my_id = logkey.key_id(key)
    pinned = logkey.keyed_from()
    first_keyed = min((row.id for rows in by_stream.values() for row in rows if row.mac_key_id == my_id), default=None)
    began = pinned if pinned is not None else first_keyed
    for rows in by_stream.values():
        # A valid MAC covers, through the chain of previous-hashes, every event before it in its stream.
        last_valid = max((i for i, row in enumerate(rows) if _mac_valid(key, my_id, row)), default=-1)
        for index, row in enumerate(rows):
            if row.mac_key_id:
                if row.mac_key_id != my_id:
                    report.add(f"{where(row)}: keyed under key {row.mac_key_id}, not the configured key {my_id}; "
                               "it cannot be verified")
                elif not logkey.mac_matches(key, row.hash, row.mac):
                    report.add(f"{where(row)}: its MAC does not match (changed and re-hashed by someone without "
                               "STET_LOG_KEY)")
                else:
                    report.keyed += 1
            elif began is not None and row.id >= began:
                if pinned is not None:
                    report.add(f"{where(row)}: has no MAC, but STET_LOG_KEYED_FROM requires one from event {pinned} on")
                else:
                    report.add(f"{where(row)}: has no MAC, but event {began} before it was keyed (forged, or "
                               "written by a process without STET_LOG_KEY)")
            elif index < last_valid:
                report.sealed += 1
            else:
                report.unsealed += 1


def _mac_valid(key: bytes, my_id: str, row) -> bool:
    return row.mac_key_id == my_id and logkey.mac_matches(key, row.hash, row.mac)
