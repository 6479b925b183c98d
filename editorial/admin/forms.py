"""The admin's editing forms: an article form and its infobox and section rows.

These forms only read and check what an editor typed and turn it into an
`ArticleContent`; they never save a row. The admin hands the content to
`editorial.services.revision_propose`, the one write path, and the
published tables change only when a reviewer approves the revision.
They live in the editorial app because a proposal is the workflow's; what
they check about the content itself (the text format's key pattern and
limits, the infobox schema) they import from the encyclopedia.

Checks that belong here are the ones the content itself cannot hold: a
title, a key written as the text format allows it, a value on every
infobox field, a Date that reads as one day, each key and heading once.
What the tables cannot store is refused as the text format refuses it:
the lengths are the model fields' own `max_length` (the columns), the
address made from the title is checked by `content.title_problem`, and
Django's form fields refuse NUL characters.
Everything about whether the content is *consistent* is left to the
consistency checks that run on every proposal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.formsets import DELETION_FIELD_NAME

from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent, heading_problem, title_problem
from encyclopedia.dates import parse_date_span
from encyclopedia.infobox import INFOBOX_KEY, FieldKind, kind_of, known_keys
from encyclopedia.models import Article, InfoboxField, Section
from encyclopedia.page import infobox_label

from ..aggregate.decisions import ensure_base_is_published
from ..errors import StaleBase

# A line that the text format would read as a section heading.
_HEADING_LINE = re.compile(r"^==.*==$", re.MULTILINE)

SUMMARY_MAX_LENGTH = 1000
# The <datalist> of infobox keys that every key input offers (see infobox_tabular.html).
KEY_LIST_ID = "infobox-keys"


def key_choices() -> list[tuple[str, str]]:
    """(key, its label on the page) for every key the infobox schema knows."""
    return [(key, infobox_label(key)) for key in known_keys()]


def _count_from_one(form: forms.ModelForm) -> None:
    """Rows are numbered 1, 2, 3 on the form (stored from 0): a row typed as 0 goes first.

    Only the order of the numbers is read back (`live_forms`), never the numbers.
    """
    if form.instance.pk is not None and form.instance.position is not None:
        form.initial["position"] = form.instance.position + 1


def _order_input() -> forms.NumberInput:
    # The edit form's script hides it behind up/down controls and numbers the rows
    # in the order they stand; without the script it is typed as before.
    return forms.NumberInput(attrs={"style": "width: 4em", "class": "row-position"})


def _one_line(value: str, what: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValidationError(f"{what} must fit on one line.", code="multiline")
    return value


def _refuse(problem: str | None, *, code: str) -> None:
    """A problem of the text format's (encyclopedia.content) as a field error."""
    if problem:
        raise ValidationError(f"{problem[0].upper()}{problem[1:]}.", code=code)


