"""Backtests: the current rules judged over every approved revision, against the verdicts that were in force.

Each revision is judged as a check run judges it (`rules.judge`: its content
against the content of the revision it was edited from, with its edit
summary), so a finding it inherited from its base is not counted against
it. A revision is *flagged* by a rule when the rule finds something the
edit introduced; its severity is the highest of those findings. The verdict
in force is what the revision's checks recorded (`Revision.check_findings`,
made with `check_rule_versions`): a revision is newly flagged, no longer
flagged, flagged differently (other findings) or unchanged. A rule that
reads the articles a revision mentions (`checks.LINKED_RULES`) reads them as
they were published when the revision was approved: its last check read
them then (an approval of a linked article checks the open proposals that
mention it again), so that is what its verdict in force was made with.
The linked articles are found by the names they have now.

`plan` picks the revisions and cuts them into chunks; `judge_chunk` judges
one chunk and writes its part into the chunk's own row, once (a redelivered
chunk does nothing); `finish` sums the parts per rule. The command runs the
chunks in its own process without a broker, or sends them to the workers as
a Celery group and waits for their rows (`wait_for_chunks`).
"""

from __future__ import annotations

import bisect
import datetime
import time
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from editorial.rules.links_facts import mentioned_names
from editorial import rules as registry
from editorial import store
from editorial.checks import LINKED_RULES
from editorial.models import ArticleName, Revision, RevisionStatus
from editorial.rules import CheckContext, Rule, judge

from .models import BacktestChunk, BacktestRuleResult, BacktestRun, RunStatus

EXAMPLES = 5  # revisions shown for each kind of result, per rule
EXAMPLE_KINDS = ("flagged", "newly_flagged", "no_longer_flagged", "flagged_differently", "rule_errors")
COMPARISONS = ("newly_flagged", "no_longer_flagged", "flagged_differently", "unchanged")
SEVERITIES = ("error", "warning", "info")
_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}


class BacktestError(Exception):
    """A backtest that cannot run as asked (an unknown rule, a worker with other rule versions)."""


def select_rules(rule_ids: Iterable[str] | None = None) -> tuple[Rule, ...]:
    """The active rules, or those of them named; an unknown id is refused naming the known ones."""
    rules = registry.active_rules()
    if not rule_ids:
        return rules
    by_id = {rule.id: rule for rule in rules}
    unknown = [rule_id for rule_id in rule_ids if rule_id not in by_id]
    if unknown:
        raise BacktestError(f"no rule {', '.join(map(repr, unknown))}; the rules are {', '.join(by_id)}")
    return tuple(by_id[rule_id] for rule_id in dict.fromkeys(rule_ids))


