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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .content import ArticleContent, InfoboxEntry, SectionContent

INFOBOX_MARKER = "Infobox"
_TITLE = re.compile(r"^=(?!=)\s*(?P<title>.*?)\s*(?<!=)=$")
_HEADING = re.compile(r"^==(?P<inner>.*)==$")
_INFOBOX_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*$")


class ArticleFormatError(ValueError):
    """A file that is not in the article format; names the file and line."""

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        self.message = message
        self.line = line
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
    return parse(decode(data, source=source), source=source)


def parse(text: str, *, source: str | None = None) -> ArticleContent:
    def fail(message: str, line: int | None) -> ArticleFormatError:
        return ArticleFormatError(message, line=line, source=source)

    lines = [_Line(number, text) for number, text in enumerate(text.split("\n"), start=1)]
    if lines and lines[-1].text == "":
        lines.pop()  # the file's final newline ends the last line; it is not a line
    if not lines or not lines[0].text.strip():
        raise fail("the first line must be the title, written '= Title ='", 1)

    title_match = _TITLE.match(lines[0].text)
    if lines[0].text.startswith("==") or not title_match or not title_match["title"]:
        raise fail(f"the first line must be the title, written '= Title =', not {lines[0].text!r}", 1)
    title = title_match["title"]

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
        raise fail(f"an infobox line must be written '- Key: value', not {text!r}", line.number)
    key, colon, value = text[2:].partition(":")
    key, value = key.strip(), value.strip()
    if not colon or not key:
        raise fail(f"an infobox line must be written '- Key: value', not {text!r}", line.number)
    if not _INFOBOX_KEY.match(key):
        raise fail(
            f"infobox key {key!r} must start with a letter and hold only letters, digits, spaces or '_'",
            line.number,
        )
    if not value:
        raise fail(f"infobox key {key!r} has no value; remove the line or give a value", line.number)
    return InfoboxEntry(key=key, value=value)


def _parse_heading(line: _Line, fail) -> tuple[str, bool]:
    match = _HEADING.match(line.text)
    assert match is not None
    inner = match["inner"]
    if inner.startswith("=") or inner.endswith("="):
        raise fail(
            f"only '== Section ==' headings are supported, not {line.text!r}", line.number
        )
    heading = inner.strip()
    if not heading:
        raise fail("a section heading has no text; write '== Heading =='", line.number)
    compact = not inner.startswith(" ") and not inner.endswith(" ")
    return heading, compact
