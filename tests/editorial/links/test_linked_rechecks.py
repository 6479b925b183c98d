"""The links projection, the rechecks after an approval and the consistency report, on the database.

The process manager runs after the approval commits (here: the captured
on-commit callbacks, with Celery eager, as without a broker); the same runs
on a real worker in tests/editorial/test_celery_redis.py.
"""

import dataclasses

import pytest
from django.test import TestCase
from django.utils import timezone

from editorial import linked_rechecks, links
from editorial.models import ArticleLink, ArticleName, ConsistencyEntry, Event, LinkedRecheck, ProposalMention, Revision
from editorial.services import revision_approve, revision_withdraw
from encyclopedia.models import Article
from tests.support.factories import propose_checked
from tests.support.linked_articles import inates_ambush, tongo_tongo

pytestmark = pytest.mark.django_db


def publish(content, editor, reviewer, *, run_after_commit=True, override_reason="", **propose):
    """Propose and approve, running what runs after each commit (checks, then the process managers)."""
    revision = propose_checked(actor=editor, content=content, summary="publish", **propose)
    approve = {"actor": reviewer, "revision_id": revision.id, "override_reason": override_reason}
    if not run_after_commit:
        return revision_approve(**approve)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return revision_approve(**approve)


def stream_of(title):
    return Article.objects.get(title=title).stream


def links_rows():
    return sorted(ArticleLink.objects.values_list("source_stream", "key", "kind", "source_revision_id")), sorted(
        ArticleName.objects.values_list("key", "stream")
    )


def events_of(revision_id, event_type):
    return Event.objects.filter(revision_id=revision_id, type=event_type)


def with_lead_note(content, note=" It was widely reported."):
    return dataclasses.replace(content, lead=content.lead + note)


def test_the_projection_is_rebuilt_on_approval_and_replays_the_same(seed_content, editor, reviewer):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(), editor, reviewer)
    seed_stream, ambush_stream = stream_of("2017 Ayorou attack"), stream_of("Tongo Tongo ambush")
    assert links.streams_mentioning("Tongo Tongo ambush") == [seed_stream]
    assert set(ArticleLink.objects.filter(source_stream=seed_stream).values_list("key", "kind")) >= {
        ("title:tongo-tongo-ambush", "see also"),
        ("event:tongo-tongo", "see also"),
    }
    assert set(ArticleName.objects.filter(stream=ambush_stream).values_list("key", flat=True)) == {
        "title:tongo-tongo-ambush",
        "event:tongo-tongo",
    }
    before = links_rows()
    assert links.rebuild_all() == 2
    assert links_rows() == before


def with_background(content, old, new):
    sections = tuple(
        dataclasses.replace(section, body=section.body.replace(old, new)) if section.heading == "Background" else section
        for section in content.sections
    )
    return dataclasses.replace(content, sections=sections)


def test_an_open_proposal_is_checked_again_when_the_article_it_mentions_changes(seed_content, editor, editor2, reviewer):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(), editor, reviewer)
    proposal = propose_checked(
        actor=editor2, content=with_background(seed_content, "early October 2017", "early November 2017"), summary="month"
    )
    row = Revision.objects.get(id=proposal.id)
    assert row.check_status == "warnings"
    [finding] = [f for f in row.check_findings if f["rule_id"] == "links.facts_agree"]
    assert finding["message"] == (
        "The Background section dates the Tongo Tongo ambush to November 2017, "
        "but that article's infobox gives 4 October 2017."
    )

    changed = publish(tongo_tongo(date="4 November 2017"), editor, reviewer)

    row = Revision.objects.get(id=proposal.id)
    assert row.check_status == "passed", row.check_findings
    # Recorded with the linked revision it read, replacing the first result; the verdict is recorded again.
    results = [e.payload for e in events_of(proposal.id, "checks.rule_checked") if e.payload["rule_id"] == "links.facts_agree"]
    assert len(results) == 2
    assert results[1]["linked"] == {"Tongo Tongo ambush": changed.id} and results[1]["findings"] == []
    assert events_of(proposal.id, "checks.concluded").count() == 2
    # The other rules' results were not run again.
    assert events_of(proposal.id, "checks.rule_checked").count() == len(results) + 5

    # Run again (a redelivered task): nothing new is written.
    approval = Event.objects.filter(revision_id=changed.id, type="revision.approved").get()
    count = Event.objects.count()
    linked_rechecks.on_approval(approval.id)
    assert Event.objects.count() == count


