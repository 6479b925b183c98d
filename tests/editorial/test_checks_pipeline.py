"""The checks pipeline in-process (no broker): verdicts, idempotence, the gate, lost and stale checks."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from editorial import checks
from editorial import rules as registry
from editorial.services import revision_approve, revision_propose
from editorial.errors import ChecksFailed, ChecksPending
from editorial.models import Event, Revision
from editorial.rules import RULES
from encyclopedia.models import Article

from tests.support.commands import call_command_committed
from tests.support.factories import propose_checked, with_infobox

pytestmark = pytest.mark.django_db


def events_of(revision_id, event_type):
    return Event.objects.filter(revision_id=revision_id, type=event_type)


def show(revision_id) -> dict:
    out = StringIO()
    call_command("show_revision", str(revision_id), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_seed_passes_every_rule_and_the_verdict_is_recorded_once(published_seed):
    revision_id = published_seed.id
    assert events_of(revision_id, "checks.rule_checked").count() == len(RULES)
    assert events_of(revision_id, "checks.concluded").count() == 1
    shown = show(revision_id)
    assert shown["checks"]["verdict"] == "passed"
    assert shown["checks"]["findings"] == []
    assert shown["checks"]["rule_versions"] == {rule.id: rule.version for rule in RULES}


def test_running_the_checks_twice_records_one_result(published_seed, seed_content, editor):
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    events_before = Event.objects.count()
    assert checks.check_revision(revision.id) == "passed"
    assert checks.check_revision(revision.id) == "passed"
    assert Event.objects.count() == events_before


def test_errors_block_approval_until_a_reviewer_overrides_with_a_reason(published_seed, seed_content, editor, reviewer):
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Casualties1", "14 killed, 5 injured"), summary="toll"
    )
    shown = show(revision.id)
    assert shown["checks"]["verdict"] == "failed"
    errors = [f for f in shown["checks"]["findings"] if f["severity"] == "error"]
    assert "casualties.infobox_prose" in {f["rule_id"] for f in errors}
    versions = {rule.id: rule.version for rule in RULES}
    assert all(
        f["rule_version"] == versions[f["rule_id"]] and f["target"] and f["message"] and f["evidence"]
        and f["inherited"] is False
        for f in errors
    )

    with pytest.raises(ChecksFailed, match="override"):
        revision_approve(actor=reviewer, revision_id=revision.id)
    with pytest.raises(CommandError, match="error\\(s\\) standing"):
        call_command("approve_revision", str(revision.id), "--user", reviewer.username, stdout=StringIO())

    out = StringIO()
    call_command(
        "approve_revision", str(revision.id), "--user", reviewer.username,
        "--override", "The ministry revised the toll; the prose follows.", stdout=out,
    )
    assert "override: The ministry revised the toll" in out.getvalue()
    approval = events_of(revision.id, "revision.approved").get()
    assert approval.payload["override_reason"] == "The ministry revised the toll; the prose follows."
    assert show(revision.id)["override_reason"] == "The ministry revised the toll; the prose follows."
    assert Article.objects.get().infobox_fields.get(key="Casualties1").value == "14 killed, 5 injured"


def test_approval_waits_while_checks_are_pending_and_recheck_sends_lost_ones(published_seed, seed_content, editor, reviewer):
    # The on-commit hook never runs here: the checks of this proposal are "lost".
    revision = revision_propose(
        actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    assert Revision.objects.get(id=revision.id).check_status == "pending"
    with pytest.raises(ChecksPending, match="have not finished"):
        revision_approve(actor=reviewer, revision_id=revision.id)

    assert checks.revisions_needing_checks() == []  # not lost yet: a worker may be on it
    assert checks.revisions_needing_checks(older_than=__import__("datetime").timedelta(0)) == [revision.id]

    out = StringIO()
    call_command_committed("recheck", str(revision.id), stdout=out)
    assert out.getvalue() == f"{revision.id}\tchecks sent\n"
    assert Revision.objects.get(id=revision.id).check_status == "passed"
    revision_approve(actor=reviewer, revision_id=revision.id)


def test_a_rule_that_raises_gives_error_in_a_rule_never_pending(settings, published_seed, seed_content, editor, reviewer):
    settings.STET_EXTRA_RULES = ["tests.support.rules.ExplodingRule"]
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    row = Revision.objects.get(id=revision.id)
    assert row.check_status == "error"
    [broken] = [f for f in row.check_findings if f["rule_id"] == "test.explodes"]
    assert "ZeroDivisionError: division by zero" in broken["message"]
    with pytest.raises(ChecksFailed, match="failed to run"):
        revision_approve(actor=reviewer, revision_id=revision.id)
    revision_approve(actor=reviewer, revision_id=revision.id, override_reason="The test rule is known to be broken.")


def test_a_new_rule_version_makes_old_results_stale_and_rechecks_open_revisions(
    monkeypatch, published_seed, seed_content, editor, reviewer
):
    revision = propose_checked(
        actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    upgraded = type(RULES[0])
    bumped = type("Bumped", (upgraded,), {"version": upgraded.version + 1})()
    monkeypatch.setattr(registry, "active_rules", lambda: (bumped, *RULES[1:]))

    with pytest.raises(ChecksPending, match=bumped.id):
        revision_approve(actor=reviewer, revision_id=revision.id)
    assert checks.revisions_needing_checks() == [revision.id]  # due at once, not after a delay

    call_command_committed("recheck", stdout=StringIO())

    row = Revision.objects.get(id=revision.id)
    assert row.check_rule_versions[bumped.id] == upgraded.version + 1
    assert events_of(revision.id, "checks.concluded").count() == 2
    assert checks.revisions_needing_checks() == []
    revision_approve(actor=reviewer, revision_id=revision.id)


def test_replay_reproduces_the_check_state_of_the_revision_list(published_seed, seed_content, editor):
    from editorial import replay

    propose_checked(actor=editor, content=with_infobox(seed_content, "Casualties1", "14 killed"), summary="toll")
    before = list(Revision.objects.order_by("id").values())
    replay.rebuild()
    assert list(Revision.objects.order_by("id").values()) == before
    assert replay.verify().ok


def test_the_beat_sweep_re_enqueues_lost_checks(settings, published_seed, seed_content, editor):
    from editorial.tasks import sweep_checks

    revision = revision_propose(  # its on-commit enqueue never runs: the checks are lost
        actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    assert sweep_checks() == []  # too recent: a worker may still be on it
    settings.STET_CHECKS_LOST_AFTER = 0
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sweep_checks() == [revision.id]
    assert Revision.objects.get(id=revision.id).check_status == "passed"
    assert sweep_checks() == []


def test_a_check_run_is_recorded_in_one_write_and_updates_only_the_columns_that_change(
    published_seed, seed_content, editor, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from editorial import services

    monkeypatch.setattr(services, "_after_propose_hooks", [])  # the run below is the only one
    revision = revision_propose(
        actor=editor, content=with_infobox(seed_content, "Result", "ISGS tactical victory"), summary="wording"
    )
    with CaptureQueriesContext(connection) as captured:
        assert checks.check_revision(revision.id) == "passed"
    statements = [query["sql"] for query in captured.captured_queries]

    def count(prefix):
        return sum(1 for sql in statements if sql.startswith(prefix))

    # One conditional head update and one insert for every result and the verdict: one append, one transaction.
    assert count('UPDATE "editorial_stream"') == 1, statements
    assert count('INSERT INTO "editorial_event"') == 1, statements
    assert events_of(revision.id, "checks.rule_checked").count() == len(RULES)
    assert events_of(revision.id, "checks.concluded").count() == 1
    assert not events_of(revision.id, "checks.started").exists()  # the run's results say when it ran
    updates = [sql for sql in statements if sql.startswith('UPDATE "editorial_revision"')]
    assert len(updates) == 1, updates
    # A clean edit's findings stay [] and decisions are not the checks' to write.
    assert '"check_status"' in updates[0] and '"checks_concluded_at"' in updates[0]
    assert '"check_findings"' not in updates[0] and '"status"' not in updates[0].replace('"check_status"', "")
    # Four reads to run the rules (the last: the published articles the proposal mentions, all in one),
    # and before that last one the names it mentions noted in one insert (so an approval of any of them
    # checks it again); then, in the transaction, two reads (heads, events) and four writes.
    assert count('INSERT OR IGNORE INTO "editorial_proposalmention"') + count(
        'INSERT INTO "editorial_proposalmention"'
    ) == 1, statements
    assert len(statements) <= 13, "\n".join(statements)
