"""Every command decides on exactly the events up to the head it appends after.

Each PostgreSQL test below walks a rival commit over every read a command
makes (see interleaving.py) and then checks what must hold whatever the
timing: one decision per revision, the published pointer consistent with
it, proposals based on what was published when they were recorded, each
check step recorded once, and `replay.verify()` clean.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from editorial import checks, replay, services
from editorial.services import revision_approve, revision_propose, revision_rebase, revision_reject, revision_withdraw
from editorial.errors import EditorialError
from editorial.models import ArticleAddress, Event, Revision
from editorial.store import load_content
from encyclopedia.models import Article

from tests.support.factories import with_infobox
from .interleaving import count_reads, run_with_rival

DECISIONS = ("revision.approved", "revision.rejected", "revision.withdrawn")


@pytest.fixture(autouse=True)
def commands_alone(monkeypatch):
    """The commands under test, without the process managers their commits start (notifications,
    rebases, linked rechecks): those run after the commit, and each walk here piles up dozens of
    open proposals on one article, which every approval would merge again. The rebase command
    itself is walked below; its process manager's redeliveries are tested in test_rebase.py."""
    monkeypatch.setattr(services, "_after_event_hooks", [])


def assert_log_consistent():
    """What must hold after any interleaving."""
    decisions = Counter(
        Event.objects.filter(type__in=DECISIONS).values_list("revision_id", flat=True)
    )
    twice = {revision: count for revision, count in decisions.items() if count > 1}
    assert not twice, f"revisions decided more than once: {twice}"

    published: dict = {}
    for event in Event.objects.filter(type__in=("revision.proposed", "revision.approved")).order_by("stream", "version"):
        if event.type == "revision.proposed" and event.payload["base_revision"] is not None:
            assert event.payload["base_revision"] == published.get(event.stream), (
                f"revision {event.id} says it is based on {event.payload['base_revision']}, but "
                f"{published.get(event.stream)} was published when it was recorded"
            )
        if event.type == "revision.approved":
            assert event.payload["base_revision"] == published.get(event.stream), f"approval {event.id} on a stale base"
            published[event.stream] = event.revision_id
    for article in Article.objects.all():
        assert article.current_revision_id == published[article.stream]
        assert Revision.objects.get(id=article.current_revision_id).status == "approved"

    runs = Counter()
    for event in Event.objects.filter(type__startswith="checks.").order_by("id"):
        payload = event.payload
        if event.type == "checks.rule_checked":
            key = (payload["rule_id"], payload["rule_version"])
        else:
            key = tuple(sorted(payload["rule_versions"].items()))
        runs[(event.revision_id, event.type, payload["content_hash"], key)] += 1
    twice = {run: count for run, count in runs.items() if count > 1}
    assert not twice, f"check steps recorded more than once: {twice}"
    concluded = set(Event.objects.filter(type="checks.concluded").values_list("revision_id", flat=True))
    stuck = Revision.objects.filter(id__in=concluded, status="pending", check_status="pending")
    assert not stuck.exists(), f"revisions with a verdict that read as pending: {list(stuck.values_list('id', flat=True))}"

    report = replay.verify()
    assert report.problems == []


def walk(scenario, *, min_reads: int = 2):
    """Run the scenario once per read of its command, with the rival committing right after that read.

    The walk ends at the first k for which the command made fewer than k
    reads: every gap between two reads has then had a rival commit in it.
    """
    outcomes = []
    after_read = 0
    while True:
        after_read += 1
        command, rival = scenario()
        outcome, record = run_with_rival(command, rival, after_read=after_read)
        if record.rival_ran_after_read is None:
            if isinstance(outcome, Exception):
                raise outcome
            break
        assert not isinstance(outcome, EditorialError) or "being changed by others" not in str(outcome), outcome
        assert_log_consistent()
        outcomes.append((after_read, outcome, record.rival_outcome))
    assert_log_consistent()
    assert len(outcomes) >= min_reads, f"the command made only {len(outcomes)} read(s) before it appended"
    return outcomes


def _propose(editor, content, summary="edit", **kwargs):
    return revision_propose(actor=editor, content=content, summary=summary, **kwargs)


def _fresh(seed_content):
    counter = iter(range(10_000))
    return lambda: with_infobox(seed_content, "Partof", f"Insurgency in the Maghreb, phase {next(counter)}")


def _won(outcome) -> bool:
    return not isinstance(outcome, Exception)


