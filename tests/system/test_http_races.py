"""Races over real HTTP, against gunicorn with several worker processes, on PostgreSQL.

What a crowd of people clicking at once does to the log, end to end: the
admin forms and the review page, CSRF and sessions, separate server
processes each with its own database connection, and the checks running
in the server after each proposal commits (CELERY_BROKER_URL unset).

- Rival decisions: a reviewer approves, a second reviewer rejects and the
  author withdraws one fresh revision, all three posts released together,
  100 times. Exactly one of them wins; the others are refused.
- Eight editors save the article's edit form at once: every proposal is
  recorded, none refused.
- Rival first drafts: several editors create the same new title at once:
  one stream holds every draft, and one history shows them.

After every round: exactly one decision per decided revision, the
published pointer agrees with it, and `editorial.replay.verify()` finds
nothing. No response is a 500.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from editorial import events as ev
from editorial.models import Event, Revision
from editorial.replay import verify
from encyclopedia.models import Article

from tests.support.processes import wait_until
from tests.support.html import errors_on, forms_on, messages_on

from .http_support import GunicornServer, HttpUser

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WORKERS, THREADS = 4, 2  # eight requests in flight at once, over four processes
DECISION_ROUNDS = 100
BURST_EDITORS, BURST_ROUNDS = 8, 5
DRAFTERS, DRAFT_ROUNDS = 6, 5
DECISIONS = {ev.RevisionApproved.type: "approved", ev.RevisionRejected.type: "rejected",
             ev.RevisionWithdrawn.type: "withdrawn"}


# --- People, the server, and small steps ------------------------------------------------


def member(username: str, *groups: str):
    from editorial.roles import ensure_groups

    ensure_groups()
    user = get_user_model().objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def server(transactional_db, tmp_path):
    gunicorn = GunicornServer(tmp_path / "gunicorn.log", workers=WORKERS, threads=THREADS).start()
    yield gunicorn
    gunicorn.stop()
    errors = gunicorn.server_errors()
    assert not errors, "the server answered 5xx:\n" + "\n".join(errors[:20]) + "\n" + gunicorn.output()[-4000:]


def logged_in(server, *usernames: str) -> list[HttpUser]:
    return [HttpUser(server, name).login() for name in usernames]


def race(*posts) -> list:
    """Run the callables in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(posts))
    results: list = [None] * len(posts)

    def run(index, post):
        barrier.wait(timeout=60)
        try:
            results[index] = post()
        except BaseException as error:  # reported with the round, not lost in a thread
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, post)) for index, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a request did not return within 180 s"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def change_path(article_id: int) -> str:
    return f"/admin/encyclopedia/article/{article_id}/change/"


def review_path(revision_id: int) -> str:
    return f"/admin/editorial/revision/{revision_id}/review/"


def edit_form_with(user: HttpUser, article_id: int, *, key: str, value: str, summary: str) -> list:
    """The article's edit form as `user` opened it, with one infobox value changed and a summary."""
    form = user.form(change_path(article_id), id="article_form")
    (row,) = [name[: -len("-key")] for name in form.names(r"infobox_fields-\d+-key") if form.value(name) == key]
    return form.with_values(**{f"{row}-value": value, "summary": summary})


def outcome(response) -> str:
    """'ok' for the redirect of a success, else the status and what the page says."""
    if response.status_code == 302:
        return "ok"
    said = errors_on(response.text) + messages_on(response.text)
    return f"{response.status_code}: {' | '.join(said) or response.text[:200]}"


def verdict_of(revision_id: int) -> bool:
    return Revision.objects.filter(id=revision_id, checks_concluded_at__isnull=False).exists()


def wait_for_verdicts(revision_ids) -> None:
    for revision_id in revision_ids:
        wait_until(lambda: verdict_of(revision_id), timeout=60, what=f"the verdict of revision {revision_id}")


def decisions_of(revision_id: int) -> list[str]:
    types = Event.objects.filter(revision_id=revision_id, type__in=DECISIONS).order_by("version")
    return [DECISIONS[event_type] for event_type in types.values_list("type", flat=True)]


class LogWatch:
    """`verify()` after each round, reporting only what the round added (damage stays in the log)."""

    def __init__(self):
        self.seen: set[str] = set()

    def new_problems(self) -> list[str]:
        problems = [problem for problem in verify().problems if problem not in self.seen]
        self.seen.update(problems)
        return problems


def decided_more_than_once() -> dict[int, int]:
    """Every revision of the whole log with more than one decision event, and how many."""
    counts = Counter(Event.objects.filter(type__in=DECISIONS).values_list("revision_id", flat=True))
    return {revision_id: count for revision_id, count in counts.items() if count > 1}


