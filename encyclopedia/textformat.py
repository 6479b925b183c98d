"""The article text format: parse it into ArticleContent and write it back.

    = Title =

    Infobox
    - Key: value

    Lead paragraph.

    == Section ==
    Body, paragraphs separated by an empty line, `- item` lists.

Writing what was parsed gives the same bytes back for files in this format
(the seed included); the only normalisations are CRLF line ends and a
UTF-8 byte-order mark, which are dropped.

What the tables cannot hold is refused here, with its line, so that it
never reaches the database: a title, address, infobox key or heading longer
than its column, a NUL character or a lone surrogate anywhere, and a file
over `MAX_ARTICLE_BYTES`. Every line is read in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .content import (
    MAX_ARTICLE_BYTES,
    ArticleContent,
    InfoboxEntry,
    SectionContent,
    heading_problem,
    infobox_key_problem,
    title_problem,
    unstorable_character,
)
from .infobox import INFOBOX_KEY

INFOBOX_MARKER = "Infobox"
_HEADING = re.compile(r"^==(?P<inner>.*)==$")


class ArticleFormatError(ValueError):
    """A file that is not in the article format; names the file and line."""

    def __init__(
        self, message: str, *, line: int | None = None, source: str | None = None, column: int | None = None
    ):
        self.message = message
        self.line = line
        self.column = column  # 1-based, in characters; set when one character is at fault
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "<text>"
        if self.line is not None:
            where = f"{where}, line {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def decode(data: bytes, *, source: str | None = None) -> str:
    """UTF-8 bytes to text, or an error naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleFormatError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8",
            line=line,
            source=source,
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def parse_bytes(data: bytes, *, source: str | None = None) -> ArticleContent:
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleFormatError(
            f"the file is larger than {MAX_ARTICLE_BYTES // 1024 // 1024} MiB ({len(data):,} bytes or more), "
            "the most one article may be; this line crosses that limit",
            line=data[:MAX_ARTICLE_BYTES].count(b"\n") + 1,
            source=source,
        )
    return parse(decode(data, source=source), source=source)


def parse(text: str, *, source: str | None = None) -> ArticleContent:
    def fail(message: str, line: int | None) -> ArticleFormatError:
        return ArticleFormatError(message, line=line, source=source)

    _refuse_unstorable_characters(text, source)
    lines = [_Line(number, text) for number, text in enumerate(text.split("\n"), start=1)]
    if lines and lines[-1].text == "":
        lines.pop()  # the file's final newline ends the last line; it is not a line
    if not lines or not lines[0].text.strip():
        raise fail("the first line must be the title, written '= Title ='", 1)

    title = _title_of(lines[0].text)
    if not title:
        raise fail(f"the first line must be the title, written '= Title =', not {_shown(lines[0].text)}", 1)
    problem = title_problem(title)
    if problem:
        raise fail(problem, 1)

    position = _skip_blank(lines, 1)
    infobox: list[InfoboxEntry] = []
    if position < len(lines) and lines[position].text.strip() == INFOBOX_MARKER:
        position += 1
        seen_keys: dict[str, int] = {}
        while position < len(lines) and lines[position].text.strip():
            line = lines[position]
            if _HEADING.match(line.text):
                break
            entry = _parse_infobox_line(line, fail)
            if entry.key in seen_keys:
                raise fail(
                    f"infobox key {entry.key!r} appears twice (first on line {seen_keys[entry.key]})",
                    line.number,
                )
            seen_keys[entry.key] = line.number
            infobox.append(entry)
            position += 1

    lead_lines: list[_Line] = []
    while position < len(lines) and not _HEADING.match(lines[position].text):
        lead_lines.append(lines[position])
        position += 1

    sections: list[SectionContent] = []
    seen_headings: dict[str, int] = {}
    while position < len(lines):
        heading_line = lines[position]
        heading, compact = _parse_heading(heading_line, fail)
        if heading in seen_headings:
            raise fail(
                f"section {heading!r} appears twice (first on line {seen_headings[heading]})",
                heading_line.number,
            )
        seen_headings[heading] = heading_line.number
        position += 1
        body_lines: list[_Line] = []
        while position < len(lines) and not _HEADING.match(lines[position].text):
            body_lines.append(lines[position])
            position += 1
        blank_after = bool(body_lines) and not body_lines[0].text.strip()
        sections.append(
            SectionContent(
                heading=heading,
                body=_join_block(body_lines),
                compact_heading=compact,
                blank_line_after_heading=blank_after and bool(_join_block(body_lines)),
            )
        )

    return ArticleContent(
        title=title,
        lead=_join_block(lead_lines),
        infobox=tuple(infobox),
        sections=tuple(sections),
    )


