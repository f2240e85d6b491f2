from django import forms
from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from conflictapi.admin import CuratedAdmin, VersionedForm
from sources.models import Document, Outlet


@admin.register(Outlet)
class OutletAdmin(CuratedAdmin):
    list_display = ("name", "kind", "country", "reliability", "status", "updated_at")
    list_filter = ("kind", "reliability", "status", "country")
    search_fields = ("name", "slug", "url")
    prepopulated_fields = {"slug": ("name",)}


class DocumentForm(VersionedForm):
    """A document, whose text may be pasted or read from a file."""

    # An article is tens of kilobytes; this bounds what a mistaken upload can cost.
    MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024

    text_file = forms.FileField(
        required=False,
        label="Read the text from a file",
        help_text="A UTF-8 .txt file: its content replaces the text above when you save.",
    )

    class Meta:
        widgets = {"text": forms.Textarea(attrs={"rows": 24, "cols": 100})}

    def clean(self):
        upload = self.cleaned_data.get("text_file")
        if upload:
            if upload.size > self.MAX_TEXT_FILE_BYTES:
                self.add_error("text_file", "The file is larger than 2 MB: is it the text?")
            else:
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    self.add_error("text_file", "The file is not UTF-8 text.")
                else:
                    self.cleaned_data["text"] = text.replace("\r\n", "\n").replace("\r", "\n")
        return super().clean()


@admin.register(Document)
class DocumentAdmin(CuratedAdmin):
    form = DocumentForm
    list_display = ("title", "outlet", "published_on", "language", "has_text", "status")
    list_filter = ("status", "language", "outlet__kind", "outlet")
    list_select_related = ("outlet",)
    search_fields = ("title", "authors", "url", "summary", "outlet__name")
    autocomplete_fields = ("outlet",)
    date_hierarchy = "published_on"
    readonly_fields = (*CuratedAdmin.readonly_fields, "cite")
    TEXT_FIELDS = ("text", "text_file", "cite")

    class Media:
        js = ("sources/cite.js",)

    def get_queryset(self, request):
        # The list shows whether a document has its text, not the text.
        held = ExpressionWrapper(~Q(text=""), output_field=BooleanField())
        return super().get_queryset(request).annotate(text_held=held).defer("text")

    def get_fieldsets(self, request, obj=None):
        fields = [f for f in self.get_fields(request, obj) if f not in self.TEXT_FIELDS]
        text_fields = self.TEXT_FIELDS if obj is not None else self.TEXT_FIELDS[:2]
        fieldsets = [
            (None, {"fields": fields}),
            (
                "Text",
                {
                    "fields": text_fields,
                    "description": "The document's full text, where it is held: every "
                    "quote citing the document must then occur in it (whitespace and "
                    "quote marks aside). Shown to curators and editors only.",
                },
            ),
        ]
        return self.without_empty_rows(request, obj, fieldsets)

    @admin.display(boolean=True, description="text")
    def has_text(self, obj):
        return obj.text_held

    @admin.display(description="Cite the selected passage")
    def cite(self, obj):
        """Links to the add forms of the citation models, which cite.js completes with
        the passage selected in the text and its paragraph."""
        links = []
        for model in obj.citation_models():
            opts = model._meta
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            except NoReverseMatch:
                continue
            what = model.cited_field().related_model._meta.verbose_name
            article = "an" if what[0] in "aeiou" else "a"
            links.append((f"{url}?document={obj.pk}", f"Cite for {article} {what}"))
        if not obj.text or not links:
            return "Save the document's text to cite passages of it."
        return format_html(
            '<span class="cite-hint">Select a passage of the text, then:</span> {}',
            format_html_join(
                " · ",
                '<a class="cite-passage" data-base="{}" target="_blank" rel="noopener">{}</a>',
                links,
            ),
        )