# --- 1. Rival decisions on one revision ----------------------------------------------------


def test_rival_approve_reject_and_withdraw_posts_leave_exactly_one_decision(server, published_seed):
    article = Article.objects.get()
    member("author", "Editors")
    member("reviewer-a", "Reviewers")
    member("reviewer-b", "Reviewers")
    author, approver, rejecter = logged_in(server, "author", "reviewer-a", "reviewer-b")
    failures: list[str] = []
    log = LogWatch()
    winners: Counter = Counter()
    started = time.monotonic()

    for number in range(DECISION_ROUNDS):
        published_before = Article.objects.values_list("current_revision_id", flat=True).get()
        summary = f"decision round {number}"
        proposed = author.post(
            change_path(article.id),
            edit_form_with(author, article.id, key="Result", value=f"ISGS victory (round {number})", summary=summary),
        )
        assert proposed.status_code == 302, f"round {number}: the proposal was refused: {outcome(proposed)}"
        revision_id = Revision.objects.get(summary=summary).id
        wait_for_verdicts([revision_id])

        # Each opens the review page and takes the form it would use (with its CSRF token).
        page = approver.get(review_path(revision_id)).text
        approve_forms = forms_on(page, class_="approve-form") or forms_on(page, class_="approve-override-form")
        assert approve_forms, f"round {number}: no approval offered to the reviewer"
        approve = approve_forms[0].with_values(override_reason="Checked against the sources")
        reject = forms_on(rejecter.get(review_path(revision_id)).text, class_="reject-form")[0].with_values(
            reason="Unsourced"
        )
        withdraw = forms_on(author.get(review_path(revision_id)).text, class_="withdraw-form")[0].with_values(
            withdraw_reason="Second thoughts"
        )

        responses = race(
            lambda: approver.post(review_path(revision_id), approve),
            lambda: rejecter.post(review_path(revision_id), reject),
            lambda: author.post(review_path(revision_id), withdraw),
        )

        said = dict(zip(("approve", "reject", "withdraw"), (outcome(response) for response in responses)))
        won = [action for action, result in said.items() if result == "ok"]
        decided = decisions_of(revision_id)
        row = Revision.objects.get(id=revision_id)
        published_now = Article.objects.values_list("current_revision_id", flat=True).get()
        problems = []
        if len(won) != 1:
            problems.append(f"{len(won)} posts succeeded")
        if any(not result.startswith(("ok", "409")) for result in said.values()):
            problems.append("a loser was not refused as a conflict (409)")
        if len(decided) != 1:
            problems.append(f"the log holds {decided}")
        elif won and {"approve": "approved", "reject": "rejected", "withdraw": "withdrawn"}[won[0]] != decided[0]:
            problems.append(f"{won[0]} succeeded but the log says {decided[0]}")
        if decided and row.status != decided[-1]:
            problems.append(f"the read model says {row.status}")
        expected_published = revision_id if decided == ["approved"] else published_before
        if published_now != expected_published:
            problems.append(f"published is {published_now}, expected {expected_published}")
        if problems_in_log := log.new_problems():
            problems.append(f"verify: {problems_in_log[:3]}")
        if problems:
            failures.append(f"round {number}, revision {revision_id}: {'; '.join(problems)} — {said}")
        winners.update(won)

    elapsed = time.monotonic() - started
    print(f"\n{DECISION_ROUNDS} decision rounds in {elapsed:.1f}s; winners {dict(winners)}")
    assert not failures, f"{len(failures)} of {DECISION_ROUNDS} rounds went wrong:\n" + "\n".join(failures[:20])
    assert decided_more_than_once() == {}


# --- 2. Eight editors save the edit form at once -----------------------------------------


