from django.db.models import Prefetch

from actors.api.views import actor_from_path
from conflictapi.api.renderers import GeoJSONRenderer
from conflictapi.api.viewsets import CuratedViewSet
from events.api.serializers import (
    EventListSerializer,
    EventSerializer,
    EventTypeSerializer,
    PlaceSerializer,
)
from events.filters import EventFilterSet, EventTypeFilterSet, PlaceFilterSet
from events.models import Event, EventCitation, EventParticipant, EventType, Place


class GeoJSONMixin:
    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action in self.list_actions:
            renderers.append(GeoJSONRenderer())
        return renderers


class PlaceViewSet(GeoJSONMixin, CuratedViewSet):
    queryset = Place.objects.select_related("parent")
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    csv_columns = [
        ("id", "id"),
        ("slug", "slug"),
        ("name", "name"),
        ("kind", "kind"),
        ("parent", "parent.slug"),
        ("country", "country"),
        ("latitude", "latitude"),
        ("longitude", "longitude"),
        ("alternate_names", "alternate_names"),
        ("geonames_id", "geonames_id"),
        ("status", "status"),
        ("updated_at", "updated_at"),
    ]


class EventTypeViewSet(CuratedViewSet):
    queryset = EventType.objects.select_related("parent", "acled_equivalent")
    serializer_class = EventTypeSerializer
    filterset_class = EventTypeFilterSet
    csv_columns = [
        ("id", "id"),
        ("slug", "slug"),
        ("name", "name"),
        ("parent", "parent.slug"),
        ("acled_equivalent", "acled_equivalent.slug"),
        ("is_acled", "is_acled"),
        ("status", "status"),
    ]


class EventViewSet(GeoJSONMixin, CuratedViewSet):
    queryset = Event.objects.select_related("event_type", "place").prefetch_related(
        Prefetch("participants", EventParticipant.objects.select_related("actor"))
    )
    filterset_class = EventFilterSet
    slug_lookup = False
    list_actions = ("list", "for_actor")
    csv_columns = [
        ("id", "id"),
        ("title", "title"),
        ("event_type", "event_type.slug"),
        ("date", "date"),
        ("date_start", "date_start"),
        ("date_end", "date_end"),
        ("date_precision", "date_precision"),
        ("place", "place.slug"),
        ("place_name", "place.name"),
        ("latitude", "latitude"),
        ("longitude", "longitude"),
        ("geo_precision", "geo_precision"),
        ("fatalities_low", "fatalities_low"),
        ("fatalities_best", "fatalities_best"),
        ("fatalities_high", "fatalities_high"),
        ("actors", "participants[].actor.slug"),
        ("roles", "participants[].role"),
        ("status", "status"),
        ("updated_at", "updated_at"),
    ]

    def get_serializer_class(self):
        return EventListSerializer if self.action in self.list_actions else EventSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "for_actor":
            queryset = queryset.filter(participants__actor=actor_from_path(self)).distinct()
        elif self.action not in self.list_actions:
            queryset = queryset.prefetch_related(
                Prefetch("citations", EventCitation.objects.select_related("document__outlet"))
            )
        return queryset

    def for_actor(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
