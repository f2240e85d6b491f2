"""Baseline (b): the events list as a first DRF version would write it — nested
ModelSerializers over the same models, ordinary select_related/prefetch_related, DRF's
stock page-number pagination (a COUNT and an OFFSET on every page) — producing the same
JSON as /api/v1/events/.

(b') is the same serializers on the project's own pagination (cached count, pages read
by key first), to show how much of the API's lead is the serialization path alone.

The API's list rows carry participants but not citations; the `-cited` route adds the
citations (with their documents and outlets) for when the API's rows carry them too.
"""

from django.db.models import Prefetch
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination as StockPagination

from actors.models import Actor
from conflictapi.api.pagination import PageNumberPagination
from events.models import Event, EventCitation, EventParticipant, EventType, Place
from sources.models import Document, Outlet

API_LIST_PATH = "/api/v1/events/"


class NaiveActorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="actors-api:actor-detail")

    class Meta:
        model = Actor
        fields = ("id", "url", "slug", "name")


class PublishedOnly:
    """The rule for anonymous readers: a related record that is not published is null."""

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        return related if related is None or related.status == "published" else None


class OfPublishedPlace:
    """A field of the event's place: null with the place when it is not published."""

    def get_attribute(self, instance):
        if instance.place is None or instance.place.status != "published":
            return None
        return super().get_attribute(instance)


class NaivePlaceSerializer(PublishedOnly, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="events-api:place-detail")

    class Meta:
        model = Place
        fields = ("id", "url", "slug", "name")


class NaiveEventTypeSerializer(PublishedOnly, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="events-api:eventtype-detail")

    class Meta:
        model = EventType
        fields = ("id", "url", "slug", "name")


class NaiveParticipantSerializer(serializers.ModelSerializer):
    actor = NaiveActorSerializer()

    class Meta:
        model = EventParticipant
        fields = ("actor", "role", "note")


class NaiveOutletSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="sources-api:outlet-detail")

    class Meta:
        model = Outlet
        fields = ("id", "url", "slug", "name")


class NaiveDocumentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="sources-api:document-detail")
    outlet = NaiveOutletSerializer()
    source_url = serializers.URLField(source="url")

    class Meta:
        model = Document
        fields = ("id", "url", "title", "outlet", "published_on", "source_url")


class NaiveCitationSerializer(serializers.ModelSerializer):
    document = NaiveDocumentSerializer()

    class Meta:
        model = EventCitation
        fields = ("id", "document", "quote", "locator", "credibility", "note")


class CountryCode(OfPublishedPlace, serializers.CharField):
    def to_representation(self, value):
        return str(value) or None


class Coordinate(OfPublishedPlace, serializers.DecimalField):
    pass


class NaiveEventSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="events-api:event-detail")
    event_type = NaiveEventTypeSerializer()
    place = NaivePlaceSerializer(allow_null=True)
    country = CountryCode(source="place.country", allow_null=True)
    latitude = Coordinate(source="place.latitude", max_digits=9, decimal_places=6, allow_null=True)
    longitude = Coordinate(
        source="place.longitude", max_digits=9, decimal_places=6, allow_null=True
    )
    participants = NaiveParticipantSerializer(many=True)

    class Meta:
        model = Event
        fields = (
            "id",
            "url",
            "status",
            "retraction_reason",
            "version",
            "created_at",
            "updated_at",
            "title",
            "event_type",
            "date",
            "date_start",
            "date_end",
            "date_precision",
            "place",
            "country",
            "latitude",
            "longitude",
            "geo_precision",
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "summary",
            "participants",
        )


class NaiveCitedEventSerializer(NaiveEventSerializer):
    citations = NaiveCitationSerializer(many=True)

    class Meta(NaiveEventSerializer.Meta):
        fields = (*NaiveEventSerializer.Meta.fields, "citations")


class ApiLinks:
    """next/previous pointing at the API's list, so the page is the same JSON as the
    API's."""

    def _api_link(self, link):
        if link is None:
            return None
        path = self.request.path
        return link.replace(path, API_LIST_PATH, 1)

    def get_next_link(self):
        return self._api_link(super().get_next_link())

    def get_previous_link(self):
        return self._api_link(super().get_previous_link())


class StockApiLinkPagination(ApiLinks, StockPagination):
    """DRF's own page-number pagination, with the API's page size rules."""

    page_size = PageNumberPagination.page_size
    page_size_query_param = "page_size"
    max_page_size = PageNumberPagination.max_page_size

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # The API's envelope: this list has no text search, so its count is exact.
        response.data = {"count": response.data["count"], "count_exact": True, **response.data}
        return response


class ApiLinkPagination(ApiLinks, PageNumberPagination):
    """The project's pagination."""


class NaiveEventList(generics.ListAPIView):
    pagination_class = StockApiLinkPagination
    filter_backends = []
    with_citations = False

    def get_queryset(self):
        # The API's rule for anonymous readers: published events, and published actors.
        participants = EventParticipant.objects.filter(actor__status="published")
        queryset = (
            Event.objects.filter(status="published")
            .select_related("event_type", "place")
            .prefetch_related(Prefetch("participants", participants.select_related("actor")))
        )
        if self.with_citations:
            queryset = queryset.prefetch_related("citations__document__outlet")
        return queryset

    def get_serializer_class(self):
        return NaiveCitedEventSerializer if self.with_citations else NaiveEventSerializer