def test_a_disagreement_the_published_article_already_had_is_shown_but_does_not_gate(
    seed_content, editor, editor2, reviewer
):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(), editor, reviewer)
    proposal = propose_checked(actor=editor2, content=with_lead_note(seed_content), summary="note")
    publish(tongo_tongo(date="4 December 2017"), editor, reviewer)
    row = Revision.objects.get(id=proposal.id)
    [finding] = [f for f in row.check_findings if f["rule_id"] == "links.facts_agree"]
    assert finding["inherited"] and row.check_status == "passed"


def test_a_published_article_that_disagrees_gets_an_entry_closed_when_they_agree_again(
    seed_content, editor, reviewer
):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(), editor, reviewer)
    assert not ConsistencyEntry.objects.exists()

    changed = publish(tongo_tongo(niger_killed=5), editor, reviewer)
    entry = ConsistencyEntry.objects.get()
    assert (entry.article_title, entry.linked_title, entry.since_revision_id) == (
        "2017 Ayorou attack",
        "Tongo Tongo ambush",
        changed.id,
    )
    assert entry.linked_revision_id == changed.id and entry.resolved_at is None
    assert "counts four killed (Niger)" in entry.findings[0]["message"]

    # Idempotent: the same approval again changes nothing.
    approval = Event.objects.get(revision_id=changed.id, type="revision.approved")
    linked_rechecks.on_approval(approval.id)
    assert ConsistencyEntry.objects.get() == entry and ConsistencyEntry.objects.get().updated_at == entry.updated_at

    fixed = publish(tongo_tongo(), editor, reviewer)
    entry.refresh_from_db()
    assert entry.resolved_at is not None and entry.resolved_by_revision_id == fixed.id
    assert not ConsistencyEntry.objects.filter(resolved_at__isnull=True).exists()


def test_a_cycle_of_three_articles_is_handled_once_per_approval(seed_content, editor, reviewer):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(see_also="Inates ambush"), editor, reviewer)
    publish(inates_ambush(), editor, reviewer)
    # seed -> Tongo Tongo -> Inates -> seed
    assert links.streams_mentioning("Inates ambush") == [stream_of("Tongo Tongo ambush")]
    assert links.streams_mentioning("2017 Ayorou attack") == [stream_of("Inates ambush")]
    assert not ConsistencyEntry.objects.exists()

    moved = dataclasses.replace(
        seed_content,
        infobox=tuple(
            dataclasses.replace(entry, value="October 28, 2017") if entry.key == "Date" else entry
            for entry in seed_content.infobox
        ),
    )
    # Its own prose still says 21 October: the reviewer overrides that, as a correction in two steps would.
    approved = publish(moved, editor, reviewer, run_after_commit=False, override_reason="prose next")
    approval = Event.objects.get(revision_id=approved.id, type="revision.approved")
    done = linked_rechecks.on_approval(approval.id)
    assert set(done["reported"]) == {"2017 Ayorou attack", "Inates ambush"}  # itself and who mentions it, once
    entry = ConsistencyEntry.objects.get()
    assert (entry.article_title, entry.linked_title, entry.since_revision_id) == (
        "Inates ambush",
        "2017 Ayorou attack",
        approved.id,
    )
    assert str(entry) == f"Inates ambush disagrees with 2017 Ayorou attack since revision {approved.id}"


def test_the_sweep_runs_the_rechecks_of_an_approval_whose_task_was_lost(seed_content, editor, reviewer):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(), editor, reviewer)
    lost = publish(tongo_tongo(date="4 December 2017"), editor, reviewer, run_after_commit=False)
    approval = Event.objects.get(revision_id=lost.id, type="revision.approved")
    assert not ConsistencyEntry.objects.exists()
    window = {"older_than": timezone.timedelta(0), "within": timezone.timedelta(days=1)}
    assert linked_rechecks.approvals_without_rechecks(**window) == [approval.id]

    assert linked_rechecks.sweep(**window) == [approval.id]
    assert LinkedRecheck.objects.filter(event_id=approval.id).exists()
    assert ConsistencyEntry.objects.get().since_revision_id == lost.id
    assert linked_rechecks.sweep(**window) == []


