"""The text format refuses what the tables cannot hold, with the file and line.

Every limit is checked at both ends: the longest value the column holds is
accepted, one more character is refused. A NUL character or a lone
surrogate is refused wherever it stands (PostgreSQL's text and JSON refuse
NUL; a surrogate is not UTF-8 at all). The admin form refuses the same
values as field errors, from the same limits.
"""

from __future__ import annotations

import contextlib
import signal

import pytest

from editorial.models import ArticleAddress, Revision
from encyclopedia import content as limits
from editorial.admin.forms import ArticleEditForm, InfoboxFieldForm, SectionForm
from encyclopedia.models import Article, InfoboxField, Section
from encyclopedia.textformat import ArticleFormatError, parse, parse_bytes

LEAD = "Lead.\n"


def article(title="A", key="Place", value="Ayorou", heading="Attack", body="Body.") -> str:
    return f"= {title} =\n\nInfobox\n- {key}: {value}\n\n{LEAD}\n== {heading} ==\n{body}\n"


def refusal(text: str | bytes) -> ArticleFormatError:
    with pytest.raises(ArticleFormatError) as raised:
        if isinstance(text, bytes):
            parse_bytes(text, source="bad.txt")
        else:
            parse(text, source="bad.txt")
    assert str(raised.value).startswith(f"bad.txt, line {raised.value.line}: ")
    return raised.value


# --- The limits are the columns' ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        (Article._meta.get_field("title"), limits.MAX_TITLE_LENGTH),
        (Revision._meta.get_field("title"), limits.MAX_TITLE_LENGTH),
        (Article._meta.get_field("slug"), limits.MAX_SLUG_LENGTH),
        (Revision._meta.get_field("slug"), limits.MAX_SLUG_LENGTH),
        (ArticleAddress._meta.get_field("slug"), limits.MAX_SLUG_LENGTH),
        (InfoboxField._meta.get_field("key"), limits.MAX_INFOBOX_KEY_LENGTH),
        (Section._meta.get_field("heading"), limits.MAX_HEADING_LENGTH),
    ],
    ids=lambda value: getattr(value, "name", str(value)),
)
def test_each_limit_is_its_columns(field, limit):
    assert field.max_length == limit, f"{field.model.__name__}.{field.name} holds {field.max_length}"


def test_every_bounded_column_that_content_reaches_has_a_limit():
    """A new bounded column on these tables must be given a limit here (or be named as internal)."""
    internal = {
        ("Revision", "content_hash"), ("Revision", "status"), ("Revision", "check_status"),
        ("InfoboxField", "kind"),  # one of FieldKind, set by the projection
    }
    covered = {("Article", "title"), ("Article", "slug"), ("Revision", "title"), ("Revision", "slug"),
               ("ArticleAddress", "slug"), ("InfoboxField", "key"), ("Section", "heading")}
    for model in (Article, InfoboxField, Section, Revision, ArticleAddress):
        for field in model._meta.concrete_fields:
            if getattr(field, "max_length", None) and field.get_internal_type() in {"CharField", "SlugField"}:
                name = (model.__name__, field.name)
                assert name in covered | internal, f"{model.__name__}.{field.name} has no limit in the text format"


# --- Lengths, at the limit and one past it -------------------------------------------


def test_values_at_the_limits_are_accepted():
    content = parse(
        article(title="T" * 255, key="K" * 100, heading="H" * 255), source="ok.txt"
    )
    assert (len(content.title), len(content.infobox[0].key), len(content.sections[0].heading)) == (255, 100, 255)


def test_limits_count_characters_not_bytes():
    assert parse(article(title="é" * 255)).title == "é" * 255


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (article(title="T" * 256), 1, "256 characters; the limit is 255"),
        (article(key="K" * 101), 4, "101 characters; the limit is 100"),
        (article(heading="H" * 256), 8, "256 characters; the limit is 255"),
        # A ligature becomes three letters of the address: the title fits, its address does not.
        (article(title="\ufb03" * 90), 1, "address of 270 characters; the limit is 255"),
        (article(title="¿ ? !"), 1, "at least one letter or digit"),
        # A title or heading is one line: nothing that splits lines (the CLI prints one per article).
        (article(title="2\x1e017"), 1, "control character (U+001E)"),
        (article(heading="Att\u2028ack"), 8, "control character (U+2028)"),
        (article(title="A\tB"), 1, "control character (U+0009)"),
    ],
    ids=["title", "infobox key", "heading", "address", "no address", "title control", "heading line separator",
         "title tab"],
)
def test_values_past_the_limits_are_refused_with_their_line(text, line, words):
    error = refusal(text)
    assert error.line == line
    assert words in error.message


