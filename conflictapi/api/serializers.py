"""Serializer bases: record fields, model validation, nested writes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conflictapi.records import RowError, save_record
from conflictapi.visibility import TOMBSTONE_FIELDS, viewer_of

RECORD_FIELDS = ("id", "url", "status", "retraction_reason", "version", "created_at", "updated_at")


def url_prefix(request, view_name):
    """The absolute detail URL of `view_name` with the id and its trailing "/" left
    off, built once per page: a row's URL is then f"{prefix}{pk}/"."""
    marker = "00000000-0000-0000-0000-000000000000"
    url = reverse(view_name, kwargs={"pk": marker})
    if request is not None:
        url = request.build_absolute_uri(url)
    return url[: url.index(marker)]


class SelfLink(serializers.HyperlinkedIdentityField):
    """The record's API URL, without the request's query string: DRF would carry
    `?format=…` into every link, and a GeoJSON or CSV detail does not exist."""

    def get_url(self, obj, view_name, request, format):
        # The prefix is built once per request and view name, then completed per row:
        # reversing and absolutizing a URL for each of a page's rows costs more than
        # the row.
        prefixes = getattr(request, "_link_prefixes", None)
        if prefixes is None:
            prefixes = {}
            if request is not None:
                request._link_prefixes = prefixes
        if view_name not in prefixes:
            prefixes[view_name] = url_prefix(request, view_name)
        return f"{prefixes[view_name]}{obj.pk}/"


def context_viewer(context):
    return viewer_of(context.get("request"))


class BriefSerializer(serializers.ModelSerializer):
    """A related record in brief. Null where the requester may not see the record (for
    anonymous clients: anything not published)."""

    # The rule is conflictapi.visibility's; it holds in every rendering built from here.

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is not None and not context_viewer(self.context).shows(related):
            return None
        return related


class VisibleListSerializer(serializers.ListSerializer):
    """A record's owned rows (participants, citations) that the requester may see:
    a row whose required relation is hidden (a draft actor, a retracted document) is
    left out."""

    def to_representation(self, data):
        rows = data.all() if hasattr(data, "all") else data
        viewer = context_viewer(self.context)
        return [self.child.to_representation(row) for row in rows if viewer.shows(row)]


def as_drf_error(exc):
    if hasattr(exc, "message_dict"):
        return serializers.ValidationError(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        )
    return serializers.ValidationError({"non_field_errors": exc.messages})


def full_clean(instance, exclude=None):
    """The model's own validation (field validators, clean(), every constraint), so a
    bad write is a 400 naming the field rather than an IntegrityError."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from None


class BlankChoicesMixin:
    # No docstring (the schema would show it on every record). Read-only choice fields
    # of blank-able model fields (the derived *_precision) answer "" when unset: let the
    # field, and so the schema, allow it.

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if kwargs.get("read_only") and kwargs.get("choices") and model_field.blank:
            kwargs["allow_blank"] = True
        return field_class, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # Meta.read_only_fields would drop allow_blank again.
        blank = kwargs.get("allow_blank") and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class BlankableURLField(serializers.URLField):
    """A URL, or "" where there is none."""


class RecordSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    # No docstring: the schema would show it as every record's description.
    # Writes validate the whole model and its nested lists in one transaction. `nested`
    # names the fields that are the record's own rows, e.g. ("names",), written by
    # conflictapi.records.save_record. On update, a nested list that is sent replaces
    # the stored one; one that is left out is kept.

    nested = ()
    # Fields shown only to readers who see the model's drafts (curators and editors),
    # in every format built from this serializer; others get the record without them.
    curators_only = ()

    class Meta:
        read_only_fields = RECORD_FIELDS

    def to_representation(self, instance):
        viewer = context_viewer(self.context)
        if viewer.tombstone(type(instance), getattr(instance, "status", None)):
            # A withdrawn record, to those who may not see retractions: that it was,
            # why and when, never its content.
            return {
                name: field.to_representation(field.get_attribute(instance))
                for name, field in self.fields.items()
                if name in TOMBSTONE_FIELDS and not field.write_only
            }
        return super().to_representation(instance)

    @property
    def _readable_fields(self):
        # Curators-only fields are not even read for others (a document's text is
        # deferred for them: reading it would cost a query a row).
        hidden = ()
        if self.curators_only and not context_viewer(self.context).full(self.Meta.model):
            hidden = self.curators_only
        for field in super()._readable_fields:
            if field.field_name not in hidden:
                yield field

    def _pop_nested(self, validated_data):
        return {name: validated_data.pop(name) for name in self.nested if name in validated_data}

    def _save(self, instance, validated_data):
        rows = self._pop_nested(validated_data)
        try:
            return save_record(instance, fields=validated_data, rows=rows)
        except DjangoValidationError as exc:
            error = as_drf_error(exc)
            # Name the field as the client wrote it (parent_id), not as the model has it.
            written = {f.source: name for name, f in self.fields.items() if not f.read_only}
            if isinstance(error.detail, dict):
                error.detail = {written.get(k, k): v for k, v in error.detail.items()}
            raise error from None
        except RowError as exc:
            raise serializers.ValidationError(
                {exc.relation: {exc.index: as_drf_error(exc.error).detail}}
            ) from None

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class BulkCreateSerializer(serializers.ListSerializer):
    """A list body: every record is validated (an error names the item's index), then
    each is written as a single create writes it. The caller holds one transaction
    around save(), so a record the models refuse leaves none of the others written."""

    def run_validation(self, data=serializers.empty):
        try:
            return super().run_validation(data)
        except serializers.ValidationError as exc:
            # DRF keys the items' errors by their index, a number; the error shape
            # names a field by a text path, so the index is text ("1", "2.date").
            detail = exc.detail
            if isinstance(detail, list):
                detail = dict(enumerate(detail))
            if not isinstance(detail, dict) or not all(isinstance(k, int) for k in detail):
                raise
            detail = {str(index): d for index, d in detail.items() if d}
            raise serializers.ValidationError(detail) from None

    def create(self, validated_data):
        created = []
        for index, attrs in enumerate(validated_data):
            try:
                created.append(self.child.create(attrs))
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({str(index): exc.detail}) from None
        return created
