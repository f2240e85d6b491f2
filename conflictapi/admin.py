"""Admin bases every app shares: optimistic locking, publish and retract, history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django_countries import countries
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


def _is_cited(record):
    """Whether a published record that needs citations has one of a published document."""
    if getattr(record, "status", None) != Status.PUBLISHED:
        return False
    try:
        publishing.check_cited(record)
    except publishing.Uncited:
        return False
    return True


def page_change_reason(form, formsets, change):
    """What an admin page's save changed, in words: "added in the admin", or "changed
    title, summary; added 1 participant, deleted 1 citation in the admin"."""
    if not change:
        return "added in the admin"
    parts = []
    fields = [
        str(form.fields[name].label or name).lower()
        for name in form.changed_data
        if name in form.fields and name != "version"
    ]
    if fields:
        parts.append("changed " + ", ".join(fields))
    for formset in formsets:
        name = formset.model._meta
        counts = (
            ("added", len(formset.new_objects)),
            ("changed", len(formset.changed_objects)),
            ("deleted", len(formset.deleted_objects)),
        )
        for verb, n in counts:
            if n:
                noun = name.verbose_name if n == 1 else name.verbose_name_plural
                parts.append(f"{verb} {n} {noun}")
    return ("; ".join(parts) or "saved unchanged") + " in the admin"