def test_renaming_the_linked_article_closes_the_entries_of_those_that_mention_its_old_title(
    seed_content, editor, reviewer
):
    publish(seed_content, editor, reviewer)
    publish(tongo_tongo(niger_killed=5), editor, reviewer)
    assert ConsistencyEntry.objects.filter(resolved_at__isnull=True).count() == 1

    renamed = publish(
        dataclasses.replace(tongo_tongo(niger_killed=5), title="Niger patrol ambush"),
        editor,
        reviewer,
        stream=stream_of("Tongo Tongo ambush"),
    )
    entry = ConsistencyEntry.objects.get()
    assert entry.resolved_by_revision_id == renamed.id  # the seed names the old title: no link, no entry
    assert links.streams_mentioning("Niger patrol ambush") == []


def test_a_check_reads_every_linked_article_in_one_query(seed_content, editor, reviewer, editor2):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from editorial import checks

    publish(seed_content, editor, reviewer)

    def queries_of_a_check(content):
        revision = propose_checked(actor=editor2, content=content, summary="count")
        with CaptureQueriesContext(connection) as captured:
            checks._context_for(checks.fold_revision(checks.store.revision_events(revision.id)))
        return len(captured.captured_queries) - 1  # the fold's read is not the context's

    none_published = queries_of_a_check(with_lead_note(seed_content, " One."))
    publish(tongo_tongo(), editor, reviewer)
    publish(inates_ambush(), editor, reviewer)
    mentions_both = dataclasses.replace(
        seed_content,
        sections=(*seed_content.sections[:-1], dataclasses.replace(
            seed_content.sections[-1], body="- Tongo Tongo ambush\n- Inates ambush"
        )),
    )
    context_queries = queries_of_a_check(mentions_both)
    assert context_queries == none_published
    context = checks._context_for(
        checks.fold_revision(checks.store.revision_events(Revision.objects.order_by("-id").first().id))
    )
    assert sorted(context.linked) == ["Inates ambush", "Tongo Tongo ambush"]


def test_a_proposal_that_first_mentions_an_article_is_checked_again_when_that_article_is_published(
    seed_content, editor, editor2, reviewer
):
    """The seed as published mentions nothing of Inates; the proposal is the first to. Its article
    is not among those that mention the ambush, yet the ambush's approval must check it again."""
    publish(seed_content, editor, reviewer)
    seed_stream = stream_of("2017 Ayorou attack")
    proposal = propose_checked(
        actor=editor2,
        content=with_background(
            seed_content, "also in Tillabéri Region.",
            "also in Tillabéri Region. In early November 2017, militants were intercepted in the Inates ambush.",
        ),
        summary="the Inates ambush",
    )
    assert links.streams_mentioning("Inates ambush") == []  # the published seed does not mention it
    assert Revision.objects.get(id=proposal.id).check_status == "passed"  # no such article yet

    ambush = publish(inates_ambush(date="6 December 2017"), editor, reviewer)

    assert seed_stream not in links.streams_mentioning("Inates ambush")
    results = [e.payload for e in events_of(proposal.id, "checks.rule_checked") if e.payload["rule_id"] == "links.facts_agree"]
    assert len(results) == 2, "the proposal was not checked again"
    assert results[1]["linked"] == {"Inates ambush": ambush.id}
    row = Revision.objects.get(id=proposal.id)
    assert row.check_status == "warnings", row.check_findings
    messages = [f["message"] for f in row.check_findings if f["rule_id"] == "links.facts_agree"]
    assert (
        "The Background section dates the Inates ambush to November 2017, "
        "but that article's infobox gives 6 December 2017."
    ) in messages, messages


