"""The one visibility policy, and the relations it is worked out from.

Who sees what:
- A user who may view a model in the admin (curators, editors) sees every record of it,
  drafts and retractions in full.
- Everybody else (anonymous clients, signed-in users without a group) sees published
  records. A retracted record is a tombstone to them (`TOMBSTONE_FIELDS`): on its own
  URL and under `status=retracted`, never its content, and never inside another record.

A published record renders a related record the viewer may not see as absent: null for
a foreign key (an event's place), left out of a list (a participant, a citation). Some
records cannot stand without a relation (`REQUIRES` on the model: an affiliation's two
ends, a citation's document, a participation's actor): they are hidden with it.

The relations are read from the models (`rendered_relations`), so the publishing rule
(`conflictapi.publishing`) and the leak tests cover a new relation by themselves.
"""

from django.db import models
from django.db.models import Q

from conflictapi.api.permissions import can_see_unpublished
from conflictapi.models import CuratedModel, RecordModel, Status

# What a tombstone shows: that the record existed, that it was withdrawn, why and when.
TOMBSTONE_FIELDS = ("id", "url", "status", "retraction_reason", "version", "updated_at")


def required_relations(model):
    """Foreign keys without which a record of `model` cannot be shown."""
    return tuple(getattr(model, "REQUIRES", ()))


def curated_foreign_keys(model):
    """The model's concrete foreign keys to curated records (an event's place and type,
    a document's outlet, a participation's actor)."""
    return [
        f
        for f in model._meta.get_fields()
        if f.many_to_one and f.concrete and issubclass(f.related_model, CuratedModel)
    ]


def owned_rows(model):
    """The reverse relations to rows that are part of the record (participants,
    citations, names): uncurated records whose foreign key to it cascades."""
    return [
        f
        for f in model._meta.get_fields()
        if f.one_to_many
        and f.on_delete is models.CASCADE
        and issubclass(f.related_model, RecordModel)
        and not issubclass(f.related_model, CuratedModel)
    ]


def rendered_relations(model):
    """Every curated record a record of `model` renders, as (path, foreign key):
    ("place", Event.place), ("participants", EventParticipant.actor). The path is the
    foreign key's name, or the owned rows' accessor for a key held by those rows."""
    relations = [(f.name, f) for f in curated_foreign_keys(model)]
    for rows in owned_rows(model):
        for f in curated_foreign_keys(rows.related_model):
            if f is not rows.field:
                relations.append((rows.get_accessor_name(), f))
    return relations


class Viewer:
    """What one request's user may see; made once a request (`viewer_of`)."""

    def __init__(self, user):
        self.user = user
        self._full = {}

    def full(self, model):
        """True when the user sees every record of `model` (drafts and retractions)."""
        model = model._meta.concrete_model
        if model not in self._full:
            self._full[model] = not issubclass(model, CuratedModel) or can_see_unpublished(
                self.user, model
            )
        return self._full[model]

    def q(self, model, prefix=""):
        """A Q that keeps the records of `model` (reached through `prefix`, e.g.
        "place__") that the user may see rendered in full."""
        q = Q()
        if issubclass(model, CuratedModel) and not self.full(model):
            q &= Q(**{f"{prefix}status": Status.PUBLISHED})
        for name in required_relations(model):
            target = model._meta.get_field(name).related_model
            q &= self.q(target, f"{prefix}{name}__")
        return q

    def filter(self, queryset):
        return queryset.filter(self.q(queryset.model))

    def shows(self, record):
        """True when the record (a model instance) is rendered in full to the user."""
        if record is None:
            return False
        model = type(record)
        if (
            isinstance(record, CuratedModel)
            and record.status != Status.PUBLISHED
            and not self.full(model)
        ):
            return False
        return all(self.shows(getattr(record, name)) for name in required_relations(model))

    def tombstone(self, model, status):
        """True when a record of `model` with this status is shown as a tombstone."""
        return status == Status.RETRACTED and not self.full(model)


def viewer_of(request):
    """The request's Viewer, made once and kept on the request."""
    if request is None:
        return Viewer(None)
    viewer = getattr(request, "_viewer", None)
    if viewer is None:
        viewer = Viewer(getattr(request, "user", None))
        request._viewer = viewer
    return viewer


def tombstone_of(row):
    """The tombstone of a JSON-ready row: its TOMBSTONE_FIELDS only."""
    return {key: row[key] for key in TOMBSTONE_FIELDS if key in row}