# What conflictapi.publishing refuses (and a record changed since it was read): said to
# the curator, the record left as it was.
REFUSALS = (
    publishing.UnpublishedDependencies,
    publishing.RetractionConflict,
    publishing.Uncited,
    StaleVersionError,
)


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
    # The read-only fields an add form still shows: what the new record will be.
    add_form_readonly = ("status",)

    def get_fieldsets(self, request, obj=None):
        """An add form leaves out the read-only rows that would all be empty (the id, the
        times, the bounds derived from dates, a retraction's reason): a record not yet
        saved has none of them."""
        return self.without_empty_rows(request, obj, super().get_fieldsets(request, obj))

    def without_empty_rows(self, request, obj, fieldsets):
        if obj is not None:
            return fieldsets
        empty = set(self.get_readonly_fields(request, obj)) - set(self.add_form_readonly)

        def kept(entry):
            if isinstance(entry, (list, tuple)):
                return tuple(name for name in entry if name not in empty) or None
            return None if entry in empty else entry

        trimmed = []
        for title, options in fieldsets:
            fields = [f for f in map(kept, options["fields"]) if f]
            if fields:
                trimmed.append((title, {**options, "fields": fields}))
        return trimmed

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not getattr(obj, "_change_reason", None):
                obj._change_reason = page_change_reason(form, (), change)
            super().save_model(request, obj, form, change)

    object_history_form_template = "admin/conflictapi/object_history_form.html"

    # history of the whole record: its rows (participants, citations, names) too -------

    def row_models(self):
        """(model, foreign key to the record) of the rows the page edits with the record
        (its inlines), which its history shows and a revert restores; rows shown but
        never edited (identifiers given once) are left as they are."""
        found = []
        for inline in self.inlines:
            if getattr(inline, "max_num", None) == 0 or not hasattr(inline.model, "history"):
                continue
            fk = next(
                f
                for f in inline.model._meta.concrete_fields
                if f.is_relation and f.related_model is self.model
            )
            found.append((inline.model, fk))
        return found

    @staticmethod
    def _content(model):
        skip = {"id", "created_at", "updated_at", "version"}
        return [
            f.attname
            for f in model._meta.concrete_fields
            if not f.generated and f.attname not in skip
        ]

    def rows_as_of(self, object_id, version):
        """{model: {row id: {field: value}}}: the record's rows as they stood at
        `version` (a historical record of it), that is before the record's next version
        (rows saved with the page come a moment after the record itself)."""
        following = version.next_record
        rows = {}
        for model, fk in self.row_models():
            history = model.history.model._default_manager.filter(**{fk.attname: object_id})
            if following is not None:
                history = history.filter(history_date__lt=following.history_date)
            latest = {}
            for h in history.order_by("history_date", "history_id"):
                latest[h.id] = h
            rows[model] = {
                pk: {name: getattr(h, name) for name in self._content(model)}
                for pk, h in latest.items()
                if h.history_type != "-"
            }
        return rows

    def rows_now(self, object_id):
        rows = {}
        for model, fk in self.row_models():
            fields = self._content(model)
            rows[model] = {
                values.pop("id"): values
                for values in model._base_manager.filter(**{fk.attname: object_id}).values(
                    "id", *fields
                )
            }
        return rows

    def row_changes(self, then, now):
        """What a revert does to the rows, in words: [(rows' name, [line])]."""
        changes = []
        for model, rows in then.items():
            current = now.get(model, {})
            lines = []
            for pk, values in rows.items():
                label = str(model(id=pk, **values))
                if pk not in current:
                    lines.append(f"restores {label}")
                else:
                    differ = [k for k, v in values.items() if current[pk].get(k) != v]
                    if differ:
                        lines.append(f"sets {label} back ({', '.join(differ)})")
            for pk, values in current.items():
                if pk not in rows:
                    lines.append(f"removes {model(id=pk, **values)}")
            if lines:
                changes.append((model._meta.verbose_name_plural, lines))
        return changes

    def restore_rows(self, then, now, user):
        """Make the record's rows what they were (`then`), history rows included."""
        for model, rows in then.items():
            current = now.get(model, {})
            for pk in set(current) - set(rows):
                row = model._base_manager.get(pk=pk)
                row._history_user, row._change_reason = user, "removed by a revert"
                row.delete()
            for pk, values in rows.items():
                if pk in current and current[pk] == values:
                    continue
                if pk in current:
                    row = model._base_manager.get(pk=pk)
                    for name, value in values.items():
                        setattr(row, name, value)
                else:
                    row = model(id=pk, **values)
                row._history_user, row._change_reason = user, "restored by a revert"
                row.save()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = self.model.history.model
        version = get_object_or_404(
            history, **{self.model._meta.pk.attname: object_id, "history_id": version_id}
        )
        then, now = self.rows_as_of(object_id, version), self.rows_now(object_id)
        extra_context = {**(extra_context or {}), "row_changes": self.row_changes(then, now)}
        if request.method != "POST" or "_change_history" in request.POST:
            return super().history_form_view(request, object_id, version_id, extra_context)
        record = self.model._base_manager.get(pk=object_id)
        was_cited = _is_cited(record)
        try:
            with transaction.atomic():
                response = super().history_form_view(request, object_id, version_id, extra_context)
                if response.status_code in (301, 302) and extra_context["row_changes"]:
                    self.restore_rows(then, now, request.user)
                    # The rows it restores are held to the publishing rule, as the
                    # page's own rows are (PublishedParentFormSet).
                    record = self.model._base_manager.get(pk=object_id)
                    if isinstance(record, CuratedModel):
                        publishing.check_dependencies_published(record)
                        if was_cited and not _is_cited(record):
                            raise publishing.Uncited(record)
        except (publishing.UnpublishedDependencies, publishing.Uncited) as exc:
            # Nothing was reverted (the transaction is undone); say why, on the page.
            for _ in messages.get_messages(request):
                pass  # the save's success message no longer holds
            self.message_user(request, f"Not reverted: {exc}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        return response

    def save_related(self, request, form, formsets, change):
        """The history row the page's save wrote names what changed on the page, its
        rows (participants, citations, names) included: those are saved after it."""
        super().save_related(request, form, formsets, change)
        if formsets and any(f.has_changed() for f in formsets):
            reason = page_change_reason(form, formsets, change)
            latest = form.instance.history.order_by("-history_date", "-history_id").first()
            if latest is not None and latest.history_change_reason != reason:
                latest.history_change_reason = reason
                latest.save(update_fields=["history_change_reason"])


class CuratedAdmin(RecordAdmin):
    """For records with a status: publish and retract, as changelist actions and as
    buttons on the record's own page (which also lists the unpublished records it
    renders); only drafts deleted."""

    actions = ["publish", "retract"]
    list_filter = ("status",)
    readonly_fields = (*RecordAdmin.readonly_fields, "status", "retraction_reason")
    change_form_template = "admin/conflictapi/curated_change_form.html"

    # the record's page: Publish, Publish with its drafts, Retract ----------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publish/",
                view(self.publish_view),
                name=f"{name}_publish",
            ),
            path(
                "<path:object_id>/retract/",
                view(self.retract_view),
                name=f"{name}_retract",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["unpublished_dependencies"] = [
                (relation, dep, self._change_url(dep))
                for relation, dep in publishing.unpublished_dependencies(obj)
            ]
            extra_context["may_publish"] = self.has_publish_permission(request)
            extra_context.update(self.pictures(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def pictures(self, request, obj):
        """What the record's page draws (the template's context): an actor's network, a
        place's map; none by default."""
        return {}

    def _change_url(self, record):
        opts = record._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[record.pk],
            )
        except NoReverseMatch:  # a model without an admin page: named, not linked
            return None

    def _page_record(self, request, object_id):
        """The record of a publish or retract request from its page, as it was when
        the page was opened: a record changed since then is refused (StaleVersionError),
        as saving the page would be."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model._base_manager, pk=object_id)
        opened = request.POST.get("version")
        if opened is not None and opened != str(obj.version):
            obj.version = int(opened) if opened.isdigit() else -1
        return obj

    def _back(self, obj):
        return HttpResponseRedirect(self._change_url(obj))

    def publish_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._page_record(request, object_id)
        with_drafts = bool(request.POST.get("with_dependencies"))

        def may_publish(model):
            opts = model._meta
            return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

        published = []

        def publish(record):
            published.extend(
                publishing.publish(
                    record,
                    user=request.user,
                    with_dependencies=with_drafts,
                    may_publish=may_publish,
                )
            )

        if self._change_status(request, [obj], publish, "published"):
            also = (
                " with " + ", ".join(publishing.describe(dep) for dep in published)
                if published
                else ""
            )
            self.message_user(
                request, f"Published {publishing.describe(obj)}{also}.", messages.SUCCESS
            )
        return self._back(obj)

    def retract_view(self, request, object_id):
        obj = self._page_record(request, object_id)
        form = RetractForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()

            def retract(record):
                publishing.retract(record, reason=reason, user=request.user)

            if self._change_status(request, [obj], retract, f"retracted: {reason}"):
                self.message_user(
                    request, f"Retracted {publishing.describe(obj)}.", messages.SUCCESS
                )
            return self._back(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Retract {obj}",
            "opts": self.opts,
            "original": obj,
            "form": form,
        }
        return TemplateResponse(request, "admin/conflictapi/retract_one.html", context)

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
            except REFUSALS as exc:
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


class CompactTabularInline(admin.TabularInline):
    """A table of rows that fits the page at 1,280 px: its free-text columns (notes) are
    small boxes that grow as typed into, not the admin's 40-column textareas."""

    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 24})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 28})},
    }

    class Media:
        css = {"all": ("conflictapi/compact-rows.css",)}


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