def test_the_mentions_of_proposals_no_longer_open_are_purged_and_rebuilt_from_the_open_ones(
    seed_content, editor, editor2, reviewer
):
    publish(seed_content, editor, reviewer)
    kept = propose_checked(actor=editor2, content=with_lead_note(seed_content), summary="note")
    dropped = propose_checked(actor=editor, content=with_lead_note(seed_content, " Reported widely."), summary="other")
    mentioned = set(ProposalMention.objects.filter(revision_id=kept.id).values_list("key", flat=True))
    assert "title:tongo-tongo-ambush" in mentioned  # its See also
    revision_withdraw(actor=editor, revision_id=dropped.id)

    linked_rechecks.sweep(older_than=timezone.timedelta(0), within=timezone.timedelta(days=1))

    assert set(ProposalMention.objects.values_list("revision_id", flat=True)) == {kept.id}
    before = sorted(ProposalMention.objects.values_list("revision_id", "key"))
    ProposalMention.objects.all().delete()
    links.rebuild_all()
    assert sorted(ProposalMention.objects.values_list("revision_id", "key")) == before


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_first_mention_checked_while_its_article_is_approved_ends_on_the_approved_revision(
    seed_content, editor, editor2, reviewer, monkeypatch
):
    """The check run of a proposal that first mentions the Inates ambush, with an approval of the
    ambush (and its rechecks) committing after each of the run's reads in turn: whichever way they
    interleave, the proposal's linked result ends made with the ambush as published last."""
    from editorial import checks, services

    from tests.editorial.interleaving import run_with_rival

    publish(seed_content, editor, reviewer)
    publish(inates_ambush(date="6 December 2017"), editor, reviewer)
    monkeypatch.setattr(services, "_after_propose_hooks", [])  # the run under test is the proposal's check
    monkeypatch.setattr(services, "_after_event_hooks", [])  # the rival runs the rechecks itself, below
    days = iter(range(1, 29))

    def step(after_read):
        mention = f"also in Tillabéri Region. In early November 2017, the Inates ambush was reported ({after_read})."
        proposal = services.revision_propose(
            actor=editor2, content=with_background(seed_content, "also in Tillabéri Region.", mention), summary="Inates"
        )
        with TestCase.captureOnCommitCallbacks(execute=True):
            update = services.revision_propose(
                actor=editor, content=inates_ambush(date=f"{next(days)} December 2017"), summary="date"
            )
        checks.check_revision(update.id)

        def approve_and_recheck():
            approved = revision_approve(actor=reviewer, revision_id=update.id)
            event = Event.objects.get(revision_id=approved.id, type="revision.approved")
            linked_rechecks.on_approval(event.id)
            return approved

        _outcome, record = run_with_rival(lambda: checks.check_revision(proposal.id), approve_and_recheck, after_read=after_read)
        return proposal, record

    after_read = 0
    while True:
        after_read += 1
        proposal, record = step(after_read)
        if record.rival_ran_after_read is None:
            break
        approved = record.rival_outcome
        assert not isinstance(approved, Exception), approved
        results = [
            e.payload for e in events_of(proposal.id, "checks.rule_checked") if e.payload["rule_id"] == "links.facts_agree"
        ]
        assert results and results[-1]["linked"] == {"Inates ambush": approved.id}, (after_read, results)
    assert after_read > 4, "the run made fewer reads than expected"


def test_a_run_that_read_an_article_before_its_approval_does_not_put_that_reading_back_on_top(
    seed_content, editor, editor2, reviewer, monkeypatch
):
    """The race above, in its order of steps: a run reads the ambush as published, the ambush is
    approved and its rechecks check the proposal with the new revision, then the first run records."""
    from editorial import checks, services

    publish(seed_content, editor, reviewer)
    publish(inates_ambush(date="6 December 2017"), editor, reviewer)
    with monkeypatch.context() as unchecked:
        unchecked.setattr(services, "_after_propose_hooks", [])  # its first run is the one below
        proposal = services.revision_propose(
            actor=editor2,
            content=with_background(seed_content, "also in Tillabéri Region.", "also in Tillabéri Region. The Inates ambush followed."),
            summary="Inates",
        )
    state = checks.fold_revision(checks.store.revision_events(proposal.id))
    context = checks._context_for(state)  # the first run reads the ambush now
    early = [checks._rule_checked(rule, state, context) for rule in checks.registry.active_rules()]

    newer = publish(inates_ambush(date="7 December 2017"), editor, reviewer)  # its rechecks run the proposal's checks

    services.revision_record_check_run(
        revision_id=proposal.id, rule_versions=checks.registry.rule_versions(), results=early, stream=state.stream
    )
    results = [e.payload for e in events_of(proposal.id, "checks.rule_checked") if e.payload["rule_id"] == "links.facts_agree"]
    assert [result["linked"] for result in results] == [{"Inates ambush": newer.id}]