def test_eight_editors_saving_at_once_are_all_recorded(server, published_seed):
    article = Article.objects.get()
    names = [f"editor-{index}" for index in range(BURST_EDITORS)]
    for name in names:
        member(name, "Editors")
    editors = logged_in(server, *names)
    failures: list[str] = []
    log = LogWatch()
    started = time.monotonic()

    for number in range(BURST_ROUNDS):
        summaries = [f"burst {number} by {user.username}" for user in editors]
        # Everyone opens the form on the same published revision, then all save together.
        forms = [
            edit_form_with(user, article.id, key="Partof", value=f"Sahel (round {number}, {user.username})", summary=s)
            for user, s in zip(editors, summaries)
        ]
        responses = race(*[lambda user=user, form=form: user.post(change_path(article.id), form)
                           for user, form in zip(editors, forms)])

        refused = {user.username: outcome(response) for user, response in zip(editors, responses)
                   if outcome(response) != "ok"}
        recorded = Revision.objects.filter(summary__in=summaries)
        proposals = Event.objects.filter(type=ev.RevisionProposed.type, id__in=recorded.values("id")).count()
        problems = []
        if refused:
            problems.append(f"{len(refused)} refused: {refused}")
        if recorded.count() != BURST_EDITORS or proposals != BURST_EDITORS:
            problems.append(f"{recorded.count()} revisions and {proposals} proposals recorded")
        if recorded.exclude(stream=article.stream).exists() or recorded.exclude(status="pending").exists():
            problems.append("a proposal landed in another stream or was decided")
        if not problems:
            wait_for_verdicts(recorded.values_list("id", flat=True))
        if problems_in_log := log.new_problems():
            problems.append(f"verify: {problems_in_log[:3]}")
        if problems:
            failures.append(f"round {number}: {'; '.join(problems)}")

    elapsed = time.monotonic() - started
    print(f"\n{BURST_ROUNDS} rounds of {BURST_EDITORS} editors in {elapsed:.1f}s")
    assert Article.objects.get().current_revision_id == published_seed.id  # proposing publishes nothing
    assert not failures, f"{len(failures)} of {BURST_ROUNDS} rounds went wrong:\n" + "\n".join(failures)
    assert decided_more_than_once() == {}


# --- 3. Rival first drafts of one new title ------------------------------------------------


def test_rival_first_drafts_of_a_new_title_share_one_stream_and_one_history(server, published_seed):
    names = [f"drafter-{index}" for index in range(DRAFTERS)]
    for name in names:
        member(name, "Editors")
    member("reviewer-a", "Reviewers")
    drafters = logged_in(server, *names)
    (reviewer,) = logged_in(server, "reviewer-a")
    failures: list[str] = []
    log = LogWatch()
    started = time.monotonic()

    for number in range(DRAFT_ROUNDS):
        title = f"Tongo Tongo ambush {number}"
        forms = [
            user.form("/admin/encyclopedia/article/add/", id="article_form").with_values(
                title=title, lead=f"An ambush near Tongo Tongo, as {user.username} tells it.",
                summary=f"First draft by {user.username}",
            )
            for user in drafters
        ]
        responses = race(*[lambda user=user, form=form: user.post("/admin/encyclopedia/article/add/", form)
                           for user, form in zip(drafters, forms)])

        refused = {user.username: outcome(response) for user, response in zip(drafters, responses)
                   if outcome(response) != "ok"}
        drafts = Revision.objects.filter(title=title).order_by("id")
        streams = set(drafts.values_list("stream", flat=True))
        event_streams = set(
            Event.objects.filter(type=ev.RevisionProposed.type, id__in=drafts.values("id")).values_list("stream", flat=True)
        )
        problems = []
        if refused:
            problems.append(f"{len(refused)} refused: {refused}")
        if drafts.count() != DRAFTERS:
            problems.append(f"{drafts.count()} drafts recorded")
        if len(streams) != 1 or event_streams != streams:
            problems.append(f"{len(streams)} streams")
        if problems_in_log := log.new_problems():
            problems.append(f"verify: {problems_in_log[:3]}")

        if not problems:
            # Publish the first draft; every draft stays in the one history of the article.
            first = drafts.first()
            wait_for_verdicts([first.id])
            page = reviewer.get(review_path(first.id)).text
            form = (forms_on(page, class_="approve-form") or forms_on(page, class_="approve-override-form"))[0]
            approved = reviewer.post(review_path(first.id), form.with_values(override_reason="A stub to grow"))
            if approved.status_code != 302:
                problems.append(f"approving the first draft: {outcome(approved)}")
            else:
                slug = Article.objects.get(title=title).slug
                history = drafters[0].get(f"/articles/{slug}/history/")
                shown = {revision.id for revision in drafts if f"/revisions/{revision.id}/" in history.text}
                if history.status_code != 200 or shown != {revision.id for revision in drafts}:
                    problems.append(f"the history shows {len(shown)} of {DRAFTERS} drafts")
                if problems_in_log := log.new_problems():
                    problems.append(f"verify after approval: {problems_in_log[:3]}")
        if problems:
            failures.append(f"round {number} ({title!r}): {'; '.join(problems)}")

    elapsed = time.monotonic() - started
    print(f"\n{DRAFT_ROUNDS} rounds of {DRAFTERS} rival drafts in {elapsed:.1f}s")
    assert not failures, f"{len(failures)} of {DRAFT_ROUNDS} rounds went wrong:\n" + "\n".join(failures)
    assert decided_more_than_once() == {}
