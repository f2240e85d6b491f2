"""The admin's spreadsheet of events (conflictapi.sheets): the columns of the API's CSV
and export (events.api.export.FLAT_COLUMNS), plus the summary. `actors` and `roles`
are the participants, `|`-joined, actor by actor; the other derived columns (the
date's bounds, the place's name, country and coordinates, `actor_names`) are shown,
not imported."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from import_export import fields

from actors.models import Actor
from conflictapi.sheets import (
    Column,
    SheetResource,
    SlugOrNameWidget,
    WholeNumberWidget,
    find_by_slug_or_name,
    split_cell,
    text_field,
)
from events.api.export import COLUMNS
from events.models import (
    Event,
    EventParticipant,
    EventType,
    IdentifierScheme,
    ParticipantRole,
    Place,
)


def number_field(column):
    return fields.Field(attribute=column, column_name=column, widget=WholeNumberWidget())


def participants_of(row):
    """[(actor, role)] from the row's `actors` and `roles` cells; ValidationError
    naming the column at fault."""
    actors, roles = split_cell(row.get("actors")), split_cell(row.get("roles"))
    errors = {}
    found = []
    for text in actors:
        try:
            found.append(find_by_slug_or_name(Actor, text))
        except ValueError as exc:
            errors.setdefault("actors", []).append(str(exc))
    unknown = [r for r in roles if r not in ParticipantRole.values]
    if unknown:
        errors["roles"] = [
            f"Not a role: {', '.join(unknown)} (one of {', '.join(ParticipantRole.values)})."
        ]
    elif len(roles) != len(actors):
        errors["roles"] = [
            f"Give one role for each actor, in the same order: {len(actors)} actor(s), "
            f"{len(roles)} role(s)."
        ]
    if errors:
        raise ValidationError(errors)
    return list(zip(found, roles, strict=True))


class EventResource(SheetResource):
    title = text_field("title")
    event_type = fields.Field(
        attribute="event_type", column_name="event_type", widget=SlugOrNameWidget(EventType)
    )
    date = text_field("date")
    date_start = Column("date_start", attribute="date_start")
    date_end = Column("date_end", attribute="date_end")
    date_precision = Column("date_precision", attribute="date_precision")
    place = fields.Field(attribute="place", column_name="place", widget=SlugOrNameWidget(Place))
    place_name = Column("place_name", attribute="place__name")
    country = Column("country", attribute="place__country")
    latitude = Column("latitude", attribute="place__latitude")
    longitude = Column("longitude", attribute="place__longitude")
    geo_precision = number_field("geo_precision")
    fatalities_low = number_field("fatalities_low")
    fatalities_best = number_field("fatalities_best")
    fatalities_high = number_field("fatalities_high")
    # Imported by import_instance, with roles (no model attribute of their own).
    actors = fields.Field(column_name="actors")
    actor_names = Column("actor_names")
    roles = fields.Field(column_name="roles")
    status = Column("status", attribute="status")
    updated_at = Column("updated_at", attribute="updated_at")
    # The event's ACLED id (ours or imported), as the export gives it: shown, not imported.
    acled_id = Column("acled_id")
    summary = text_field("summary")

    class Meta(SheetResource.Meta):
        model = Event
        fields = export_order = (*COLUMNS, "summary")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("event_type", "place").prefetch_related(
            Prefetch("participants", EventParticipant.objects.select_related("actor")),
            "identifiers",
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        instance._sheet_participants = None
        if "actors" in row or "roles" in row:
            try:
                instance._sheet_participants = participants_of(row)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def owned_rows(self, instance):
        pending = getattr(instance, "_sheet_participants", None)
        if pending is None:
            return None
        # A participant that stays keeps its note (the sheet has no column for it).
        notes = {}
        if not instance._state.adding:
            notes = {
                (p.actor_id, p.role): p.note
                for p in EventParticipant.objects.filter(event=instance)
            }
        return {
            "participants": [
                {"actor": actor, "role": role, "note": notes.get((actor.pk, role), "")}
                for actor, role in pending
            ]
        }

    def rows_unchanged(self, instance, original):
        pending = getattr(instance, "_sheet_participants", None)
        if pending is None:
            return True
        held = []
        if not original._state.adding:
            held = EventParticipant.objects.filter(event=original).values_list("actor_id", "role")
        return sorted((a.pk, r) for a, r in pending) == sorted(held)

    def row_column(self, relation):
        return "actors" if relation == "participants" else relation

    def _participants(self, event):
        return sorted(
            event.participants.all(), key=lambda p: (p.role, p.actor.name, str(p.actor_id))
        )

    def dehydrate_actors(self, event):
        return [p.actor.slug for p in self._participants(event)]

    def dehydrate_actor_names(self, event):
        return [p.actor.name for p in self._participants(event)]

    def dehydrate_roles(self, event):
        return [p.role for p in self._participants(event)]

    def dehydrate_acled_id(self, event):
        return next(
            (i.value for i in event.identifiers.all() if i.scheme == IdentifierScheme.ACLED), ""
        )
