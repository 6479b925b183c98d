"""Backtests in this process (no broker): the counts, the comparison with the verdicts in force, the links."""

import dataclasses
import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from backtests import engine
from backtests.models import BacktestChunk, BacktestRun
from editorial.rules import RULES
from tests.support.factories import client_for, publish
from tests.support.linked_articles import tongo_tongo

pytestmark = pytest.mark.django_db

RULE = "test.result_wording"
LINKED = "links.facts_agree"


def backtest(*arguments) -> str:
    out = StringIO()
    call_command("backtest_rules", *arguments, stdout=out)
    return out.getvalue()


def test_a_new_version_is_judged_against_the_version_in_force(history):
    output = backtest("--chunk", "2")
    run = BacktestRun.objects.get()
    assert (run.status, run.mode, run.revisions, run.chunks) == ("done", "in-process", 4, 2)
    assert run.rule_versions == {**{rule.id: rule.version for rule in RULES}, RULE: 2}
    result = run.results.get(rule_id=RULE)
    assert (result.rule_version, result.revisions, result.flagged, result.flagged_warning, result.flagged_error) == (
        2, 4, 1, 1, 0
    )
    assert (result.newly_flagged, result.no_longer_flagged, result.flagged_differently, result.unchanged) == (1, 1, 0, 2)
    assert result.versions_in_force == {"none": 1, "1": 3}  # the seed was checked before the rule existed
    assert [example["revision"] for example in result.examples["newly_flagged"]] == [history["decisive"]]
    no_longer = result.examples["no_longer_flagged"]
    assert [example["revision"] for example in no_longer] == [history["tactical"]]
    assert no_longer[0]["before"] == "The Result says 'tactical'."
    assert "1/2 chunks, 2/4 revisions" in output and "2/2 chunks, 4/4 revisions" in output
    assert f"{RULE} v2: 1 of 4 revisions flagged (errors 0, warnings 1, info 0)" in output
    assert "newly flagged 1, no longer flagged 1, flagged differently 0, unchanged 2" in output
    assert f"/admin/editorial/revision/{history['decisive']}/change/" in output
    assert f"/articles/2017-ayorou-attack/revisions/{history['decisive']}/" in output
    assert f"/admin/backtests/backtestrun/{run.pk}/change/" in output


def test_the_rules_that_did_not_change_find_what_their_verdicts_found(history):
    backtest()
    for result in BacktestRun.objects.get().results.all():
        if result.rule_id != RULE:
            assert (result.newly_flagged, result.no_longer_flagged, result.flagged_differently) == (0, 0, 0), result


def test_one_rule_and_a_start_date(history):
    backtest("--rule", RULE)
    assert list(BacktestRun.objects.get().results.values_list("rule_id", flat=True)) == [RULE]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    output = backtest("--rule", RULE, "--since", tomorrow)
    assert "0 approved revisions" in output
    assert BacktestRun.objects.first().results.get().revisions == 0


def test_an_unknown_rule_is_refused_naming_the_rules(history):
    with pytest.raises(CommandError, match="no rule 'nope'; the rules are structure.infobox"):
        backtest("--rule", "nope")
    assert not BacktestRun.objects.exists()


def test_a_chunk_is_judged_in_a_fixed_number_of_queries_and_recorded_once(history):
    run = engine.plan(rule_ids=[rule.id for rule in RULES if rule.id != LINKED], chunk_size=10)
    with CaptureQueriesContext(connection) as queries:
        assert engine.judge_chunk(run.pk, 0) is True
    # the chunk, the revisions, their bases' hashes, the contents, the conditional write
    assert len(queries) == 5, [query["sql"] for query in queries]
    part = BacktestChunk.objects.get(run=run).part
    assert engine.judge_chunk(run.pk, 0) is False  # a redelivery: nothing judged, nothing written
    assert BacktestChunk.objects.get(run=run).part == part


def test_a_rule_reading_linked_articles_reads_them_as_published_when_each_revision_was_approved(
    history, seed_content, editor, reviewer
):
    # The ambush is published with a date the seed's "early October 2017" contradicts; a new article
    # repeating the seed's Background is approved (its checks read that ambush); then the ambush is corrected.
    published = []
    for content in (
        tongo_tongo(date="4 December 2017"),
        dataclasses.replace(seed_content, title="Raid on the Ayorou outpost"),
        tongo_tongo(date="4 October 2017"),
    ):
        with TestCase.captureOnCommitCallbacks(execute=True):  # each approval's links are projected before the next
            published.append(publish(content, author=editor, reviewer=reviewer))
    copy = published[1]
    run = engine.plan(rule_ids=[LINKED], chunk_size=100)
    with CaptureQueriesContext(connection) as queries:
        engine.judge_chunk(run.pk, 0)
    # The chunk, its revisions, their bases, the contents; the names, the linked articles' approvals; the record.
    assert len(queries) == 7, [query["sql"] for query in queries]
    result = engine.finish(run).results.get()
    # The seed's revisions were approved before the ambush was published: nothing to compare with then.
    # The copy read the ambush as it was before its correction, as its own checks did: flagged, as in force.
    assert (result.revisions, result.flagged, result.newly_flagged, result.no_longer_flagged) == (7, 1, 0, 0)
    [example] = result.examples["flagged"]
    assert example["revision"] == copy.id
    assert "but that article's infobox gives 4 December 2017" in example["message"]


def test_a_process_with_another_version_of_a_rule_refuses_its_chunk(history, settings):
    run = engine.plan(rule_ids=[RULE], chunk_size=10)
    settings.STET_EXTRA_RULES = ["tests.backtests.rules.ResultWordingV1"]  # as a worker not yet deployed would
    engine.judge_chunk(run.pk, 0, worker="old@host")
    run = engine.finish(run)
    assert run.status == "failed"
    assert "this process has v1 of test.result_wording, and the run is of v2" in run.error


def test_reviewers_read_the_report_in_the_admin(history, reviewer, editor):
    backtest("--chunk", "3")
    run = BacktestRun.objects.get()
    listing = client_for(reviewer).get("/admin/backtests/backtestrun/")
    assert listing.status_code == 200
    assert f"{RULE}: 1 (1)" in listing.content.decode()
    page = client_for(reviewer).get(f"/admin/backtests/backtestrun/{run.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Newly flagged" in html and "No longer flagged" in html
    assert f'href="/admin/editorial/revision/{history["decisive"]}/change/"' in html
    assert f'href="/articles/2017-ayorou-attack/revisions/{history["decisive"]}/"' in html
    assert "<td>1</td><td>1</td><td>0</td><td>2</td>" in html.replace("\n", "").replace("        ", "")
    assert client_for(editor).get(f"/admin/backtests/backtestrun/{run.pk}/change/").status_code == 403


@pytest.mark.parametrize("run_id", ["99999999999999999999999", "%00", "%D9%A3", "-1", "1e3"])
def test_a_hostile_run_address_is_no_server_error(history, reviewer, run_id):
    response = client_for(reviewer).get(f"/admin/backtests/backtestrun/{run_id}/change/")
    assert response.status_code in (302, 400, 404), response.status_code