def plan(
    *, rule_ids: Iterable[str] | None = None, since: datetime.date | None = None, chunk_size: int = 500,
    mode: str = "in-process", requested_by: str = "",
) -> BacktestRun:
    """A run over the revisions approved since `since` (all when None), cut into chunks of `chunk_size`."""
    if chunk_size < 1:
        raise BacktestError("a chunk holds at least one revision")
    rules = select_rules(rule_ids)
    approved = Revision.objects.filter(status=RevisionStatus.APPROVED)
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        approved = approved.filter(decided_at__gte=start)
    revision_ids = list(approved.order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        run = BacktestRun.objects.create(
            requested_by=requested_by, rule_versions={rule.id: rule.version for rule in rules}, since=since,
            today=timezone.localdate(), chunk_size=chunk_size, revisions=len(revision_ids), mode=mode,
        )
        chunks = [
            BacktestChunk(run=run, number=number, revision_ids=revision_ids[start:start + chunk_size])
            for number, start in enumerate(range(0, len(revision_ids), chunk_size))
        ]
        BacktestChunk.objects.bulk_create(chunks)
        run.chunks = len(chunks)
        run.save(update_fields=["chunks"])
    return run


# --- One chunk ---------------------------------------------------------------------------------


def judge_chunk(run_id: int, number: int, *, worker: str = "") -> bool:
    """Judge one chunk and record its part; False when it was already recorded (a redelivery)."""
    chunk = BacktestChunk.objects.select_related("run").get(run_id=run_id, number=number)
    if chunk.finished_at is not None:
        return False
    try:
        rules = _rules_of(chunk.run)
    except BacktestError as error:
        # Not retried: another delivery to the same worker would refuse the same way.
        return _record(chunk, part=None, error=str(error), worker=worker)
    part = _judge_revisions(chunk.revision_ids, rules, today=chunk.run.today)
    return _record(chunk, part=part, error="", worker=worker)


def _record(chunk: BacktestChunk, *, part: dict | None, error: str, worker: str) -> bool:
    # Conditional on the row being unfinished, so a chunk judged twice at once is recorded once.
    return bool(
        BacktestChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(
            part=part, error=error, worker=worker[:255], finished_at=timezone.now()
        )
    )


def _rules_of(run: BacktestRun) -> tuple[Rule, ...]:
    """The run's rules, as this process has them; other versions are refused, never mixed into the report."""
    here = {rule.id: rule for rule in registry.active_rules()}
    rules = []
    for rule_id, version in run.rule_versions.items():
        rule = here.get(rule_id)
        if rule is None or rule.version != version:
            found = f"v{rule.version}" if rule is not None else "no such rule"
            raise BacktestError(f"this process has {found} of {rule_id}, and the run is of v{version}")
        rules.append(rule)
    return tuple(rules)


def _judge_revisions(revision_ids: list[int], rules: tuple[Rule, ...], *, today: datetime.date) -> dict:
    """The chunk's part: per rule, the counts and a few examples (see `_empty_tally`).

    Three queries, and with a rule that reads linked articles three more, whatever the chunk holds.
    """
    rows = list(
        Revision.objects.filter(id__in=revision_ids).order_by("id").values(
            "id", "stream", "slug", "title", "base_revision_id", "summary", "content_hash", "check_findings",
            "check_rule_versions", "decided_at",
        )
    )
    reads_linked = any(rule.id in LINKED_RULES for rule in rules)
    base_ids = {row["base_revision_id"] for row in rows if row["base_revision_id"] is not None}
    base_hashes = dict(Revision.objects.filter(id__in=base_ids).values_list("id", "content_hash"))
    contents = store.contents_by_hash([row["content_hash"] for row in rows] + list(base_hashes.values()))
    linked_of = _linked_when_approved(rows, contents) if reads_linked else {}
    part = {rule.id: _empty_tally(rule.version) for rule in rules}
    for row in rows:
        base_id = row["base_revision_id"]
        content = contents.get(row["content_hash"])
        base = contents.get(base_hashes.get(base_id)) if base_id is not None else None
        missing = content is None or (base_id is not None and base is None)
        context = None
        if not missing:
            linked = linked_of.get(row["id"], {}) if reads_linked else None
            context = CheckContext(content=content, base=base, summary=row["summary"], today=today, linked=linked)
        for rule in rules:
            _tally(part[rule.id], rule, row, context)
    return part


def _linked_when_approved(rows: list[dict], contents: dict) -> dict[int, dict]:
    """For each revision of the chunk: the articles its content mentions, by title, as they were
    published when it was approved. Three queries for the whole chunk: the articles that bear the
    names, their approved revisions, and the contents needed."""
    names_of_row = {
        row["id"]: set(mentioned_names(contents[row["content_hash"]])) for row in rows if row["content_hash"] in contents
    }
    every_name = set().union(*names_of_row.values()) if names_of_row else set()
    if not every_name:
        return {}
    streams_of_name: dict[str, set] = {}
    for key, stream in ArticleName.objects.filter(key__in=sorted(every_name)).values_list("key", "stream"):
        streams_of_name.setdefault(key, set()).add(stream)
    streams = set().union(*streams_of_name.values()) if streams_of_name else set()
    approvals: dict = {}  # stream -> ([decided_at, ...], [content_hash, ...]) in the order they were approved
    published = (
        Revision.objects.filter(stream__in=streams, status=RevisionStatus.APPROVED)
        .order_by("stream", "decided_at", "id")
        .values_list("stream", "decided_at", "content_hash")
    )
    for stream, decided_at, content_hash in published:
        times, hashes = approvals.setdefault(stream, ([], []))
        times.append(decided_at)
        hashes.append(content_hash)
    wanted: dict[int, dict] = {}
    for row in rows:
        streams_here = set().union(*(streams_of_name.get(name, set()) for name in names_of_row.get(row["id"], ())))
        streams_here.discard(row["stream"])
        for stream in streams_here:
            times, hashes = approvals.get(stream, ((), ()))
            index = bisect.bisect_right(times, row["decided_at"]) - 1
            if index >= 0:  # published by then
                wanted.setdefault(row["id"], {})[stream] = hashes[index]
    needed = {content_hash for by_stream in wanted.values() for content_hash in by_stream.values()}
    linked_contents = store.contents_by_hash(needed - contents.keys())
    linked_contents.update({content_hash: contents[content_hash] for content_hash in needed & contents.keys()})
    return {
        revision_id: {
            linked_contents[content_hash].title: linked_contents[content_hash]
            for content_hash in by_stream.values()
            if content_hash in linked_contents
        }
        for revision_id, by_stream in wanted.items()
    }


def _empty_tally(version: int) -> dict:
    return {
        "version": version,
        "revisions": 0,
        "flagged": {severity: 0 for severity in SEVERITIES},
        **{kind: 0 for kind in COMPARISONS},
        "rule_errors": 0,
        "versions_in_force": {},
        "examples": {kind: [] for kind in EXAMPLE_KINDS},
    }


def _tally(tally: dict, rule: Rule, row: dict, context: CheckContext | None) -> None:
    tally["revisions"] += 1
    in_force = row["check_rule_versions"].get(rule.id)
    in_force_key = "none" if in_force is None else str(in_force)
    tally["versions_in_force"][in_force_key] = tally["versions_in_force"].get(in_force_key, 0) + 1
    before = [
        finding for finding in row["check_findings"]
        if finding.get("rule_id") == rule.id and not finding.get("inherited")
    ]
    if context is None:
        tally["rule_errors"] += 1
        _add_example(tally, "rule_errors", row, message="The revision's content or its base's could not be read.")
        return
    try:
        now = [finding.to_dict() for finding in judge(rule, context) if not finding.inherited]
    except Exception as error:  # a bug in the rule is part of the report, as it is of a check run
        tally["rule_errors"] += 1
        _add_example(tally, "rule_errors", row, message=f"{type(error).__name__}: {error}")
        return
    if now:
        severity = max((finding["severity"] for finding in now), key=_RANK.__getitem__)
        tally["flagged"][severity] += 1
        _add_example(tally, "flagged", row, severity=severity, now=now, before=before)
    if now and not before:
        kind = "newly_flagged"
    elif before and not now:
        kind = "no_longer_flagged"
    elif _identities(before) != _identities(now):
        kind = "flagged_differently"
    else:
        kind = "unchanged"
    tally[kind] += 1
    if kind != "unchanged":
        _add_example(tally, kind, row, severity=severity if now else "", now=now, before=before)


def _identities(findings: list[dict]) -> Counter:
    """What a finding is about and how bad, as `Finding.identity` tells it; a rule's crash is one too."""
    return Counter(
        ("rule error" if finding.get("rule_error") else finding.get("fingerprint") or f"{finding['target']}|{finding['message']}",
         finding["severity"])
        for finding in findings
    )


def _add_example(tally: dict, kind: str, row: dict, *, severity: str = "", now=(), before=(), message: str = "") -> None:
    examples = tally["examples"][kind]
    examples.append({
        "revision": row["id"], "slug": row["slug"], "title": row["title"], "severity": severity,
        "message": message or (now[0]["message"] if now else ""),
        "before": before[0]["message"] if before else "",
    })
    # The newest revisions are kept: they are what the rule would meet next.
    examples.sort(key=lambda example: -example["revision"])
    del examples[EXAMPLES:]


# --- The whole run -----------------------------------------------------------------------------


def progress(run: BacktestRun) -> tuple[int, int]:
    """(chunks recorded, revisions in them)."""
    done = BacktestChunk.objects.filter(run=run, finished_at__isnull=False).values_list("revision_ids", flat=True)
    done = list(done)
    return len(done), sum(len(ids) for ids in done)


def wait_for_chunks(
    run: BacktestRun, *, timeout: float, on_progress: Callable[[int, int], None] = lambda chunks, revisions: None,
    poll: float = 0.25,
) -> bool:
    """Wait until every chunk of the run is recorded, or the deadline passes; True when all are in."""
    deadline = time.monotonic() + timeout
    shown = None
    while True:
        chunks, revisions = progress(run)
        if (chunks, revisions) != shown:
            on_progress(chunks, revisions)
            shown = (chunks, revisions)
        if chunks == run.chunks:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll)  # the parts land in the database, which cannot be waited on otherwise


