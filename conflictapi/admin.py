"""Admin bases every app shares: optimistic locking, publish and retract, history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import is_historic

from conflictapi import publishing
from conflictapi.dependents import changed
from conflictapi.models import CuratedModel, StaleVersionError, Status


def refuse_unpublished_targets(form, cleaned):
    """A form error on each field of a published record's form (or of one of its
    rows) that points at an unpublished record (conflictapi.publishing)."""
    for name, value in list(cleaned.items()):
        if isinstance(value, CuratedModel) and value.status != Status.PUBLISHED:
            form.add_error(
                name,
                f"{publishing.describe(value)} is {value.status}; a published record may "
                "point only at published ones.",
            )


class VersionedForm(forms.ModelForm):
    """Carries the version the curator opened and refuses to save over a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if not self.is_bound and instance.pk and is_historic(instance):
            # A revert applies an old state on top of the current record.
            self.initial["version"] = self._current_version()

    def _current_version(self):
        model = type(self.instance)
        return (
            model._base_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding:
            return cleaned
        if getattr(self.instance, "status", None) == Status.PUBLISHED:
            refuse_unpublished_targets(self, cleaned)
        current = self._current_version()
        opened = cleaned.get("version")
        if current is not None and opened != current:
            raise forms.ValidationError(
                "Someone else saved this record (now version %(current)s) after you "
                "opened it (version %(opened)s). Open it again to see their change, "
                "then make yours.",
                code="stale_version",
                params={"current": current, "opened": opened},
            )
        return cleaned


class RetractForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why these records are withdrawn. Syncing clients see this reason.",
    )


class RecordAdmin(SimpleHistoryAdmin):
    """For records with a version: history, revert and optimistic locking."""

    form = VersionedForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("id", "created_at", "updated_at")
    history_list_display = ["version"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)


class CuratedAdmin(RecordAdmin):
    """For records with a status: publish and retract actions; only drafts deleted."""

    actions = ["publish", "retract"]
    list_filter = ("status",)
    readonly_fields = (*RecordAdmin.readonly_fields, "status", "retraction_reason")

    def save_model(self, request, obj, form, change):
        # Status changes only by Publish and Retract: a form, or a revert to an old
        # version from the history, keeps the record's current status and reason.
        if change:
            current = (
                type(obj)
                ._base_manager.filter(pk=obj.pk)
                .values_list("status", "retraction_reason")
                .first()
            )
            if current is not None:
                obj.status, obj.retraction_reason = current
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        kept = queryset.exclude(status=Status.DRAFT)
        if kept.exists():
            raise PermissionDenied("Only drafts may be deleted; retract the others.")
        super().delete_queryset(request, queryset)

    def _change_status(self, request, queryset, change, verb):
        """Apply `change` (a conflictapi.publishing function) to each record; a record
        it refuses is reported and left as it was, the others are changed."""
        changed = 0
        for obj in queryset:
            try:
                with transaction.atomic():
                    obj._change_reason = verb
                    change(obj)
            except (
                publishing.UnpublishedDependencies,
                publishing.RetractionConflict,
                publishing.Uncited,
                StaleVersionError,
            ) as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                changed += 1
        return changed

    @admin.action(description="Publish selected records", permissions=["publish"])
    def publish(self, request, queryset):
        drafts = queryset.exclude(status=Status.PUBLISHED)
        changed = self._change_status(
            request,
            drafts,
            lambda obj: publishing.publish(obj, user=request.user),
            "published",
        )
        self.message_user(request, f"Published {changed} record(s).", messages.SUCCESS)

    @admin.action(description="Retract selected records…", permissions=["publish"])
    def retract(self, request, queryset):
        form = RetractForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            changed = self._change_status(
                request,
                queryset.exclude(status=Status.RETRACTED),
                lambda obj: publishing.retract(obj, reason=reason, user=request.user),
                f"retracted: {reason}",
            )
            self.message_user(request, f"Retracted {changed} record(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Retract records",
            "opts": self.opts,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/conflictapi/retract.html", context)


class PublishedParentFormSet(forms.BaseInlineFormSet):
    """The rows of a published record (participants, citations) may point only at
    published records (conflictapi.publishing); the row naming a draft is refused."""

    def clean(self):
        super().clean()
        if getattr(self.instance, "status", None) != Status.PUBLISHED:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("DELETE"):
                refuse_unpublished_targets(form, data)


@admin.display(description="quote verified")
def quote_check(citation):
    """Whether the citation's quote was found in its document's text, in words."""
    if citation is None or citation.pk is None:
        return "checked when saved"
    if citation.quote_verified:
        return "✓ found in the document's text"
    if citation.translation:
        return "translation: not checked against the text"
    if citation.quote_verified is False:
        return "✗ not found in the document's text"
    return "– the document's text is not held"


class CitationInline(admin.StackedInline):
    """Citations: the document and its verbatim quote, on the page of what they support."""

    extra = 0
    formset = PublishedParentFormSet
    autocomplete_fields = ("document",)
    fields = (
        "document",
        "quote",
        "translation",
        "locator",
        "verification",
        "credibility",
        "note",
    )
    readonly_fields = ("verification",)

    @admin.display(description="quote verified")
    def verification(self, obj):
        return quote_check(obj)


class CitationForm(VersionedForm):
    """A citation on its own page: a published record may cite only published
    documents (conflictapi.publishing), as on the record's own page."""

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get(self._meta.model.cited_field().name)
        document = cleaned.get("document")
        if getattr(owner, "status", None) == Status.PUBLISHED and document is not None:
            refuse_unpublished_targets(self, {"document": document})
        return cleaned


class CitationAdmin(RecordAdmin):
    """A citation on its own page, where a curator lands from a passage selected on a
    document's page: its add form takes the document, the quote and the locator as GET
    parameters (?document=…&quote=…&locator=…), and the record it supports is chosen
    here. Citations are removed on the page of the record they support, where the
    rule that a published record keeps a published citation holds."""

    form = CitationForm
    list_display = ("__str__", "cited", "document", "locator", "verification", "updated_at")
    list_filter = ("quote_verified", "translation", "credibility")
    search_fields = ("quote", "document__title", "note")
    readonly_fields = (*RecordAdmin.readonly_fields, "verification")

    def get_fields(self, request, obj=None):
        cited = self.model.cited_field().name
        return (
            cited,
            "document",
            "quote",
            "translation",
            "locator",
            "verification",
            "credibility",
            "note",
        )

    def get_autocomplete_fields(self, request):
        return (self.model.cited_field().name, "document")

    def get_list_select_related(self, request):
        return (self.model.cited_field().name, "document")

    @admin.display(description="what it supports")
    def cited(self, obj):
        return getattr(obj, self.model.cited_field().name)

    @admin.display(description="quote verified")
    def verification(self, obj):
        return quote_check(obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # The record shows its citations: its representation changed.
            field = self.model.cited_field()
            owners = {getattr(obj, field.attname)}
            if change and field.name in form.changed_data:
                owners.add(form.initial.get(field.name))
            field.related_model._base_manager.filter(pk__in=owners - {None}).update(
                **changed(timezone.now())
            )
