"""Editing articles in the admin: every save is a proposal, never a write.

The Article admin shows the published article (title, lead, infobox rows,
sections) as a form. Saving builds an `ArticleContent` from the form and
its rows and calls `revision_propose`, the one write path; no published
row is saved here, and nothing is deleted. The published tables change
when a reviewer approves the revision.

The add and change pages are one propose-revision form view
(`ArticleAdmin.changeform_view`): it builds the form and its rows, and on
a valid POST calls the service. When the service refuses (nothing
changed, a newer revision was published, ...) nothing of the request is
written and the same forms are rendered again with the service's message
on the form, the way a field error is. The admin's own save path
(`save_model`, `save_related`, the admin log) is never reached. The
changelist and the history page are the admin's, as they were.

A proposal lands on its own page (the review page), with a message that
says how its checks stand. "Show changes" (a POST with `_preview`) renders
the draft's diff against its base and the rules' findings on it, judged
here and now since the rules are pure; nothing is stored, and the form
comes back as typed. `?from_revision=N` opens the form on proposal N's
content and base, for its author or a reviewer ("Edit again").
"""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR, csrf_protect_m
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.formsets import DEFAULT_MAX_NUM, all_valid
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from encyclopedia.content import ArticleContent
from encyclopedia.diff import diff_articles
from encyclopedia.diff.values import LEAD
from encyclopedia.models import Article, InfoboxField, Section
from encyclopedia.page import page_view

from .. import store
from ..aggregate.statuses import CheckStatus, RevisionStatus
from ..errors import EditorialError, MergeConflicts
from ..models import MAX_REVISION_ID, Revision
from ..roles import can_propose, can_review
from ..aggregate.verdict import gating
from ..rules import CheckContext, active_rules, judge
from ..services import revision_propose, revision_rebase
from .article_history import ArticleHistoryMixin
from .forms import (
    KEY_LIST_ID,
    SUMMARY_MAX_LENGTH,
    ArticleEditForm,
    InfoboxFieldForm,
    InfoboxFormSet,
    SectionForm,
    SectionFormSet,
    build_content,
    key_choices,
)
from .review_layout import ChecksView, review_layout

logger = logging.getLogger(__name__)

PROPOSED_MESSAGE = "Revision {id} proposed for review; {checks}."
CHECKS_RUNNING = "consistency checks are running"
PREVIEW = "_preview"  # the name of the "Show changes" button
# Without JavaScript the admin has no "Add another" link: these buttons (in <noscript>)
# post the form as typed, and it comes back with one more empty row of that formset.
ADD_ROW = "_add_row"
ROW_PREFIXES = ("infobox_fields", "sections")  # the inlines' formset prefixes: the related names
FROM_REVISION = "from_revision"


def checks_sentence(status: str, findings) -> str:
    """How a proposal's checks stand, in words: running, or finished with what they found."""
    if status == CheckStatus.PENDING:
        return CHECKS_RUNNING
    checks = ChecksView(status=status, findings=tuple(findings or ()))
    if status == CheckStatus.ERROR:
        return "consistency checks finished, but a rule failed to run"
    counts = [
        f"{count} {word}{'' if count == 1 else 's'}"
        for count, word in ((checks.error_count, "error"), (checks.warning_count, "warning"))
    ]
    return f"consistency checks finished with {' and '.join(counts)}"


class _ProposalRowsMixin:
    """Rows of a proposal: whoever may propose may add, change and remove them."""

    def has_view_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_add_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_change_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_delete_permission(self, request, obj=None):
        # Removes the row from the proposal; the published row stays until approval.
        return can_propose(request.user)


class InfoboxFieldInline(_ProposalRowsMixin, admin.TabularInline):
    model = InfoboxField
    form = InfoboxFieldForm
    formset = InfoboxFormSet
    fields = ["position", "key", "value"]
    extra = 0  # rows are added with the admin's "Add another" control
    verbose_name = "infobox field"
    verbose_name_plural = "infobox"
    # The admin's tabular rows, without the caption it repeats on each row ("Date: 21 October 2017").
    template = "admin/editorial/article/infobox_tabular.html"


