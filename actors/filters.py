import django_filters as df
from django.db.models import Exists, OuterRef, Q
from rest_framework.exceptions import ValidationError

from actors.models import Actor, ActorKind, Affiliation, AffiliationKind
from actors.selectors import name_matches, resolve_actors
from conflictapi.api.filters import (
    CountryFilter,
    OrderingFilter,
    RecordFilterSet,
    SearchFilter,
    YearFilter,
    overlap_q,
    ranked_by_name,
    resolve,
)
from conflictapi.models import Status
from conflictapi.text import normalize_name
from sources.models import Document


def cited_by(queryset, value, name, request):
    """The records of `queryset` with a citation of the document `value`, if the
    requester may see it (a 400 naming `name` if not)."""
    documents = resolve(Document, value, name, request=request)
    citations = queryset.model.citations.rel.related_model.objects.filter(
        document__in=documents, **{queryset.model.citations.field.name: OuterRef("pk")}
    )
    return queryset.filter(Exists(citations))


class ActorFilterSet(RecordFilterSet):
    q = SearchFilter(
        label="Name or any alias, ignoring case, accents, apostrophes, hyphens and "
        "articles (al-, an-, ال); matches transliteration variants (Nosra: Nusra, Qaida: "
        "Qaeda) and Arabic script with or without diacritics.",
        method="filter_q",
    )
    kind = df.MultipleChoiceFilter(choices=ActorKind.choices, label="Actor kind; repeatable.")
    country = CountryFilter()
    affiliated_with = df.CharFilter(
        label="Actors with a tie (either direction) to this actor: id, slug or alias.",
        method="filter_affiliated_with",
    )
    affiliation_kind = df.MultipleChoiceFilter(
        choices=AffiliationKind.choices,
        label="With affiliated_with: only ties of this kind; repeatable.",
        method="filter_noop",
    )
    active_on = df.DateFilter(
        label="Actors that may have existed on this day (founded no later, dissolved no earlier).",
        method="filter_active_on",
    )
    year = YearFilter(
        start="founded",
        end="dissolved",
        label="Actors that may have existed in this year, or in one of these years "
        "comma-separated (founded no later, dissolved no earlier).",
    )
    identifier = df.CharFilter(
        label="An identifier in another data set, as scheme:value (e.g. wikidata:Q1)",
        method="filter_identifier",
    )
    document = df.UUIDFilter(label="Actors cited by this document (id).", method="filter_document")
    ordering = OrderingFilter(fields=("name", "kind", "founded_start", "updated_at", "created_at"))

    class Meta:
        model = Actor
        fields = []

    def filter_q(self, queryset, name, value):
        key = normalize_name(value)
        if not key:
            return queryset
        queryset = queryset.filter(name_matches(value))
        if "ordering" in self.data:
            return queryset
        # Transliteration variants last: "Nosra" finds Nusra before the Nusairi regime.
        return ranked_by_name(queryset, key)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_affiliated_with

    def filter_affiliated_with(self, queryset, name, value):
        others = resolve_actors(value, name, self.request)
        edges = Affiliation.objects.filter(status=Status.PUBLISHED)
        kinds = self.form.cleaned_data.get("affiliation_kind")
        if kinds:
            edges = edges.filter(kind__in=kinds)
        as_subject = edges.filter(subject=OuterRef("pk"), object__in=others)
        as_object = edges.filter(object=OuterRef("pk"), subject__in=others)
        return queryset.filter(Exists(as_subject) | Exists(as_object))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(overlap_q(value, value, "founded", "dissolved"))

    def filter_document(self, queryset, name, value):
        return cited_by(queryset, value, name, self.request)

    def filter_identifier(self, queryset, name, value):
        scheme, sep, ident = value.partition(":")
        if not sep or not scheme or not ident:
            raise ValidationError({name: ["Give scheme:value, e.g. wikidata:Q1."]})
        return queryset.filter(identifiers__scheme=scheme.lower(), identifiers__value=ident)

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("affiliation_kind") and not self.form.cleaned_data.get(
            "affiliated_with"
        ):
            raise ValidationError({"affiliation_kind": ["Use it with affiliated_with."]})
        return super().filter_queryset(queryset)


class AffiliationFilterSet(RecordFilterSet):
    actor = df.CharFilter(label="Either side: actor id, slug or alias.", method="filter_actor")
    subject = df.CharFilter(label="Subject actor: id, slug or alias.", method="filter_side")
    object = df.CharFilter(label="Object actor: id, slug or alias.", method="filter_side")
    kind = df.MultipleChoiceFilter(choices=AffiliationKind.choices, label="Tie kind; repeatable.")
    active_on = df.DateFilter(
        label="Ties that may have held on this day (YYYY-MM-DD).", method="filter_active_on"
    )
    date_from = df.DateFilter(
        label="Ties whose period overlaps a range starting on this day.", method="filter_noop"
    )
    date_to = df.DateFilter(
        label="Ties whose period overlaps a range ending on this day.", method="filter_noop"
    )
    year = YearFilter(
        start="start_date",
        end="end_date",
        label="Ties whose period overlaps this year, or one of these years comma-separated.",
    )
    document = df.UUIDFilter(label="Ties cited by this document (id).", method="filter_document")
    ordering = OrderingFilter(
        fields=("start_date_start", "end_date_end", "kind", "updated_at", "created_at")
    )
    ranges = [("date_from", "date_to")]

    class Meta:
        model = Affiliation
        fields = []

    def filter_actor(self, queryset, name, value):
        ids = resolve_actors(value, name, self.request)
        return queryset.filter(Q(subject__in=ids) | Q(object__in=ids))

    def filter_side(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": resolve_actors(value, name, self.request)})

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(overlap_q(value, value, "start_date", "end_date"))

    def filter_document(self, queryset, name, value):
        return cited_by(queryset, value, name, self.request)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("date_from") or data.get("date_to"):
            queryset = queryset.filter(
                overlap_q(data.get("date_from"), data.get("date_to"), "start_date", "end_date")
            )
        return queryset
