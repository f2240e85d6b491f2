"""Abstract bases every app shares."""

import contextlib
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from conflictapi import partialdates


class StaleVersionError(Exception):
    """A save was based on a version of the record that is no longer current."""

    def __init__(self, instance, expected):
        self.instance = instance
        self.expected = expected
        super().__init__(
            f"{type(instance).__name__} {instance.pk} changed since version {expected} "
            "was read; reload it and apply the change again."
        )


class Status(models.TextChoices):
    DRAFT = "draft", "draft"
    PUBLISHED = "published", "published"
    RETRACTED = "retracted", "retracted"


class History(HistoricalRecords):
    """Change history of what curators write: a generated column (derived by the
    database from other columns) is left out of the historical copy."""

    def fields_included(self, model):
        return [f for f in super().fields_included(model) if not f.generated]

    def copy_fields(self, model):
        """The historical copy indexes the record's id and its foreign keys (a record's
        history, its rows' history by record), not the fields the live table indexes
        for lists and filters (status, dates, slugs, kinds): history is read by record
        and date, and every write pays for each index (an import of a million events
        wrote a dozen such entries an event)."""
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if not field.is_relation and name != model._meta.pk.name:
                field.db_index = False
        return fields

    # A history row always says what happened: the writer's reason (the admin's list of
    # what changed on the page, an import's file, "published"), else the kind of change.
    DEFAULT_REASONS = {"+": "created", "~": "changed", "-": "deleted"}

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or self.DEFAULT_REASONS.get(history_type)


class RecordModel(models.Model):
    """UUID id, timestamps, an optimistic-locking version and full change history.

    ``version`` is bumped on every save and is the record's ETag: a save whose
    ``version`` is not the one in the database raises StaleVersionError instead of
    overwriting a newer change. The check runs inside the UPDATE itself, so two
    concurrent writers cannot both win.
    """

    # Partial dates of the model, by field name; save() derives their bounds.
    PARTIAL_DATES = ()

    id = models.UUIDField(
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Stable identifier, the same across exports and instances.",
    )
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, help_text="When the record was created."
    )
    updated_at = models.DateTimeField(
        auto_now=True, db_index=True, help_text="When the record last changed."
    )
    version = models.PositiveIntegerField(
        default=0,
        help_text="Bumped on every save; send it back as If-Match to update safely.",
    )
    history = History(inherit=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        # Bounds must exist before clean() checks constraints that compare them.
        # An invalid date has already been reported by the field's validator.
        with contextlib.suppress(ValidationError):
            partialdates.derive(self, self.PARTIAL_DATES)

    def save(self, *args, **kwargs):
        partialdates.derive(self, self.PARTIAL_DATES)
        self._expected_version = None if self._state.adding else self.version
        self.version = (self.version or 0) + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version -= 1
            raise
        finally:
            self._expected_version = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=expected),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise StaleVersionError(self, expected)
        return updated


class CuratedModel(RecordModel):
    """A record with a publication status. Anonymous readers see only published
    records; published records are retracted, never deleted, so that syncing clients
    learn of it."""

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="draft: being curated, visible to curators only; published: public; "
        "retracted: withdrawn, kept so that syncing clients learn of it.",
    )
    retraction_reason = models.TextField(
        blank=True, help_text="Why the record was retracted; required when retracted."
    )

    # The fields other records show of this one (its brief: slug, name, and status,
    # which decides whether it is shown at all); see conflictapi.dependents.
    SHOWN_FIELDS = ("slug", "name", "status")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        shown = [f for f in self.SHOWN_FIELDS if hasattr(self, f)]
        before = None
        if not self._state.adding and shown:
            before = type(self)._base_manager.filter(pk=self.pk).values_list(*shown).first()
        super().save(*args, **kwargs)
        if before is not None:
            fields = [self._meta.get_field(name) for name in shown]
            if any(
                f.to_python(old) != f.to_python(getattr(self, f.attname))
                for f, old in zip(fields, before, strict=True)
            ):
                self.representation_changed()

    def representation_changed(self):
        """A field others show of this record changed: advance the records that render
        it (conflictapi.dependents). A model whose records are shown further away (a
        place, in the events anywhere below it) adds those."""
        from conflictapi.dependents import touch_renderers

        touch_renderers(type(self), [self.pk])

    @staticmethod
    def publish_permission(model_name):
        """The Meta.permissions entry that lets editors publish and retract."""
        return (f"publish_{model_name}", f"Can publish and retract {model_name}")

    @classmethod
    def status_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=~models.Q(status=Status.RETRACTED) | ~models.Q(retraction_reason=""),
                name=f"{prefix}_retraction_has_reason",
                violation_error_message="A retracted record needs a retraction reason.",
            ),
        ]

    def clean(self):
        super().clean()
        if self.status == Status.RETRACTED and not self.retraction_reason.strip():
            raise ValidationError({"retraction_reason": "Give the reason for the retraction."})

    def retraction_conflicts(self):
        """Published records that retracting this one would leave unsupported
        (conflictapi.publishing refuses the retraction while there are any)."""
        return []

    def delete(self, *args, **kwargs):
        if self.status != Status.DRAFT:
            raise PublishedDeleteError(self)
        return super().delete(*args, **kwargs)


class PublishedDeleteError(Exception):
    def __init__(self, instance):
        self.instance = instance
        super().__init__(
            f"{instance} is {instance.status}: only drafts may be deleted; retract it instead."
        )


def partial_date_bounds_constraint(prefix, start_field, end_field):
    """An end that cannot fall before its start: the latest day the end can mean is
    not before the earliest day the start can mean."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{start_field}_start__isnull": True})
        | models.Q(**{f"{end_field}_end__isnull": True})
        | models.Q(**{f"{end_field}_end__gte": models.F(f"{start_field}_start")}),
        name=f"{prefix}_{end_field}_not_before_{start_field}",
        violation_error_message=f"The {end_field.replace('_', ' ')} cannot be before "
        f"the {start_field.replace('_', ' ')}.",
    )