class SectionInline(_ProposalRowsMixin, admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    fields = ["position", "heading", "body"]
    extra = 0
    verbose_name_plural = "sections"


class ArticleAdmin(ArticleHistoryMixin, SimpleHistoryAdmin):
    form = ArticleEditForm
    inlines = [InfoboxFieldInline, SectionInline]
    list_display = ["title", "current_revision_id", "published_at"]
    search_fields = ["title"]
    # The Article model is the encyclopedia's; its admin pages are the editorial app's.
    change_form_template = "admin/editorial/article/change_form.html"

    class Media:
        css = {"all": ["admin_edit/edit_form.css"]}
        js = ["admin_edit/edit_form.js"]

    # --- Who may do what: the admin is for people who may propose --------

    def has_module_permission(self, request):
        return can_propose(request.user)

    def has_view_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_add_permission(self, request):
        return can_propose(request.user)

    def has_change_permission(self, request, obj=None):
        return can_propose(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # articles change only through revisions

    def revert_disabled(self, request, obj=None):
        return True  # restoring an earlier version is `revert_revision`: a proposal, reviewed

    # --- The form ---------------------------------------------------------

    def get_fields(self, request, obj=None):
        fields = ["title", "lead", "summary", "base_revision"]
        return fields if obj is None else ["current_revision_id", *fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["current_revision_id"]

    # --- The page: a propose-revision form view -----------------------------

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The add page (no `object_id`) and the change page: the form, and proposing it.

        `add_view` and `change_view` both come here, so no route leads to
        the admin's own saving of the form.
        """
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            raise DisallowedModelAdminToField(f"The field {to_field} cannot be referenced.")
        article = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            article = self.get_object(request, unquote(object_id), to_field)
            # Checked on the server for GET and POST alike: seeing the form is for those who may propose.
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            if article is None:  # the admin's answer: back to its index, with a message
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)

        fieldsets = self.get_fieldsets(request, article)
        prefill = self._prefill(request, article) if request.method != "POST" else None
        form, formsets, inlines = self._proposal_forms(request, article, fieldsets, prefill)
        preview = None
        if request.method == "POST" and ADD_ROW in request.POST:
            _shown_as_typed(form, formsets)
        elif request.method == "POST":
            previewing = PREVIEW in request.POST
            # A draft on an older base can still be looked at against that base (the notice
            # above the form says it is no longer the published one), and proposing it
            # merges it with what was published meanwhile instead of refusing it.
            form.check_base_is_published = False
            if previewing:
                form.fields["summary"].required = False  # a summary is for the reviewer, not the preview
            form_valid = form.is_valid()
            if all_valid(formsets) and form_valid:
                if previewing:
                    preview = self._preview(article, form, formsets)
                else:
                    try:
                        revision = self._propose(request, article, form, formsets)
                    except EditorialError as refusal:
                        form.add_error(None, str(refusal))  # shown on the form; nothing was written
                    else:
                        if article is not None and revision.base_revision_id != self._published_now(article):
                            return self._merge_stale(request, revision)
                        self._say_proposed(request, revision.id)
                        return HttpResponseRedirect(self._proposal_url(revision.id))

        add = article is None
        admin_form = helpers.AdminForm(
            form,
            list(fieldsets),
            self.get_prepopulated_fields(request, article),
            self.get_readonly_fields(request, article),
            model_admin=self,
        )
        inline_formsets = self.get_inline_formsets(request, formsets, inlines, article)
        media = self.media + admin_form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        context = {
            **self.admin_site.each_context(request),
            "title": _("New article") if add else _("Edit article"),
            "subtitle": None if add else str(article),
            "adminform": admin_form,
            "object_id": object_id,
            "original": article,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": to_field,
            "media": media,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
            "preview": preview,
            "lead_name": LEAD,
            "pending_revisions": self._pending_revisions(article),
            "stale_base": self._stale_base(form, article),
            "prefilled_from": prefill.revision if prefill else None,
            "key_choices": key_choices(),
            "key_list_id": KEY_LIST_ID,
            "summary_max_length": SUMMARY_MAX_LENGTH,
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=add, change=not add, obj=article, form_url=form_url)

    def _proposal_forms(self, request, article: Article | None, fieldsets, prefill: _Prefill | None = None):
        """The article form and its rows: the published article's, a proposal's (`prefill`), or as submitted."""
        form_class = self.get_form(request, article, change=article is not None, fields=flatten_fieldsets(fieldsets))
        data = request.POST
        if request.method == "POST" and ADD_ROW in data:
            data = _with_one_more_row(data, data[ADD_ROW])
        if request.method == "POST":
            form = form_class(data, request.FILES, instance=article)
        elif prefill is not None:
            form = form_class(instance=article, initial=prefill.article_initial)
        elif article is None:
            form = form_class(initial=self.get_changeform_initial_data(request))
        else:
            form = form_class(instance=article)
        formsets, inlines = [], []
        for inline in self.get_inline_instances(request, article):
            rows = prefill.rows_of(inline.model) if prefill is not None else None
            # A proposal's rows are new rows of the form, each filled in; the published rows are not shown.
            formset_class = inline.get_formset(request, article, **({"extra": len(rows)} if rows is not None else {}))
            kwargs = self.get_formset_kwargs(request, form.instance, inline, formset_class.get_default_prefix())
            kwargs.pop("save_as_new", None)  # the admin's "save as new" (_saveasnew) is not offered here
            if "data" in kwargs:
                kwargs["data"] = _rows_gone_as_new(data, formset_class.get_default_prefix(), kwargs.get("queryset"))
            if rows is not None:
                kwargs.update(queryset=inline.model._default_manager.none(), initial=rows)
            formsets.append(formset_class(**kwargs))
            inlines.append(inline)
        return form, formsets, inlines

    def _prefill(self, request, article: Article | None) -> _Prefill | None:
        """Proposal N's content and base as the form's start (`?from_revision=N`), or None.

        Only N's author or a reviewer may start from it, checked here on
        the server: a pending proposal is not public.
        """
        raw = request.GET.get(FROM_REVISION)
        if raw is None:
            return None
        if article is None or not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_REVISION_ID:
            raise Http404(f"There is no revision {raw!r} of this article.")
        revision = Revision.objects.filter(id=int(raw), stream=article.stream).first()
        if revision is None:
            raise Http404(f"There is no revision {raw} of this article.")
        if revision.author_id != request.user.pk and not can_review(request.user):
            raise PermissionDenied("Only its author or a reviewer may edit from a proposal.")
        return _Prefill(revision, store.load_content(revision.content_hash, revision_id=revision.id))

    def _pending_revisions(self, article: Article | None) -> list[Revision]:
        if article is None:
            return []
        pending = Revision.objects.filter(stream=article.stream, status=RevisionStatus.PENDING)
        return list(pending.select_related("author").order_by("id"))

    def _stale_base(self, form, article: Article | None) -> dict | None:
        """The form's base and the published revision, when they differ; None when the form is current."""
        if article is None:
            return None
        raw = form["base_revision"].value()
        base = int(raw) if str(raw or "").isdigit() else None
        if base == article.current_revision_id:
            return None
        return {"base": base, "published": article.current_revision_id}

    def _preview(self, article: Article | None, form, formsets) -> dict:
        """The draft's diff against its base and the rules' findings on it; nothing is stored.

        Advisory: the proposal is checked again on the workers when it is proposed.
        """
        content = build_content(form, formsets)
        base_id = form.cleaned_data.get("base_revision") if article is not None else None
        base_content = self._content_of(base_id)
        context = CheckContext(
            content=content, base=base_content, summary=form.cleaned_data.get("summary") or "", today=timezone.localdate()
        )
        found, failed_rules = [], []
        for rule in active_rules():
            # As on the workers: a rule that crashes is a result, not an error page.
            try:
                found += [finding.to_dict() for finding in judge(rule, context)]
            except Exception:
                logger.exception("rule %s v%s raised on a preview", rule.id, rule.version)
                failed_rules.append(rule.id)
        severities = {finding["severity"] for finding in gating(found)}
        status = (
            CheckStatus.ERROR
            if failed_rules
            else CheckStatus.FAILED
            if "error" in severities
            else CheckStatus.WARNINGS
            if "warning" in severities
            else CheckStatus.PASSED
        )
        return {
            "base_id": base_id,
            "old_label": f"Revision {base_id}" if base_id else "Before",
            "layout": review_layout(diff_articles(base_content, content), found),
            "checks": ChecksView(status=status, findings=tuple(found)),
            "failed_rules": failed_rules,
            "page": page_view(content),
        }

    @staticmethod
    def _content_of(revision_id: int | None) -> ArticleContent | None:
        if revision_id is None:
            return None
        content_hash = Revision.objects.filter(id=revision_id).values_list("content_hash", flat=True).first()
        return store.load_content(content_hash, revision_id=revision_id) if content_hash else None

    def _propose(self, request, article: Article | None, form, formsets) -> Revision:
        """Propose the valid forms' content; raises the service's refusal.

        One transaction around the call: on a refusal, nothing written
        during it stays.
        """
        with transaction.atomic(using=router.db_for_write(self.model)):
            return revision_propose(
                actor=request.user,
                content=build_content(form, formsets),
                summary=form.cleaned_data["summary"],
                stream=article.stream if article else None,
                base_revision=form.cleaned_data["base_revision"] if article else None,
                allow_stale_base=True,
            )

    def _published_now(self, article: Article) -> int | None:
        """The published revision as committed now (the form read the article before proposing)."""
        return Article.objects.filter(pk=article.pk).values_list("current_revision_id", flat=True).first()

    def _merge_stale(self, request, stale: Revision) -> HttpResponseRedirect:
        """A form saved on an older base is kept as a proposal (done by now), then merged with what was
        published meanwhile: a clean merge is the proposal to review; a conflict opens the merge page."""
        published = Article.objects.filter(stream=stale.stream).values_list("current_revision_id", flat=True).first()
        try:
            rebased = revision_rebase(actor=request.user, revision_id=stale.id)
        except MergeConflicts as conflicts:
            labels = "; ".join(conflict.label for conflict in conflicts.conflicts)
            self.message_user(
                request,
                f"Revision {published} was published while you edited, and it changed places you changed too "
                f"({labels}). Your edit is kept as revision {stale.id}: choose what to keep for each place.",
                messages.WARNING,
            )
            return HttpResponseRedirect(
                reverse("admin:editorial_revision_rebase", args=[stale.id], current_app=self.admin_site.name)
            )
        except EditorialError as refusal:  # e.g. published again meanwhile and decided: the proposal stays as saved
            self.message_user(request, f"Revision {stale.id} proposed; it could not be merged yet: {refusal}", messages.WARNING)
            return HttpResponseRedirect(self._proposal_url(stale.id))
        if rebased.id == stale.id:
            self.message_user(request, f"Everything you changed is in revision {published} already.", messages.INFO)
            return HttpResponseRedirect(self._proposal_url(stale.id))
        self.message_user(
            request,
            f"Revision {published} was published while you edited; it changed other places, so your edit was "
            f"merged with it as revision {rebased.id}.",
            messages.INFO,
        )
        self._say_proposed(request, rebased.id)
        return HttpResponseRedirect(self._proposal_url(rebased.id))

    def _proposal_url(self, revision_id: int) -> str:
        return reverse("admin:editorial_revision_review", args=[revision_id], current_app=self.admin_site.name)

    def _say_proposed(self, request, revision_id: int) -> None:
        """The message on the proposal's page: its checks as they stand now, read after the commit.

        Where the checks run in-process they have finished by now; on a
        worker they may still be running. Either way the message says which.
        """
        status, findings = Revision.objects.filter(id=revision_id).values_list("check_status", "check_findings").get()
        text = PROPOSED_MESSAGE.format(id=revision_id, checks=checks_sentence(status, findings))
        link = format_html(' <a href="{}">Open revision {}</a>.', self._proposal_url(revision_id), revision_id)
        self.message_user(request, format_html("{}{}", text, link), messages.SUCCESS)


def _rows_gone_as_new(data, prefix: str, queryset):
    """The posted rows, where a row that a revision published meanwhile removed counts as a new row.

    A form opened on an older revision posts the ids of the rows it showed;
    one the newer revision removed is no longer in the article, and the
    formset would refuse it, hiding the editor's text behind an error. Its
    text is kept instead, as a new row (the formset's new rows come after
    its existing ones, so the rows are renumbered), and the merge with the
    newer revision decides what becomes of it.
    """
    initial_key, total_key = f"{prefix}-INITIAL_FORMS", f"{prefix}-TOTAL_FORMS"
    try:
        initial, total = int(data.get(initial_key, "")), int(data.get(total_key, ""))
    except ValueError:
        return data  # the formset reports its broken management form itself
    if queryset is None or not 0 <= initial <= total <= DEFAULT_MAX_NUM:
        return data
    present = {str(pk) for pk in queryset.values_list("pk", flat=True)}
    gone = [index for index in range(initial) if data.get(f"{prefix}-{index}-id", "") not in present]
    if not gone:
        return data
    kept = [index for index in range(initial) if index not in gone]
    order = kept + gone + list(range(initial, total))
    renumbered = data.copy()
    row_keys = [key for key in data if key.startswith(f"{prefix}-") and key.split("-")[1].isdigit()]
    for key in row_keys:
        del renumbered[key]
    for new_index, old_index in enumerate(order):
        for key in row_keys:
            _prefix, index, field = key.split("-", 2)
            if int(index) == old_index:
                value = "" if old_index in gone and field == "id" else data.get(key)
                renumbered.setlist(f"{prefix}-{new_index}-{field}", [value] if field == "id" else data.getlist(key))
    renumbered[initial_key] = str(len(kept))
    return renumbered


def _with_one_more_row(data, prefix: str):
    """The posted form with one more row in the formset `prefix`, if it is one of the form's."""
    total_name = f"{prefix}-TOTAL_FORMS"
    total = data.get(total_name, "")
    if prefix not in ROW_PREFIXES or not total.isascii() or not total.isdigit() or int(total) >= DEFAULT_MAX_NUM:
        return data
    data = data.copy()
    data[total_name] = str(int(total) + 1)
    return data


def _shown_as_typed(form, formsets) -> None:
    """Forms rendered with what was typed and no errors: adding a row is not a submission."""
    form._errors = ErrorDict()
    for formset in formsets:
        formset._non_form_errors = formset.error_class()
        formset._errors = [ErrorDict() for _form in formset.forms]
        for row in formset.forms:
            row._errors = ErrorDict()


class _Prefill:
    """A proposal's content as the edit form's initial values."""

    def __init__(self, revision: Revision, content: ArticleContent):
        self.revision = revision
        self.content = content

    @property
    def article_initial(self) -> dict:
        return {
            "title": self.content.title,
            "lead": self.content.lead,
            "summary": self.revision.summary,
            "base_revision": self.revision.base_revision_id,
        }

    def rows_of(self, model) -> list[dict] | None:
        if model is InfoboxField:
            return [
                {"position": number, "key": entry.key, "value": entry.value}
                for number, entry in enumerate(self.content.infobox, 1)
            ]
        if model is Section:
            return [
                {"position": number, "heading": section.heading, "body": section.body}
                for number, section in enumerate(self.content.sections, 1)
            ]
        return None