# --- Characters no database stores --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("= A\x00 =\n", 1, 4),
        (article(key="Pla\x00ce"), 4, 6),
        (article(value="Ayo\x00rou"), 4, 13),
        ("= A =\n\nLe\x00ad.\n", 3, 3),
        (article(heading="Att\x00ack"), 8, 7),
        (article(body="Bo\x00dy."), 9, 3),
        ("= A =\n\nLead.\n\x00", 4, 1),
    ],
    ids=["title", "key", "value", "lead", "heading", "body", "last line"],
)
def test_a_nul_character_is_refused_wherever_it_stands(text, line, column):
    for source in (text, text.encode("utf-8")):
        error = refusal(source)
        assert (error.line, error.column) == (line, column)
        assert "NUL character" in error.message and f"column {column}" in error.message


def test_a_lone_surrogate_is_refused_with_its_line():
    error = refusal("= A =\n\nLead \ud800.\n")
    assert (error.line, error.column) == (3, 6)
    assert "U+D800" in error.message


def test_a_file_larger_than_an_article_may_be_is_refused():
    huge = ("= A =\n\n" + ("x" * 1023 + "\n") * (limits.MAX_ARTICLE_BYTES // 1024 + 1)).encode()
    error = refusal(huge)
    assert f"larger than {limits.MAX_ARTICLE_BYTES // 1024 // 1024} MiB" in error.message
    assert error.line == (limits.MAX_ARTICLE_BYTES - 7) // 1024 + 3  # the line that crosses the limit


def test_a_long_line_is_read_in_linear_time():
    """The title used to be matched by a regex that backtracks cubically on runs of spaces."""
    spaces = " " * 200_000
    with _within_seconds(5):
        assert parse(f"= {spaces}A{spaces} =\n").title == "A"
        assert refusal(f"= {spaces}A{spaces}\n").line == 1


@contextlib.contextmanager
def _within_seconds(seconds: float):
    def too_slow(signum, frame):
        raise AssertionError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- The admin form refuses the same, as field errors ----------------------------------


def _form_errors(form_class, data: dict) -> dict:
    form = form_class(data=data)
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (ArticleEditForm, {"title": "T" * 256}, "title"),
        (ArticleEditForm, {"title": "\ufb03" * 90}, "title"),
        (ArticleEditForm, {"title": "¿ ? !"}, "title"),
        (ArticleEditForm, {"title": "A\x00"}, "title"),
        (ArticleEditForm, {"lead": "Le\x00ad"}, "lead"),
        (ArticleEditForm, {"summary": "Su\x00mmary"}, "summary"),
        (InfoboxFieldForm, {"key": "K" * 101}, "key"),
        (InfoboxFieldForm, {"key": "Pla\x00ce"}, "key"),
        (InfoboxFieldForm, {"value": "Ayo\x00rou"}, "value"),
        (SectionForm, {"heading": "H" * 256}, "heading"),
        (SectionForm, {"heading": "Att\x00ack"}, "heading"),
        (SectionForm, {"body": "Bo\x00dy"}, "body"),
        (ArticleEditForm, {"title": "A\tB"}, "title"),
        (SectionForm, {"heading": "Att\u2028ack"}, "heading"),
    ],
    ids=["long title", "long address", "no address", "NUL title", "NUL lead", "NUL summary", "long key",
         "NUL key", "NUL value", "long heading", "NUL heading", "NUL body", "tab title", "line separator heading"],
)
@pytest.mark.django_db
def test_the_admin_form_refuses_the_same_as_field_errors(form_class, data, field):
    valid = {
        ArticleEditForm: {"title": "A", "lead": "Lead.", "summary": "why"},
        InfoboxFieldForm: {"key": "Place", "value": "Ayorou"},
        SectionForm: {"heading": "Attack", "body": "Body."},
    }[form_class]
    assert form_class(data=valid).is_valid()
    errors = _form_errors(form_class, {**valid, **data})
    assert list(errors) == [field]


@pytest.mark.django_db
def test_the_form_says_why_an_address_is_too_long():
    errors = _form_errors(ArticleEditForm, {"title": "\ufb03" * 90, "lead": "", "summary": "why"})
    assert "address of 270 characters; the limit is 255" in errors["title"][0]
