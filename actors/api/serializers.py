from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from conflictapi.api.serializers import (
    RECORD_FIELDS,
    BlankChoicesMixin,
    BriefSerializer,
    RecordSerializer,
    SelfLink,
    context_viewer,
)
from conflictapi.partialdates import partial_date_names as PARTIAL
from sources.api.serializers import CitationSerializer


class BriefActorSerializer(BriefSerializer):
    url = SelfLink(view_name="actors-api:actor-detail")

    class Meta:
        model = Actor
        fields = ("id", "url", "slug", "name")


class ActorNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActorName
        fields = ("name", "kind", "language", "note")


class ActorIdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActorIdentifier
        fields = ("scheme", "value")
        validators = []  # (scheme, value) uniqueness is checked with the whole write


ActorCitationSerializer = CitationSerializer.for_model(ActorCitation)
AffiliationCitationSerializer = CitationSerializer.for_model(AffiliationCitation)


class ActorListSerializer(RecordSerializer):
    url = SelfLink(view_name="actors-api:actor-detail")
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2.")
    names = ActorNameSerializer(many=True, required=False, help_text="Every other name.")
    identifiers = ActorIdentifierSerializer(
        many=True, required=False, help_text="Ids in other data sets."
    )
    nested = ("names", "identifiers")

    class Meta(RecordSerializer.Meta):
        model = Actor
        fields = (
            *RECORD_FIELDS,
            "slug",
            "name",
            "kind",
            "country",
            "description",
            *PARTIAL("founded"),
            *PARTIAL("dissolved"),
            "names",
            "identifiers",
        )
        read_only_fields = (
            *RECORD_FIELDS,
            *PARTIAL("founded")[1:],
            *PARTIAL("dissolved")[1:],
        )


class ActorSerializer(ActorListSerializer):
    citations = ActorCitationSerializer(many=True, required=False)
    nested = (*ActorListSerializer.nested, "citations")

    class Meta(ActorListSerializer.Meta):
        fields = (*ActorListSerializer.Meta.fields, "citations")


class AffiliationListSerializer(RecordSerializer):
    url = SelfLink(view_name="actors-api:affiliation-detail")
    subject = BriefActorSerializer(read_only=True)
    object = BriefActorSerializer(read_only=True)
    subject_id = serializers.PrimaryKeyRelatedField(
        source="subject", queryset=Actor.objects.all(), write_only=True, help_text="Subject id."
    )
    object_id = serializers.PrimaryKeyRelatedField(
        source="object", queryset=Actor.objects.all(), write_only=True, help_text="Object id."
    )

    class Meta(RecordSerializer.Meta):
        model = Affiliation
        fields = (
            *RECORD_FIELDS,
            "subject",
            "subject_id",
            "kind",
            "object",
            "object_id",
            "role",
            *PARTIAL("start_date"),
            *PARTIAL("end_date"),
            "description",
        )
        read_only_fields = (
            *RECORD_FIELDS,
            *PARTIAL("start_date")[1:],
            *PARTIAL("end_date")[1:],
        )


class AffiliationSerializer(AffiliationListSerializer):
    citations = AffiliationCitationSerializer(many=True, required=False)
    nested = ("citations",)

    class Meta(AffiliationListSerializer.Meta):
        fields = (*AffiliationListSerializer.Meta.fields, "citations")


class NetworkEdgeSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    """An edge of the network: ids of its ends, the tie, its dates (EDTF as curated, and
    the earliest and latest day each can mean) and its support."""

    subject = serializers.UUIDField(source="subject_id", read_only=True)
    object = serializers.UUIDField(source="object_id", read_only=True)
    citation_count = serializers.SerializerMethodField(
        help_text="How many citations support the tie (those listed in `citations`)."
    )
    citations = AffiliationCitationSerializer(many=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = (
            "id",
            "subject",
            "kind",
            "object",
            "role",
            *PARTIAL("start_date"),
            *PARTIAL("end_date"),
            "status",
            "citation_count",
            "citations",
        )

    @extend_schema_field(OpenApiTypes.INT)
    def get_citation_count(self, tie):
        # As `citations` lists them: a citation of a document the reader may not see
        # is left out of both.
        viewer = context_viewer(self.context)
        return sum(1 for citation in tie.citations.all() if viewer.shows(citation))


class NetworkActorSerializer(BriefActorSerializer):
    """A node of a network: an actor, keyed by its id."""

    country = serializers.CharField(
        read_only=True, help_text='ISO 3166-1 alpha-2, or "" where none is known.'
    )

    class Meta(BriefActorSerializer.Meta):
        fields = (*BriefActorSerializer.Meta.fields, "kind", "country")


class NetworkNodeSerializer(NetworkActorSerializer):
    depth = serializers.IntegerField(read_only=True, help_text="Steps from the centre.")

    class Meta(NetworkActorSerializer.Meta):
        fields = (*NetworkActorSerializer.Meta.fields, "depth")


class NetworkSerializer(serializers.Serializer):
    centre = serializers.UUIDField(help_text="The actor the network is drawn around.")
    as_of = serializers.DateField(allow_null=True, help_text="The day the ties held.")
    depth = serializers.IntegerField()
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)


class AffiliationNetworkSerializer(serializers.Serializer):
    nodes = NetworkActorSerializer(many=True, help_text="Every actor at an end of a tie.")
    edges = NetworkEdgeSerializer(many=True, help_text="Every tie the filters match.")