@pytest.mark.parametrize(
    "command_name, rival_name",
    [("approve", "reject"), ("reject", "approve"), ("approve", "withdraw"), ("withdraw", "approve"), ("reject", "withdraw")],
)
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_revision_is_decided_once_whatever_commits_between_the_reads(
    command_name, rival_name, published_seed, seed_content, editor, reviewer, reviewer2
):
    fresh = _fresh(seed_content)
    actions = {
        "approve": lambda revision_id: revision_approve(actor=reviewer, revision_id=revision_id),
        "reject": lambda revision_id: revision_reject(actor=reviewer2, revision_id=revision_id, reason="unsourced"),
        "withdraw": lambda revision_id: revision_withdraw(actor=editor, revision_id=revision_id),
    }

    def scenario():
        revision = _propose(editor, fresh())
        return (lambda: actions[command_name](revision.id)), (lambda: actions[rival_name](revision.id))

    for after_read, outcome, rival_outcome in walk(scenario):
        assert _won(outcome) != _won(rival_outcome), f"read {after_read}: {outcome!r} / {rival_outcome!r}"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_rival_approvals_of_two_revisions_publish_one(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    fresh = _fresh(seed_content)

    def scenario():
        first, second = _propose(editor, fresh()), _propose(editor2, fresh())
        return (
            lambda: revision_approve(actor=reviewer, revision_id=first.id),
            lambda: revision_approve(actor=reviewer2, revision_id=second.id),
        )

    for after_read, outcome, rival_outcome in walk(scenario):
        assert _won(outcome) != _won(rival_outcome), f"read {after_read}: {outcome!r} / {rival_outcome!r}"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_proposal_records_the_base_that_was_published_when_it_was_recorded(
    published_seed, seed_content, editor, editor2, reviewer
):
    fresh = _fresh(seed_content)

    def scenario():
        other = _propose(editor2, fresh())
        return (lambda: _propose(editor, fresh())), (lambda: revision_approve(actor=reviewer, revision_id=other.id))

    for after_read, outcome, rival_outcome in walk(scenario):
        assert _won(outcome) and _won(rival_outcome), f"read {after_read}: {outcome!r} / {rival_outcome!r}"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_rival_first_drafts_of_one_title_share_one_stream(seed_content, editor, editor2):
    titles = iter(f"Raid on Inates {number}" for number in range(10_000))

    def scenario():
        title = next(titles)
        content = seed_content.__class__(**{**seed_content.__dict__, "title": title})
        rival_content = with_infobox(content, "Partof", "Another first draft")
        return (lambda: _propose(editor, content, "first draft")), (lambda: _propose(editor2, rival_content, "mine"))

    # A first draft reads who holds the title, then claims it; a rival claiming it later waits for the claim.
    for after_read, outcome, rival_outcome in walk(scenario, min_reads=1):
        assert _won(outcome) and _won(rival_outcome), f"read {after_read}: {outcome!r} / {rival_outcome!r}"
        assert outcome.stream == rival_outcome.stream, f"read {after_read}: two streams for {outcome.title!r}"
        assert ArticleAddress.objects.get(slug=Revision.objects.get(id=outcome.id).slug).stream == outcome.stream


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_overlapping_check_runs_record_each_step_once_and_reach_a_verdict(
    published_seed, seed_content, editor, monkeypatch
):
    fresh = _fresh(seed_content)
    monkeypatch.setattr(services, "_after_propose_hooks", [])  # these proposals wait for the runs below

    def scenario():
        revision = _propose(editor, fresh())
        return (lambda: checks.check_revision(revision.id)), (lambda: checks.check_revision(revision.id))

    for after_read, outcome, rival_outcome in walk(scenario):
        assert outcome in ("passed", "warnings") and rival_outcome in ("passed", "warnings"), (
            f"read {after_read}: {outcome!r} / {rival_outcome!r}"
        )


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_no_rival_can_write_while_a_command_is_deciding(
    published_seed, seed_content, editor, reviewer, monkeypatch
):
    """SQLite cannot interleave: every command's transaction holds the write lock from its first read."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL pass walks real interleavings instead (tests above)")
    import sqlite3

    database = connection.settings_dict["NAME"]
    refused = []

    def rival():
        rival_connection = sqlite3.connect(database, timeout=0)
        try:
            rival_connection.execute("BEGIN IMMEDIATE")
            rival_connection.execute("ROLLBACK")
            refused.append(False)
        except sqlite3.OperationalError as error:
            refused.append("locked" in str(error))
        finally:
            rival_connection.close()

    fresh = _fresh(seed_content)

    def approval():
        revision = _propose(editor, fresh())
        return lambda: revision_approve(actor=reviewer, revision_id=revision.id)

    reads = count_reads(approval())
    for after_read in range(1, reads + 1):
        outcome, _record = run_with_rival(approval(), rival, after_read=after_read)
        assert _won(outcome), outcome
    assert len(refused) == reads and all(refused), refused


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_decision_during_a_check_run_stays_in_the_revision_list(
    published_seed, seed_content, editor, reviewer2, monkeypatch
):
    """Check results and decisions go to different streams; neither may overwrite what the other recorded."""
    fresh = _fresh(seed_content)
    monkeypatch.setattr(services, "_after_propose_hooks", [])

    def scenario():
        revision = _propose(editor, fresh())
        return (
            lambda: checks.check_revision(revision.id),
            lambda: revision_reject(actor=reviewer2, revision_id=revision.id, reason="off topic"),
        )

    for after_read, _outcome, rival_outcome in walk(scenario):
        assert _won(rival_outcome), f"read {after_read}: {rival_outcome!r}"


# Rebases: a merge reads the stale proposal, its base and what is published, then writes two events
# (the merged proposal and the old one's withdrawal). A rival commit between those reads must make it
# merge again onto what is published then, or refuse: never a merge onto a revision no longer published,
# never a proposal both withdrawn and carried on.


def _published_content():
    return load_content(Revision.objects.get(id=Article.objects.get().current_revision_id).content_hash)


def _stranded(editor, editor2, reviewer, number):
    """A proposal of `editor` left behind by the approval of another edit of a different field."""
    now = _published_content()
    stale = _propose(editor, with_infobox(now, "Result", f"ISGS victory, stage {number}"))
    moved = _propose(editor2, with_infobox(now, "Partof", f"Jihadist insurgency in Niger, phase {number}"))
    revision_approve(actor=reviewer, revision_id=moved.id)
    return stale


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_rebase_lands_on_what_is_published_when_it_commits_whatever_is_approved_meanwhile(
    published_seed, editor, editor2, reviewer, reviewer2
):
    numbers = iter(range(10_000))

    def scenario():
        number = next(numbers)
        stale = _stranded(editor, editor2, reviewer, number)
        other = _propose(editor2, with_infobox(_published_content(), "Place", f"Ayorou, Niger ({number})"))
        return (
            lambda: revision_rebase(actor=editor, revision_id=stale.id),
            lambda: revision_approve(actor=reviewer2, revision_id=other.id),
        )

    merged_onto_the_rival = 0
    for after_read, outcome, rival_outcome in walk(scenario):
        assert _won(outcome) and _won(rival_outcome), f"read {after_read}: {outcome!r} / {rival_outcome!r}"
        # A rival that committed before the merge's append moved what is published: the merge was made
        # again onto it. One after it (the reads of the checks that follow the commit) finds it made.
        onto_rival = outcome.base_revision_id == rival_outcome.id
        assert onto_rival or outcome.base_revision_id == rival_outcome.base_revision_id, f"read {after_read}"
        merged = load_content(outcome.content_hash)
        assert merged.infobox_value("Result").startswith("ISGS victory, stage"), "the author's change was lost"
        if onto_rival:
            merged_onto_the_rival += 1
            assert merged.infobox_value("Place") == load_content(rival_outcome.content_hash).infobox_value("Place")
    assert merged_onto_the_rival >= 3, "the rival never committed inside the merge"


@pytest.mark.parametrize("rival_name", ["withdraw", "rebase by Stet"])
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_stranded_proposal_is_carried_on_or_withdrawn_once(rival_name, published_seed, editor, editor2, reviewer):
    numbers = iter(range(10_000))
    rivals = {
        "withdraw": lambda revision_id: revision_withdraw(actor=editor, revision_id=revision_id),
        "rebase by Stet": lambda revision_id: revision_rebase(actor=None, revision_id=revision_id),
    }

    stale_ids = []

    def scenario():
        stale = _stranded(editor, editor2, reviewer, next(numbers))
        stale_ids.append(stale.id)
        return (
            lambda: revision_rebase(actor=editor, revision_id=stale.id),
            lambda: rivals[rival_name](stale.id),
        )

    for after_read, outcome, rival_outcome in walk(scenario):
        assert _won(outcome) != _won(rival_outcome), f"read {after_read}: {outcome!r} / {rival_outcome!r}"
        stale = Revision.objects.get(id=stale_ids[after_read - 1])
        carried = Revision.objects.filter(rebased_from_id=stale.id).count()
        withdrawn_only = rival_name == "withdraw" and _won(rival_outcome)
        assert stale.status == "withdrawn"
        assert carried == (0 if withdrawn_only else 1), f"read {after_read}: carried on {carried} times"