def _prose(value: str, what: str) -> str:
    """Browsers send CRLF line ends from text areas; the content uses LF."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    heading = _HEADING_LINE.search(value)
    if heading:
        raise ValidationError(
            f"{what} has a line that reads as a section heading ({heading.group()!r}); "
            "add that part as a section of its own instead.",
            code="heading_in_prose",
        )
    return value


class ArticleEditForm(forms.ModelForm):
    """Title and lead, plus what a proposal needs: a summary and the revision it starts from."""

    summary = forms.CharField(
        label="Edit summary",
        max_length=SUMMARY_MAX_LENGTH,
        # data-max-length, not maxlength: a browser would cut a pasted summary
        # mid-word without a word; the server refuses it and keeps the form.
        widget=forms.TextInput(attrs={"size": 80, "data-max-length": SUMMARY_MAX_LENGTH}),
        help_text=f"Say what you changed and why; the reviewer reads this first. At most {SUMMARY_MAX_LENGTH} characters.",
        error_messages={
            "required": "An edit summary is required: say what you changed and why.",
            "max_length": "The edit summary is %(show_value)d characters long; shorten it to at most %(limit_value)d.",
        },
    )
    # The published revision this form was opened on. A proposal on top of
    # anything else would silently undo a change its author never saw.
    base_revision = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={
            "required": "This form does not say which revision it was opened on; open the article again.",
            "invalid": "This form does not say which revision it was opened on; open the article again.",
        },
    )

    # The view turns this off for "Show changes", which stores nothing.
    check_base_is_published = True

    class Meta:
        model = Article
        fields = ["title", "lead", "summary", "base_revision"]
        error_messages = {"title": {"required": "An article needs a title."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].widget.attrs.pop("maxlength", None)
        if self.editing_published:
            self.fields["base_revision"].required = True
            self.fields["base_revision"].initial = self.instance.current_revision_id

    @property
    def editing_published(self) -> bool:
        return self.instance.pk is not None

    def clean_title(self) -> str:
        title = _one_line(self.cleaned_data["title"], "The title")
        _refuse(title_problem(title), code="title")
        return title

    def clean_lead(self) -> str:
        return _prose(self.cleaned_data["lead"], "The lead")

    def clean(self):
        cleaned = super().clean()
        if self.editing_published and self.check_base_is_published and "base_revision" not in self.errors:
            # The service refuses this too, inside its transaction; asking it
            # here first keeps it from hiding behind errors on rows that the
            # newer revision removed.
            try:
                ensure_base_is_published(cleaned.get("base_revision"), self.instance.current_revision_id)
            except StaleBase as stale:
                self.add_error(None, str(stale))
        return cleaned


class InfoboxFieldForm(forms.ModelForm):
    class Meta:
        model = InfoboxField
        fields = ["position", "key", "value"]
        labels = {"position": "Order"}
        widgets = {
            "position": _order_input(),
            "key": forms.TextInput(attrs={"list": KEY_LIST_ID, "autocomplete": "off", "size": 16}),
            "value": forms.TextInput(attrs={"size": 60}),
        }
        error_messages = {
            "key": {"required": "An infobox field needs a key."},
            "value": {"required": "An infobox field needs a value; to remove the field, tick Delete."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        _count_from_one(self)
        self.fields["key"].validators.append(
            RegexValidator(
                INFOBOX_KEY,
                "A key starts with a letter and holds only letters, digits, spaces or '_'.",
                code="bad_key",
            )
        )

    def clean_value(self) -> str:
        return _one_line(self.cleaned_data["value"], "An infobox value")

    def clean(self):
        cleaned = super().clean()
        key, value = cleaned.get("key"), cleaned.get("value")
        if key and value and kind_of(key) is FieldKind.DATE and parse_date_span(value) is None:
            self.add_error(
                "value",
                f"{value!r} is not a date; write one full date such as "
                "'October 21, 2017' or '21 October 2017', or a range of days such as "
                "'14–15 March 2019' or 'May 30 – June 2, 2018'.",
            )
        return cleaned

    def validate_unique(self):
        """Rows are never saved from here; duplicates are found by the formset."""


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["position", "heading", "body"]
        labels = {"position": "Order"}
        widgets = {
            "position": _order_input(),
            "heading": forms.TextInput(attrs={"size": 60}),
            "body": forms.Textarea(attrs={"rows": 8, "cols": 100}),
        }
        error_messages = {"heading": {"required": "A section needs a heading."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        _count_from_one(self)

    def clean_heading(self) -> str:
        heading = _one_line(self.cleaned_data["heading"], "A heading")
        if heading.startswith("=") or heading.endswith("="):
            raise ValidationError("A heading cannot start or end with '='.", code="bad_heading")
        _refuse(heading_problem(heading), code="bad_heading")
        return heading

    def clean_body(self) -> str:
        return _prose(self.cleaned_data["body"], "The body")

    def validate_unique(self):
        """Rows are never saved from here; duplicates are found by the formset."""


class _RowsFormSet(forms.BaseInlineFormSet):
    """Rows of one article: each `unique_field` value at most once, said on the row."""

    unique_field: str
    duplicate_message: str

    def validate_unique(self):
        # Replaces the model formset's check: that one also asks the database
        # about rows this form never writes, and reports on the formset, not the row.
        seen: set[str] = set()
        for form in live_forms(self):
            value = form.cleaned_data.get(self.unique_field)
            if not value:
                continue
            if value in seen:
                form.add_error(self.unique_field, self.duplicate_message.format(value=value))
            seen.add(value)


class InfoboxFormSet(_RowsFormSet):
    unique_field = "key"
    duplicate_message = "The infobox already has a {value!r} field; each key appears once."


class SectionFormSet(_RowsFormSet):
    unique_field = "heading"
    duplicate_message = "There is already a section {value!r}; each heading appears once."


def live_forms(formset) -> list[forms.ModelForm]:
    """The rows that are part of the article: filled in, not deleted, in their order.

    Order is by the position typed in; rows without one keep their place
    after the numbered rows, in the order they appear on the page.
    """
    rows = []
    for index, form in enumerate(formset.forms):
        if not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
            continue
        if index >= formset.initial_form_count() and not form.has_changed():
            continue  # an empty extra row
        rows.append((index, form))
    unnumbered = float("inf")

    def order(row):
        index, form = row
        position = form.cleaned_data.get("position")
        return (unnumbered if position is None else position, index)

    return [form for _index, form in sorted(rows, key=order)]


def _section(data: dict, layout: dict[str, tuple[bool, bool]]) -> SectionContent:
    compact, blank_line = layout.get(data["heading"], (False, False))
    return SectionContent(
        heading=data["heading"],
        body=data["body"],
        compact_heading=compact,
        # As the text format reads it: an empty line after a heading is kept only before a body.
        blank_line_after_heading=blank_line and bool(data["body"]),
    )


def build_content(article_form: ArticleEditForm, formsets: Iterable) -> ArticleContent:
    """The content the editor submitted, from valid forms.

    Layout trivia of sections (a compact '==Heading==', an empty line
    after the heading) is not edited here: a heading the article already
    has keeps its layout, a new one gets the plain layout.
    """
    infobox: tuple[InfoboxEntry, ...] = ()
    sections: tuple[SectionContent, ...] = ()
    for formset in formsets:
        if formset.model is InfoboxField:
            infobox = tuple(
                InfoboxEntry(form.cleaned_data["key"], form.cleaned_data["value"]) for form in live_forms(formset)
            )
        elif formset.model is Section:
            layout = {
                section.heading: (section.compact_heading, section.blank_line_after_heading)
                for section in formset.get_queryset()
            }
            sections = tuple(_section(form.cleaned_data, layout) for form in live_forms(formset))
    return ArticleContent(
        title=article_form.cleaned_data["title"],
        lead=article_form.cleaned_data["lead"],
        infobox=infobox,
        sections=sections,
    )