def write(content: ArticleContent) -> str:
    """The article in the text format, ending with a newline."""
    blocks = [f"= {content.title} ="]
    if content.infobox:
        items = "\n".join(f"- {entry.key}: {entry.value}" for entry in content.infobox)
        blocks.append(f"{INFOBOX_MARKER}\n{items}")
    if content.lead:
        blocks.append(content.lead)
    for section in content.sections:
        heading = f"=={section.heading}==" if section.compact_heading else f"== {section.heading} =="
        if not section.body:
            blocks.append(heading)
        elif section.blank_line_after_heading:
            blocks.append(f"{heading}\n\n{section.body}")
        else:
            blocks.append(f"{heading}\n{section.body}")
    return "\n\n".join(blocks) + "\n"


def _refuse_unstorable_characters(text: str, source: str | None) -> None:
    found = unstorable_character(text)
    if found is None:
        return
    index, what = found
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    raise ArticleFormatError(
        f"column {column}: {what}, which the database cannot store; remove it",
        line=line,
        column=column,
        source=source,
    )


def _title_of(line: str) -> str | None:
    """The title of a '= Title =' line, or None.

    Plain string tests rather than a regex: a pattern with optional spaces
    on both sides of a lazy group backtracks cubically on a run of spaces.
    """
    if len(line) < 3 or line[0] != "=" or line[1] == "=" or line[-1] != "=" or line[-2] == "=":
        return None
    return line[1:-1].strip() or None


def _shown(text: str) -> str:
    """A line as a message quotes it: long ones cut, so the message stays readable."""
    return repr(text if len(text) <= 80 else text[:80] + "…")


def _skip_blank(lines: list[_Line], position: int) -> int:
    while position < len(lines) and not lines[position].text.strip():
        position += 1
    return position


def _join_block(lines: list[_Line]) -> str:
    """The lines as one text, without the empty lines around it."""
    texts = [line.text for line in lines]
    while texts and not texts[0].strip():
        texts.pop(0)
    while texts and not texts[-1].strip():
        texts.pop()
    return "\n".join(texts)


def _parse_infobox_line(line: _Line, fail) -> InfoboxEntry:
    text = line.text
    if not text.startswith("- "):
        raise fail(f"an infobox line must be written '- Key: value', not {_shown(text)}", line.number)
    key, colon, value = text[2:].partition(":")
    key, value = key.strip(), value.strip()
    if not colon or not key:
        raise fail(f"an infobox line must be written '- Key: value', not {_shown(text)}", line.number)
    if not INFOBOX_KEY.match(key):
        raise fail(
            f"infobox key {_shown(key)} must start with a letter and hold only letters, digits, spaces or '_'",
            line.number,
        )
    problem = infobox_key_problem(key)
    if problem:
        raise fail(problem, line.number)
    if not value:
        raise fail(f"infobox key {key!r} has no value; remove the line or give a value", line.number)
    return InfoboxEntry(key=key, value=value)


def _parse_heading(line: _Line, fail) -> tuple[str, bool]:
    match = _HEADING.match(line.text)
    assert match is not None
    inner = match["inner"]
    if inner.startswith("=") or inner.endswith("="):
        raise fail(
            f"only '== Section ==' headings are supported, not {_shown(line.text)}", line.number
        )
    heading = inner.strip()
    if not heading:
        raise fail("a section heading has no text; write '== Heading =='", line.number)
    problem = heading_problem(heading)
    if problem:
        raise fail(problem, line.number)
    compact = not inner.startswith(" ") and not inner.endswith(" ")
    return heading, compact