def finish(run: BacktestRun, *, error: str = "") -> BacktestRun:
    """Sum the recorded parts into one result per rule and close the run (failed if a chunk failed or is missing)."""
    chunks = list(BacktestChunk.objects.filter(run=run).order_by("number"))
    errors = [f"chunk {chunk.number}: {chunk.error}" for chunk in chunks if chunk.error]
    missing = [chunk.number for chunk in chunks if chunk.finished_at is None]
    if missing:
        errors.append(f"{len(missing)} of {len(chunks)} chunks were not judged in time (chunks {_ranges(missing)})")
    if error:
        errors.insert(0, error)
    totals = {rule_id: _empty_tally(version) for rule_id, version in run.rule_versions.items()}
    for chunk in chunks:
        for rule_id, part in (chunk.part or {}).items():
            _merge(totals[rule_id], part)
    with transaction.atomic():
        BacktestRuleResult.objects.filter(run=run).delete()
        BacktestRuleResult.objects.bulk_create(
            BacktestRuleResult(
                run=run, rule_id=rule_id, rule_version=tally["version"], revisions=tally["revisions"],
                flagged=sum(tally["flagged"].values()), flagged_error=tally["flagged"]["error"],
                flagged_warning=tally["flagged"]["warning"], flagged_info=tally["flagged"]["info"],
                **{kind: tally[kind] for kind in COMPARISONS}, rule_errors=tally["rule_errors"],
                versions_in_force=tally["versions_in_force"], examples=tally["examples"],
            )
            for rule_id, tally in totals.items()
        )
        run.status = RunStatus.FAILED if errors else RunStatus.DONE
        run.error = "\n".join(errors)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
    return run


def _merge(total: dict, part: dict) -> None:
    for key in ("revisions", "rule_errors", *COMPARISONS):
        total[key] += part[key]
    for severity in SEVERITIES:
        total["flagged"][severity] += part["flagged"][severity]
    for version, count in part["versions_in_force"].items():
        total["versions_in_force"][version] = total["versions_in_force"].get(version, 0) + count
    for kind in EXAMPLE_KINDS:
        examples = total["examples"][kind] + part["examples"][kind]
        total["examples"][kind] = sorted(examples, key=lambda example: -example["revision"])[:EXAMPLES]


def _ranges(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


# --- Links -------------------------------------------------------------------------------------


def review_path(revision_id: int) -> str:
    return reverse("admin:editorial_revision_change", args=[revision_id])


def public_path(slug: str, revision_id: int) -> str:
    return reverse("reader:revision", kwargs={"slug": slug, "revision_id": revision_id})


def run_path(run: BacktestRun) -> str:
    return reverse("admin:backtests_backtestrun_change", args=[run.pk])


def absolute(path: str) -> str:
    return settings.STET_SITE_URL.rstrip("/") + path
