from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from conflictapi.api.serializers import (
    RECORD_FIELDS,
    BlankableURLField,
    BriefSerializer,
    RecordSerializer,
    SelfLink,
    VisibleListSerializer,
)
from sources.models import Document, Outlet


class BriefOutletSerializer(BriefSerializer):
    url = SelfLink(view_name="sources-api:outlet-detail")

    class Meta:
        model = Outlet
        fields = ("id", "url", "slug", "name")


class OutletSerializer(RecordSerializer):
    url = SelfLink(view_name="sources-api:outlet-detail")
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2.")
    homepage = BlankableURLField(
        source="url", required=False, allow_blank=True, help_text="The outlet's home page."
    )

    class Meta(RecordSerializer.Meta):
        model = Outlet
        fields = (*RECORD_FIELDS, "slug", "name", "kind", "country", "homepage", "reliability")


class BriefDocumentSerializer(BriefSerializer):
    url = SelfLink(view_name="sources-api:document-detail")
    outlet = BriefOutletSerializer(read_only=True, allow_null=True)
    source_url = BlankableURLField(source="url", read_only=True)

    class Meta:
        model = Document
        fields = ("id", "url", "title", "outlet", "published_on", "source_url")


class DocumentSerializer(RecordSerializer):
    # Articles are others' copyright: their text is for curators.
    curators_only = ("text",)

    url = SelfLink(view_name="sources-api:document-detail")
    outlet = BriefOutletSerializer(read_only=True, allow_null=True)
    outlet_id = serializers.PrimaryKeyRelatedField(
        source="outlet",
        queryset=Outlet.objects.all(),
        write_only=True,
        help_text="The outlet's id.",
    )
    source_url = BlankableURLField(
        source="url", required=False, allow_blank=True, help_text="Where it is published."
    )

    class Meta(RecordSerializer.Meta):
        model = Document
        fields = (
            *RECORD_FIELDS,
            "title",
            "outlet",
            "outlet_id",
            "authors",
            "published_on",
            "source_url",
            "language",
            "summary",
            "text",
        )


class CitationSerializer(serializers.ModelSerializer):
    """A fact's support. Read: the document with its outlet; write: `document_id`."""

    document = BriefDocumentSerializer(read_only=True)
    document_id = serializers.PrimaryKeyRelatedField(
        source="document",
        queryset=Document.objects.all(),
        write_only=True,
        help_text="The cited document's id.",
    )

    class Meta:
        fields = (
            "id",
            "document",
            "document_id",
            "quote",
            "translation",
            "quote_verified",
            "locator",
            "credibility",
            "note",
        )
        read_only_fields = ("id", "quote_verified")
        list_serializer_class = VisibleListSerializer

    @staticmethod
    def for_model(citation_model):
        return type(
            f"{citation_model.__name__}Serializer",
            (CitationSerializer,),
            {"Meta": type("Meta", (CitationSerializer.Meta,), {"model": citation_model})},
        )
