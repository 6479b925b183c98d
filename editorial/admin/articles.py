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
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR, csrf_protect_m
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from encyclopedia.models import Article, InfoboxField, Section

from ..errors import EditorialError
from ..models import Revision
from ..roles import can_propose
from ..services import revision_propose
from .article_history import ArticleHistoryMixin
from .forms import ArticleEditForm, InfoboxFieldForm, InfoboxFormSet, SectionForm, SectionFormSet, build_content

PROPOSED_MESSAGE = "Revision {id} proposed for review; consistency checks are running."


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
    extra = 1
    verbose_name = "infobox field"
    verbose_name_plural = "infobox (rows in the order of their position)"


class SectionInline(_ProposalRowsMixin, admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionFormSet
    fields = ["position", "heading", "body"]
    extra = 1
    verbose_name_plural = "sections (in the order of their position)"


class ArticleAdmin(ArticleHistoryMixin, SimpleHistoryAdmin):
    form = ArticleEditForm
    inlines = [InfoboxFieldInline, SectionInline]
    list_display = ["title", "current_revision_id", "published_at"]
    search_fields = ["title"]
    # The Article model is the encyclopedia's; its admin pages are the editorial app's.
    change_form_template = "admin/editorial/article/change_form.html"

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
        form, formsets, inlines = self._proposal_forms(request, article, fieldsets)
        if request.method == "POST":
            form_valid = form.is_valid()
            if all_valid(formsets) and form_valid:
                try:
                    revision = self._propose(request, article, form, formsets)
                except EditorialError as refusal:
                    form.add_error(None, str(refusal))  # shown on the form; nothing was written
                else:
                    self.message_user(request, PROPOSED_MESSAGE.format(id=revision.id), messages.SUCCESS)
                    return HttpResponseRedirect(self._after_proposal_url(article))

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
            "title": (_("Add %s") if add else _("Change %s")) % self.opts.verbose_name,
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
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=add, change=not add, obj=article, form_url=form_url)

    def _proposal_forms(self, request, article: Article | None, fieldsets):
        """The article form and its rows: the published article's, or as submitted."""
        form_class = self.get_form(request, article, change=article is not None, fields=flatten_fieldsets(fieldsets))
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, instance=article)
        elif article is None:
            form = form_class(initial=self.get_changeform_initial_data(request))
        else:
            form = form_class(instance=article)
        formsets, inlines = [], []
        for formset_class, inline in self.get_formsets_with_inlines(request, article):
            kwargs = self.get_formset_kwargs(request, form.instance, inline, formset_class.get_default_prefix())
            kwargs.pop("save_as_new", None)  # the admin's "save as new" (_saveasnew) is not offered here
            formsets.append(formset_class(**kwargs))
            inlines.append(inline)
        return form, formsets, inlines

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
            )

    def _after_proposal_url(self, article: Article | None) -> str:
        """A new article goes back to the list; an edit, to the article's form."""
        if article is None:
            return reverse("admin:encyclopedia_article_changelist", current_app=self.admin_site.name)
        return reverse("admin:encyclopedia_article_change", args=[article.pk], current_app=self.admin_site.name)
