import django_filters as df
from django.db.models import Q

from conflictapi.api.filters import (
    CountryFilter,
    OrderingFilter,
    RecordFilterSet,
    SearchFilter,
    resolve,
)
from sources.models import Document, Outlet, OutletKind, Reliability


class OutletFilterSet(RecordFilterSet):
    kind = df.MultipleChoiceFilter(choices=OutletKind.choices, label="Outlet kind; repeatable.")
    reliability = df.MultipleChoiceFilter(
        choices=Reliability.choices, label="Admiralty reliability A–F; repeatable."
    )
    country = CountryFilter()
    q = SearchFilter(label="Text in the name or slug.", method="filter_q")
    ordering = OrderingFilter(fields=("name", "reliability", "updated_at", "created_at"))

    class Meta:
        model = Outlet
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class DocumentFilterSet(RecordFilterSet):
    outlet = df.CharFilter(label="Outlet id or slug.", method="filter_outlet")
    q = SearchFilter(label="Text in the title, authors or summary.", method="filter_q")
    published_from = df.DateFilter(
        field_name="published_on", lookup_expr="gte", label="Published on or after (YYYY-MM-DD)."
    )
    published_to = df.DateFilter(
        field_name="published_on", lookup_expr="lte", label="Published on or before (YYYY-MM-DD)."
    )
    language = df.CharFilter(label="BCP 47 language tag, e.g. en.", method="filter_language")
    ordering = OrderingFilter(fields=("published_on", "title", "updated_at", "created_at"))
    ranges = [("published_from", "published_to")]

    class Meta:
        model = Document
        fields = []

    def filter_outlet(self, queryset, name, value):
        return queryset.filter(outlet__in=resolve(Outlet, value, name, request=self.request))

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(authors__icontains=value) | Q(summary__icontains=value)
        )

    def filter_language(self, queryset, name, value):
        return queryset.filter(language__iexact=value)
