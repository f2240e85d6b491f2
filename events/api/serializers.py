from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from actors.api.serializers import BriefActorSerializer
from actors.models import Actor
from conflictapi.api.serializers import (
    RECORD_FIELDS,
    BriefSerializer,
    RecordSerializer,
    SelfLink,
    VisibleListSerializer,
    context_viewer,
)
from conflictapi.partialdates import partial_date_names
from events.models import (
    Event,
    EventCitation,
    EventIdentifier,
    EventParticipant,
    EventType,
    Place,
)
from sources.api.serializers import CitationSerializer


class PlaceAttribute:
    """A field of the event's place, on the event: null with the place when the place
    is hidden (conflictapi.visibility)."""

    def get_attribute(self, instance):
        place = instance.place
        if place is None or not context_viewer(self.context).shows(place):
            return None
        return super().get_attribute(instance)


class PlaceCoordinateField(PlaceAttribute, serializers.DecimalField):
    pass


class PlaceCountryField(PlaceAttribute, serializers.CharField):
    def to_representation(self, value):
        return str(value) or None


class BriefPlaceSerializer(BriefSerializer):
    url = SelfLink(view_name="events-api:place-detail")

    class Meta:
        model = Place
        fields = ("id", "url", "slug", "name")


class BriefEventTypeSerializer(BriefSerializer):
    url = SelfLink(view_name="events-api:eventtype-detail")

    class Meta:
        model = EventType
        fields = ("id", "url", "slug", "name")


class PlaceSerializer(RecordSerializer):
    url = SelfLink(view_name="events-api:place-detail")
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2.")
    parent = BriefPlaceSerializer(read_only=True, allow_null=True)
    parent_id = serializers.PrimaryKeyRelatedField(
        source="parent",
        queryset=Place.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="The id of the place this one lies in.",
    )
    alternate_names = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Other spellings."
    )

    class Meta(RecordSerializer.Meta):
        model = Place
        fields = (
            *RECORD_FIELDS,
            "slug",
            "name",
            "kind",
            "parent",
            "parent_id",
            "country",
            "latitude",
            "longitude",
            "alternate_names",
            "geonames_id",
        )


class EventTypeSerializer(RecordSerializer):
    url = SelfLink(view_name="events-api:eventtype-detail")
    parent = BriefEventTypeSerializer(read_only=True, allow_null=True)
    parent_id = serializers.PrimaryKeyRelatedField(
        source="parent",
        queryset=EventType.objects.filter(parent=None),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="The id of the top-level type this sub-type belongs to.",
    )
    acled_equivalent = BriefEventTypeSerializer(read_only=True, allow_null=True)
    acled_equivalent_id = serializers.PrimaryKeyRelatedField(
        source="acled_equivalent",
        queryset=EventType.objects.filter(is_acled=True).exclude(parent=None),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="For a finer kind: the id of the ACLED sub-event type it exports as.",
    )

    class Meta(RecordSerializer.Meta):
        model = EventType
        fields = (
            *RECORD_FIELDS,
            "slug",
            "name",
            "parent",
            "parent_id",
            "acled_equivalent",
            "acled_equivalent_id",
            "is_acled",
            "description",
        )
        read_only_fields = (*RECORD_FIELDS, "is_acled")


class EventParticipantSerializer(serializers.ModelSerializer):
    actor = BriefActorSerializer(read_only=True)
    actor_id = serializers.PrimaryKeyRelatedField(
        source="actor", queryset=Actor.objects.all(), write_only=True, help_text="The actor's id."
    )

    class Meta:
        model = EventParticipant
        fields = ("actor", "actor_id", "role", "note")
        validators = []  # uniqueness is checked with the whole write
        list_serializer_class = VisibleListSerializer


EventCitationSerializer = CitationSerializer.for_model(EventCitation)


class EventIdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventIdentifier
        fields = ("scheme", "value")
        read_only_fields = fields
        list_serializer_class = VisibleListSerializer


class EventListSerializer(RecordSerializer):
    url = SelfLink(view_name="events-api:event-detail")
    event_type = BriefEventTypeSerializer(read_only=True, allow_null=True)
    event_type_id = serializers.PrimaryKeyRelatedField(
        source="event_type",
        queryset=EventType.objects.all(),
        write_only=True,
        help_text="The event type's id.",
    )
    place = BriefPlaceSerializer(read_only=True, allow_null=True)
    place_id = serializers.PrimaryKeyRelatedField(
        source="place",
        queryset=Place.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="The place's id.",
    )
    country = PlaceCountryField(
        source="place.country",
        read_only=True,
        allow_null=True,
        help_text="The place's ISO 3166-1 alpha-2 country code.",
    )
    latitude = PlaceCoordinateField(
        source="place.latitude",
        max_digits=9,
        decimal_places=6,
        read_only=True,
        allow_null=True,
        help_text="The place's latitude.",
    )
    longitude = PlaceCoordinateField(
        source="place.longitude",
        max_digits=9,
        decimal_places=6,
        read_only=True,
        allow_null=True,
        help_text="The place's longitude.",
    )
    # Given when the event is created (an importer's, or ids of our own), never
    # re-derived: not written through the API.
    identifiers = EventIdentifierSerializer(
        many=True,
        read_only=True,
        help_text="The event's id in each other data set's scheme: acled (ACLED's "
        "event_id_cnty), ucdp (UCDP GED's id); one a scheme.",
    )
    participants = EventParticipantSerializer(many=True, required=False)
    nested = ("participants",)

    class Meta(RecordSerializer.Meta):
        model = Event
        fields = (
            *RECORD_FIELDS,
            "title",
            "event_type",
            "event_type_id",
            *partial_date_names("date"),
            "place",
            "place_id",
            "country",
            "latitude",
            "longitude",
            "geo_precision",
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "summary",
            "tags",
            "civilian_targeting",
            "source_scale",
            "acled_source",
            "identifiers",
            "participants",
        )
        read_only_fields = (*RECORD_FIELDS, *partial_date_names("date")[1:])


class EventSerializer(EventListSerializer):
    citations = EventCitationSerializer(many=True, required=False)
    nested = (*EventListSerializer.nested, "citations")

    class Meta(EventListSerializer.Meta):
        fields = (*EventListSerializer.Meta.fields, "citations")
