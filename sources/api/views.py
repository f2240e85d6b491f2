from conflictapi.api.viewsets import CuratedViewSet
from sources.api.serializers import DocumentSerializer, OutletSerializer
from sources.filters import DocumentFilterSet, OutletFilterSet
from sources.models import Document, Outlet


class OutletViewSet(CuratedViewSet):
    queryset = Outlet.objects.all()
    serializer_class = OutletSerializer
    filterset_class = OutletFilterSet
    csv_columns = [
        (c, c)
        for c in ("id", "slug", "name", "kind", "country", "homepage", "reliability", "status")
    ] + [("updated_at", "updated_at")]


class DocumentViewSet(CuratedViewSet):
    queryset = Document.objects.select_related("outlet")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    slug_lookup = False
    # The text is not a CSV column: a cell of a whole article serves no spreadsheet.
    csv_columns = [
        ("id", "id"),
        ("title", "title"),
        ("outlet", "outlet.slug"),
        ("outlet_name", "outlet.name"),
        ("authors", "authors"),
        ("published_on", "published_on"),
        ("source_url", "source_url"),
        ("language", "language"),
        ("status", "status"),
        ("updated_at", "updated_at"),
    ]

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.viewer().full(Document):
            # Not shown to them (DocumentSerializer.curators_only): not read either.
            queryset = queryset.defer("text")
        return queryset
