"""Writing records: a record with the rows that are part of it (an event's participants
and citations, an actor's names and identifiers), the path of the API's nested writes;
and keyed upserts for loaders (the seed loader now, importers to come), which save a
row only when it changed and leave rows a curator added alone.

Everything is validated by the models themselves (field validators, clean(), every
constraint) before it is saved, in one transaction: a bad row leaves nothing written.
A published record is held to the publishing rule (conflictapi.publishing): an edit
may not point it at an unpublished record."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from conflictapi import publishing


class RowError(Exception):
    """A row of a record is invalid: `relation` (e.g. "participants"), its `index` in
    the list given, and the model's ValidationError."""

    def __init__(self, relation, index, error):
        self.relation = relation
        self.index = index
        self.error = error
        super().__init__(f"{relation}[{index}]: {error}")


def save_record(instance, *, fields=None, rows=None):
    """Set `fields` on `instance`, validate and save it, then write `rows`
    ({relation: [dict of a row's fields]}), each list replacing the rows the record
    held. Raises Django's ValidationError (the record), RowError (a row) or
    publishing.UnpublishedDependencies; nothing is written then."""
    for name, value in (fields or {}).items():
        setattr(instance, name, value)
    instance.full_clean()
    adding = instance._state.adding
    with transaction.atomic():
        instance.save()
        for relation, values in (rows or {}).items():
            manager = getattr(instance, relation)
            if not adding:
                manager.all().delete()
            for index, row in enumerate(values):
                child = manager.model(**{manager.field.name: instance}, **row)
                try:
                    # The record and the rows before this one are saved (inside the
                    # transaction), so unique constraints see them all.
                    child.full_clean()
                except ValidationError as exc:
                    raise RowError(relation, index, exc) from None
                child.save()
        publishing.check_dependencies_published(instance)
    return instance


def _comparable(value):
    if hasattr(value, "code") and not isinstance(value, str):  # django-countries Country
        return value.code or ""
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def upsert(model, pk, values):
    """Create or update the row `pk` of `model` with `values`, validated by the model
    (ValidationError if not); saved only when a value differs, so an unchanged row
    keeps its version and history. Returns (instance, "created" | "updated" |
    "unchanged")."""
    obj = model._base_manager.filter(pk=pk).first()
    creating = obj is None
    if creating:
        obj = model(pk=pk)
        before = None
    else:
        before = {k: _comparable(getattr(obj, k)) for k in values}
    for k, v in values.items():
        setattr(obj, k, v)
    obj.full_clean()
    if creating:
        obj.save()
        return obj, "created"
    if {k: _comparable(getattr(obj, k)) for k in values} != before:
        obj.save()
        return obj, "updated"
    return obj, "unchanged"


def prune(queryset, keep, *, ours):
    """Delete the rows of `queryset` not in `keep` that the loader owns (`ours(pk)`):
    rows a curator added stay. Returns how many were deleted."""
    deleted = 0
    for obj in queryset.exclude(pk__in=keep):
        if ours(obj.pk):
            obj.delete()
            deleted += 1
    return deleted
