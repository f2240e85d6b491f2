from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from actors.selectors import visible_actor
from conflictapi.api.formats import GeoJSONMixin
from conflictapi.api.pagination import KeysetPagination
from conflictapi.api.renderers import CSVRenderer, NDJSONRenderer
from conflictapi.api.throttling import hold_while_streaming, take_export_slot
from conflictapi.api.viewsets import CuratedViewSet
from events.api.export import COLUMNS as EXPORT_COLUMNS
from events.api.export import FLAT_COLUMNS, stream_export
from events.api.export import FORMATS as EXPORT_FORMATS
from events.api.listing import EVENT_COLUMNS, event_rows
from events.api.serializers import (
    EventListSerializer,
    EventSerializer,
    EventTypeSerializer,
    PlaceSerializer,
)
from events.filters import EventFilterSet, EventTypeFilterSet, PlaceFilterSet
from events.models import Event, EventCitation, EventParticipant, EventType, Place


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
    queryset = Event.objects.select_related("event_type", "place")
    filterset_class = EventFilterSet
    slug_lookup = False
    list_actions = ("list", "for_actor", "export")
    extra_query_params = {"list": {"cursor"}}
    page_values = EVENT_COLUMNS
    # The list's CSV has the export's columns (events.api.export.FLAT_COLUMNS).
    csv_columns = FLAT_COLUMNS

    def get_serializer_class(self):
        return EventListSerializer if self.action in self.list_actions else EventSerializer

    def get_queryset(self):
        queryset = super().get_queryset().prefetch_related(None)
        if self.action == "for_actor":
            # The actor of the path, in the roles asked for: `role` is that actor's own.
            taking_part = EventParticipant.objects.filter(
                event=OuterRef("pk"),
                actor=visible_actor(self.kwargs["actor_ref"], request=self.request),
            )
            roles = self.request.query_params.getlist("role")
            if roles:
                taking_part = taking_part.filter(role__in=roles)
            queryset = queryset.filter(Exists(taking_part))
        if self.action not in self.list_actions:
            queryset = queryset.prefetch_related(
                Prefetch("participants", EventParticipant.objects.select_related("actor")),
                "identifiers",
                Prefetch("citations", EventCitation.objects.with_documents()),
            )
        return queryset

    keyset = KeysetPagination("date_start", EVENT_COLUMNS)

    @extend_schema(parameters=[KeysetPagination.parameter])
    def list(self, request, *args, **kwargs):
        # The page is read as flat values and shaped by events.api.listing; the
        # serializer (EventListSerializer) still defines the schema and is held to the
        # same output by tests.
        queryset = self.filter_queryset(self.get_queryset())
        viewer = self.viewer()
        if self.keyset.asked(request):
            return self.keyset.paginate(
                request, queryset, self, lambda rows: event_rows(rows, request, viewer)
            )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(event_rows(page, request, viewer))

    @extend_schema(
        responses=EventListSerializer(many=True), filters=True, summary="An actor's events"
    )
    def for_actor(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        filters=True,
        summary="Export every matching event (CSV, NDJSON or GeoJSON), streamed",
        description=(
            "Takes every filter of the event list and no page limit. The response holds "
            "X-Row-Count, sent before the first row: the number of rows it carries. A "
            "client that received fewer rows got a cut export (a cut GeoJSON export is "
            "also invalid JSON, and a cut chunked response lacks its terminating chunk). "
            "Every format has the same columns, a list joined by |; NDJSON and GeoJSON "
            "type them (numbers as numbers, nothing as null), GeoJSON as the properties "
            "of a Feature whose geometry is the event's point (null without one). "
            "Anonymous clients run at most API_ANON_EXPORT_CONCURRENCY (2 by default) "
            "exports at once: another is refused with 429 and Retry-After until one has "
            "finished. Columns: " + ", ".join(EXPORT_COLUMNS) + "."
        ),
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV rows."),
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR, description="One JSON object a line."
            ),
            (200, "application/geo+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="A FeatureCollection, one Feature a line."
            ),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        # And GeoJSON, which GeoJSONMixin offers on every action of list_actions.
        renderer_classes=[CSVRenderer, NDJSONRenderer],
    )
    def export(self, request, *args, **kwargs):
        # A format named in the URL (a suffix, export.csv, or ?format=) chose the
        # renderer; without one, the Accept header must name the renderer's media type
        # (*/* alone chooses none).
        named = self.format_kwarg or request.query_params.get("format")
        fmt = request.accepted_renderer.format
        if not named:
            asked = {t.split(";")[0].strip() for t in request.headers.get("Accept", "").split(",")}
            if request.accepted_renderer.media_type not in asked:
                fmt = None
        if fmt not in EXPORT_FORMATS:
            raise ValidationError({"format": ["Choose csv, ndjson or geojson."]})
        queryset = self.filter_queryset(self.get_queryset())
        viewer = self.viewer()
        # Readers who may not see retractions get them only when they ask
        # (status=retracted), and only as tombstones.
        tombstones = not viewer.full(Event) and request.query_params.get("status") == "retracted"
        # Anonymous clients run a few exports at once at most (API_ANON_EXPORT_CONCURRENCY):
        # each holds a slot until its response ends, however it ends.
        slot = take_export_slot(request)
        try:
            response = stream_export(queryset, fmt, viewer=viewer, tombstones=tombstones)
            if request.method == "HEAD":
                # The headers (X-Row-Count among them) without reading a row: the body's
                # generator is dropped before it starts; its transaction closes with
                # the response.
                response.streaming_content = iter(())
        except BaseException:
            if slot is not None:
                slot.release()
            raise
        return hold_while_streaming(response, slot)
