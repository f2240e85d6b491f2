"""Curators' spreadsheets: the admin's import and export of CSV and XLSX
(django-import-export), with the columns of the API's CSV.

An import is previewed first (every row written inside a transaction that is rolled
back, so the preview shows what would be created, changed or left alone, and each
bad row's errors by column), then confirmed. Rows are written as the API writes
records (conflictapi.records.save_record): the model's own validation, partial dates
included, the owned rows (an event's participants) in the same transaction, and the
publishing rule. Status is never imported: new records are drafts, and a changed
record keeps its status. Related records are named by slug, or by their exact name
when no slug matches; a name several records share is an error naming the column,
never a guess."""

import datetime

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from conflictapi import publishing
from conflictapi.api.filters import parse_uuid
from conflictapi.api.renderers import flat_value
from conflictapi.records import RowError, save_record


def find_by_slug_or_name(model, text):
    """The record of `model` whose slug is `text`, else the one whose name is exactly
    `text`. ValueError when none is, or when several share the name."""
    records = model._base_manager
    found = records.filter(slug=text).first()
    if found is not None:
        return found
    named = list(records.filter(name=text).order_by("slug")[:6])
    label = model._meta.verbose_name
    if not named:
        raise ValueError(f"No {label} has the slug or name “{text}”.")
    if len(named) > 1:
        slugs = ", ".join(r.slug for r in named[:5])
        raise ValueError(
            f"Several {model._meta.verbose_name_plural} are named “{text}”: give the slug "
            f"({slugs}{', …' if len(named) > 5 else ''})."
        )
    return named[0]


def cell_text(value):
    """A cell as text: a spreadsheet gives numbers as numbers (2015, 20.0) and a typed
    day as a datetime, which curators mean as the text they typed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class SlugOrNameWidget(widgets.ForeignKeyWidget):
    """A related record by slug or exact name (find_by_slug_or_name); its slug out."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        return find_by_slug_or_name(self.model, text) if text else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class TextWidget(widgets.CharWidget):
    """Text as the cell reads (cell_text): a partial date typed as a day stays that day."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number, or nothing; other text is an error on its column."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise ValueError(f"Give a whole number, not “{text}”.")
        return int(number)


def split_cell(value):
    """A `|`-joined list cell (the flat formats' lists) as its items."""
    return [item.strip() for item in cell_text(value).split("|") if item.strip()]


class Column(fields.Field):
    """A column shown on export and ignored on import (derived, or status)."""

    def __init__(self, column_name, **kwargs):
        super().__init__(column_name=column_name, readonly=True, **kwargs)


class SheetResource(resources.ModelResource):
    """A curated model's rows: looked up by id (and by `lookup_field`, e.g. an
    actor's slug, where the row has no id); saved through save_record; values out
    as the API's flat formats write them."""

    # Besides `id`, a unique column that finds the record a row changes.
    lookup_field = None

    class Meta:
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        # The model's validation (every constraint, the partial dates) with the
        # column errors of the row, so a row reports all of them at once.
        clean_model_instances = True
        use_transactions = True

    id = Column("id", attribute="id")

    def before_import(self, dataset, **kwargs):
        # A sheet of new records, or of actors by slug, may have no id column.
        if "id" not in (dataset.headers or ()):
            dataset.append_col([""] * len(dataset), header="id")
        super().before_import(dataset, **kwargs)

    def get_instance(self, instance_loader, row):
        model = self._meta.model
        text = cell_text(row.get("id"))
        if text:
            pk = parse_uuid(text)
            found = model._base_manager.filter(pk=pk).first() if pk else None
            if found is None:
                raise ValidationError(
                    {
                        "id": f"No {model._meta.verbose_name} has the id “{text}”; leave "
                        "id empty to create one."
                    }
                )
            return found
        key = self.lookup_field
        value = cell_text(row.get(key)) if key else ""
        if value:
            return model._base_manager.filter(**{key: value}).first()
        return None

    def owned_rows(self, instance):
        """{relation: [row fields]} to write with the record (save_record), or None
        to leave its rows as they are."""
        return None

    def rows_unchanged(self, instance, original):
        return True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return super().skip_row(
            instance, original, row, import_validation_errors
        ) and self.rows_unchanged(instance, original)

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if user is not None:
            instance._history_user = user
        name = kwargs.get("file_name")
        instance._change_reason = f"imported from {name}" if name else "imported"
        try:
            save_record(instance, rows=self.owned_rows(instance))
        except RowError as exc:
            messages = [m for ms in exc.error.message_dict.values() for m in ms]
            raise ValidationError({self.row_column(exc.relation): messages}) from None
        except publishing.UnpublishedDependencies as exc:
            raise ValidationError(str(exc)) from None
        self.after_save_instance(instance, row, **kwargs)

    def get_user_visible_fields(self):
        # The import page lists the columns it reads.
        return [f for f in self.get_import_fields() if not f.readonly or f.column_name == "id"]

    def row_column(self, relation):
        return relation

    def export_field(self, field, instance, **kwargs):
        dehydrate = field.get_dehydrate_method(self.get_field_name(field))
        method = dehydrate if callable(dehydrate) else getattr(self, dehydrate, None)
        value = method(instance) if method is not None else field.get_value(instance)
        if hasattr(value, "slug"):
            value = value.slug
        if hasattr(value, "code") and not isinstance(value, str):  # a Country
            value = value.code
        value = flat_value(value)
        return "" if value is None else value


def text_field(column, **kwargs):
    return fields.Field(attribute=column, column_name=column, widget=TextWidget(), **kwargs)


class SheetAdminMixin(ImportExportMixin):
    """Import (CSV, XLSX) for users who may both add and change the model; export for
    those who may view it. Import previews before anything is written."""

    formats = (CSV, XLSX)
    import_error_display = ("message",)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        # A row that fails on confirm (the data changed since the preview) undoes the
        # whole import, as it would have refused the preview.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}
