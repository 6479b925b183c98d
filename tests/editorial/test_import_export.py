"""import_article / export_article: the text format in and out through the commands."""

import json

import pytest
from django.core.management.base import CommandError

from editorial.models import ContentBlob, Event, Revision
from encyclopedia.models import Article

from tests.support.commands import call_command_committed

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command_committed(*args, stdout=out)
    return out.getvalue()


def write_file(tmp_path, name, text_or_bytes):
    path = tmp_path / name
    if isinstance(text_or_bytes, bytes):
        path.write_bytes(text_or_bytes)
    else:
        path.write_text(text_or_bytes, encoding="utf-8")
    return path


def test_import_approve_export_gives_the_seed_back_byte_for_byte(seed_bytes, tmp_path, editor, reviewer, capsysbinary):
    path = write_file(tmp_path, "seed.txt", seed_bytes)
    output = run("import_article", str(path), "--user", editor.username, "--summary", "first import")
    revision_id = int(output.split("\t")[0])
    assert output == f"{revision_id}\t2017 Ayorou attack\t{path}\n"
    assert Revision.objects.get(id=revision_id).summary == "first import"

    run("approve_revision", str(revision_id), "--user", reviewer.username)

    assert Article.objects.get().slug == "2017-ayorou-attack"
    assert run("export_article", "2017-ayorou-attack").encode("utf-8") == seed_bytes
    assert run("export_article", "2017-ayorou-attack", "--revision", str(revision_id)).encode("utf-8") == seed_bytes


def test_import_matches_an_existing_article_by_title(published_seed, seed_bytes, tmp_path, editor2):
    edited = seed_bytes.replace(b"intersected", b"intercepted")
    path = write_file(tmp_path, "edit.txt", edited)
    revision_id = int(run("import_article", str(path), "--user", editor2.username).split("\t")[0])

    revision = Revision.objects.get(id=revision_id)
    assert revision.stream == Article.objects.get().stream
    assert revision.base_revision_id == published_seed.id
    # One article stream (each revision also has a checks stream of its own).
    assert Event.objects.filter(type="revision.proposed").values("stream").distinct().count() == 1
    # The reader still sees the published text; the revision exports the proposal.
    assert b"intersected" in run("export_article", "2017-ayorou-attack").encode()
    assert run("export_article", "2017-ayorou-attack", "--revision", str(revision_id)).encode() == edited


def test_several_files_give_one_revision_each(seed_bytes, tmp_path, editor):
    first = write_file(tmp_path, "a.txt", seed_bytes)
    second = write_file(tmp_path, "b.txt", "= Tongo Tongo ambush =\n\nInfobox\n- Date: 4 October 2017\n\nAn ambush.\n")
    lines = run("import_article", str(first), str(second), "--user", editor.username).splitlines()
    assert [line.split("\t")[1] for line in lines] == ["2017 Ayorou attack", "Tongo Tongo ambush"]
    assert Revision.objects.count() == 2


@pytest.mark.parametrize(
    ("bad", "line", "words"),
    [
        (b"no title here\n", 1, "title"),
        ("= T =\n\nInfobox\n- Place Niger\n".encode(), 4, "- Key: value"),
        (b"= T =\n\nLead.\n\n== ==\nbody\n", 5, "heading has no text"),
        ("= T =\n\nLead about Tillabéri.\n".encode("latin-1"), 3, "not valid UTF-8"),
    ],
)
def test_a_malformed_file_refuses_the_whole_call_naming_file_and_line(seed_bytes, tmp_path, editor, bad, line, words):
    good = write_file(tmp_path, "good.txt", seed_bytes)
    broken = write_file(tmp_path, "broken.txt", bad)
    with pytest.raises(CommandError) as refusal:
        run("import_article", str(good), str(broken), "--user", editor.username)
    assert str(refusal.value).startswith(f"{broken}, line {line}: ")
    assert words in str(refusal.value)
    assert not Event.objects.exists() and not ContentBlob.objects.exists() and not Revision.objects.exists()


def test_a_refusal_of_a_later_file_rolls_back_the_earlier_ones(published_seed, seed_bytes, tmp_path, editor):
    changed = write_file(tmp_path, "changed.txt", seed_bytes.replace(b"intersected", b"intercepted"))
    unchanged = write_file(tmp_path, "same.txt", seed_bytes)
    events_before = Event.objects.count()
    with pytest.raises(CommandError, match=r"same.txt: Nothing to propose.*Nothing was imported"):
        run("import_article", str(changed), str(unchanged), "--user", editor.username)
    assert Event.objects.count() == events_before
    assert Revision.objects.count() == 1


def test_import_needs_a_known_user(seed_bytes, tmp_path):
    path = write_file(tmp_path, "seed.txt", seed_bytes)
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        run("import_article", str(path), "--user", "nobody")


def test_the_cli_refuses_self_approval_with_a_clear_error(seed_bytes, tmp_path, reviewer):
    path = write_file(tmp_path, "seed.txt", seed_bytes)
    revision_id = run("import_article", str(path), "--user", reviewer.username).split("\t")[0]
    with pytest.raises(CommandError, match="four-eyes"):
        run("approve_revision", revision_id, "--user", reviewer.username)


def test_reject_and_show_revision_json(published_seed, seed_bytes, tmp_path, editor, reviewer):
    path = write_file(tmp_path, "edit.txt", seed_bytes.replace(b"13 killed", b"14 killed"))
    revision_id = run("import_article", str(path), "--user", editor.username, "--summary", "fix").split("\t")[0]
    run("reject_revision", revision_id, "--user", reviewer.username, "--reason", "prose says thirteen")

    shown = json.loads(run("show_revision", revision_id, "--json"))
    assert shown["status"] == "rejected"
    assert shown["article"]["slug"] == "2017-ayorou-attack"
    assert (shown["author"], shown["decided_by"]) == (editor.username, reviewer.username)
    assert (shown["base_revision"], shown["summary"]) == (published_seed.id, "fix")
    assert shown["decision_reason"] == "prose says thirteen"


def test_export_of_an_unknown_article_or_foreign_revision_is_refused(published_seed, tmp_path, editor):
    with pytest.raises(CommandError, match="No published article has the slug 'nope'"):
        run("export_article", "nope")
    other = write_file(tmp_path, "other.txt", "= Other =\n\nText.\n")
    other_id = run("import_article", str(other), "--user", editor.username).split("\t")[0]
    with pytest.raises(CommandError, match="not a revision of the article"):
        run("export_article", "2017-ayorou-attack", "--revision", other_id)