def shortened(value, limit=48):
    """`value` as a list's cell: cut at `limit` characters, the whole in its tooltip."""
    text = str(value)
    if len(text) <= limit:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: limit - 1].rstrip())


def day(moment):
    """A time as a list's cell: the day, the time in its tooltip."""
    when = timezone.localtime(moment)
    return format_html('<span title="{}">{}</span>', f"{when:%Y-%m-%d %H:%M}", f"{when:%Y-%m-%d}")


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
    list_display = ("__str__", "cited", "cited_document", "locator", "verified", "updated")
    list_filter = ("quote_verified", "translation", "credibility")
    search_fields = ("quote", "document__title", "note")
    readonly_fields = (*RecordAdmin.readonly_fields, "verification")

    def get_fields(self, request, obj=None):
        # What the record's page shows of a citation, and the record it supports.
        return (self.model.cited_field().name, *CitationInline.fields)

    def get_autocomplete_fields(self, request):
        return (self.model.cited_field().name, "document")

    def get_list_select_related(self, request):
        return (self.model.cited_field().name, "document")

    @admin.display(description="what it supports")
    def cited(self, obj):
        return shortened(getattr(obj, self.model.cited_field().name))

    @admin.display(description="document", ordering="document__title")
    def cited_document(self, obj):
        return shortened(obj.document)

    @admin.display(description="verified", ordering="quote_verified")
    def verified(self, obj):
        """A mark, the words in its tooltip (quote_check)."""
        mark = {True: "✓", False: "✗"}.get(obj.quote_verified, "–")
        return format_html('<span title="{}">{}</span>', quote_check(obj), mark)

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return day(obj.updated_at)

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


class UsedCountryFilter(admin.SimpleListFilter):
    """The countries that records of the list are in (not all 250)."""

    title = "country"
    parameter_name = "country"
    field = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.model._base_manager.exclude(**{self.field: ""})
            .order_by()
            .values_list(self.field, flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset
