import django_filters as df
from django.db.models import Exists, OuterRef, Q
from rest_framework.exceptions import ValidationError

from actors.selectors import resolve_actors
from conflictapi.api.filters import (
    COUNTRY_FORMS,
    CountryFilter,
    IntegerFilter,
    NameFilter,
    OrderingFilter,
    RecordFilterSet,
    SearchFilter,
    StrictBooleanFilter,
    YearFilter,
    overlap_q,
    ranked_by_name,
    resolve,
)
from conflictapi.text import normalize_name
from conflictapi.visibility import viewer_of
from events.models import (
    Event,
    EventCitation,
    EventParticipant,
    EventType,
    ParticipantRole,
    Place,
    PlaceKind,
    text_q,
)
from events.selectors import resolve_event_types, resolve_places
from sources.models import Document, Outlet

PLACE_FORMS = (
    "id, slug, or its name or any alternate name in any spelling: Idlib, Idleb, إدلب; "
    "a name several places share is a 400 listing them"
)
EVENT_TYPE_FORMS = (
    "id, slug, or name in any case, ACLED's included: Battles, Armed clash, "
    "Explosions/Remote violence"
)


def parse_bbox(value, param):
    parts = value.split(",")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValidationError(
            {param: ["Give four numbers: min_lon,min_lat,max_lon,max_lat."]}
        ) from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(
            {param: ["Longitudes within -180..180 and latitudes within -90..90, min ≤ max."]}
        )
    return min_lon, min_lat, max_lon, max_lat


def bbox_q(bbox, prefix=""):
    min_lon, min_lat, max_lon, max_lat = bbox
    return Q(
        **{
            f"{prefix}longitude__gte": min_lon,
            f"{prefix}longitude__lte": max_lon,
            f"{prefix}latitude__gte": min_lat,
            f"{prefix}latitude__lte": max_lat,
        }
    )


def places_within(value, param, request, field="path"):
    """A path-prefix Q on `field` (a place's path, or an event's copy of its place's)
    matching the named places and every place inside them."""
    return paths_within(place_paths(value, param, request), field)


def place_paths(value, param, request):
    """The paths of the places `value` names, among those the requester may see."""
    return [path for _pk, path in resolve_places(value, param, request)]


def paths_within(paths, field):
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def without_hidden_places(queryset, request, places_q):
    """The events of `queryset` less those whose place (among the places of
    `places_q`) the requester may not see: a filter on a place's path, country or
    coordinates must not tell where an event with a hidden place is. The hidden places
    are few; their events are told by the copy of the place's path each event carries,
    which the events' place indexes hold, so the filter stays an index-only scan."""
    viewer = viewer_of(request)
    if viewer.full(Place):
        return queryset
    hidden = list(
        Place._base_manager.filter(places_q)
        .exclude(viewer.q(Place))
        .order_by()
        .values_list("path", flat=True)
    )
    return queryset.exclude(place_path__in=hidden) if hidden else queryset


BBOX_LABEL = "Bounding box min_lon,min_lat,max_lon,max_lat (WGS 84 degrees)."


class PlaceFilterSet(RecordFilterSet):
    q = SearchFilter(
        label="The name or any alternate name, ignoring case, accents, apostrophes, "
        "hyphens and Arabic diacritics (Idlib, IDLIB, إدلب, إِدْلِب); best matches first: a "
        "name spelled as asked, then names that contain it.",
        method="filter_q",
    )
    kind = df.MultipleChoiceFilter(choices=PlaceKind.choices, label="Place kind; repeatable.")
    within = NameFilter(
        label=f"Places inside this place ({PLACE_FORMS}), at any depth, itself included.",
        method="filter_within",
    )
    parent = NameFilter(
        label=f"Places directly inside this place ({PLACE_FORMS}).", method="filter_parent"
    )
    country = CountryFilter()
    bbox = df.CharFilter(label=BBOX_LABEL, method="filter_bbox")
    ordering = OrderingFilter(fields=("name", "kind", "updated_at", "created_at"))

    class Meta:
        model = Place
        fields = []

    def filter_q(self, queryset, name, value):
        # As the actors' name search: the keys of every name of a place in one column
        # (Place.search_names), through its trigram index on PostgreSQL.
        key = normalize_name(value)
        if not key:
            return queryset
        queryset = queryset.filter(search_names__contains=key)
        if "ordering" in self.data:
            return queryset
        return ranked_by_name(queryset, key)

    def filter_within(self, queryset, name, value):
        return queryset.filter(places_within(value, name, self.request))

    def filter_parent(self, queryset, name, value):
        places = resolve_places(value, name, self.request, nested=False)
        return queryset.filter(parent__in=[pk for pk, _path in places])

    def filter_bbox(self, queryset, name, value):
        return queryset.filter(bbox_q(parse_bbox(value, name)))


class EventTypeFilterSet(RecordFilterSet):
    parent = NameFilter(
        label=f"Sub-types of this type ({EVENT_TYPE_FORMS}).", method="filter_parent"
    )
    is_acled = StrictBooleanFilter(
        label="Only ACLED's own types (true) or only finer kinds (false)."
    )
    q = SearchFilter(label="Text in the name or slug.", method="filter_q")
    ordering = OrderingFilter(fields=("name", "updated_at", "created_at"))

    class Meta:
        model = EventType
        fields = []

    def filter_parent(self, queryset, name, value):
        types = resolve_event_types(value, name, self.request, subtypes=False)
        return queryset.filter(parent__in=types)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class EventFilterSet(RecordFilterSet):
    date_from = df.DateFilter(
        label="Events whose date may fall on or after this day (overlap of the partial "
        "date's bounds with the range), YYYY-MM-DD.",
        method="filter_noop",
    )
    date_to = df.DateFilter(
        label="Events whose date may fall on or before this day, YYYY-MM-DD.",
        method="filter_noop",
    )
    actor = df.CharFilter(
        label="Events an actor takes part in, in any role (or the given role): id, slug, "
        "or any name or alias.",
        method="filter_noop",
    )
    role = df.MultipleChoiceFilter(
        choices=ParticipantRole.choices,
        label="Participant role; with actor, that actor's role. Repeatable.",
        method="filter_noop",
    )
    year = YearFilter(
        required=True,
        label="Events whose date may fall in this year, or in one of these years "
        "comma-separated (2014,2015): overlap, as date_from and date_to.",
    )
    event_type = NameFilter(
        label=f"Event type ({EVENT_TYPE_FORMS}); a type includes its sub-types.",
        method="filter_event_type",
    )
    place = NameFilter(
        label=f"Place ({PLACE_FORMS}), including every place inside it.", method="filter_place"
    )
    country = CountryFilter(
        method="filter_country", label=f"Country of the place: {COUNTRY_FORMS}."
    )
    bbox = df.CharFilter(label=BBOX_LABEL, method="filter_bbox")
    fatalities_min = IntegerFilter(
        field_name="fatalities_best",
        lookup_expr="gte",
        min_value=0,
        max_value=10**9,
        label="Best fatality estimate at least this.",
    )
    fatalities_max = IntegerFilter(
        field_name="fatalities_best",
        lookup_expr="lte",
        min_value=0,
        max_value=10**9,
        label="Best fatality estimate at most this.",
    )
    q = SearchFilter(label="Text in the title or summary.", method="filter_q")
    document = df.UUIDFilter(label="Events cited by this document (id).", method="filter_document")
    outlet = df.CharFilter(
        label="Events cited by a document of this outlet (id or slug).", method="filter_outlet"
    )
    ordering = OrderingFilter(
        fields=("date_start", "date_end", "fatalities_best", "title", "updated_at", "created_at")
    )
    ranges = [("date_from", "date_to"), ("fatalities_min", "fatalities_max")]

    class Meta:
        model = Event
        fields = []

    def filter_noop(self, queryset, name, value):
        return queryset  # combined in filter_queryset

    def filter_event_type(self, queryset, name, value):
        # The type and its sub-types listed, so that the events table is read through
        # its event_type index rather than a join.
        return queryset.filter(event_type__in=resolve_event_types(value, name, self.request))

    def filter_place(self, queryset, name, value):
        # The event's copy of its place's path: a prefix range in an index. The
        # place is resolved once for both conditions.
        paths = place_paths(value, name, self.request)
        queryset = queryset.filter(paths_within(paths, "place_path"))
        return without_hidden_places(queryset, self.request, paths_within(paths, "path"))

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        # The event's copy of its place's country: a country's events in date order.
        queryset = queryset.filter(country=value)
        return without_hidden_places(queryset, self.request, Q(country=value))

    def filter_bbox(self, queryset, name, value):
        # The places in the box (a few hundred, by their coordinate index), then their
        # events by the (place, type) index: not a join the planner may walk by date.
        places = Place._base_manager.filter(bbox_q(parse_bbox(value, name)))
        places = places.filter(viewer_of(self.request).q(Place)).values("pk")
        return queryset.filter(place__in=places)

    def filter_q(self, queryset, name, value):
        return queryset.filter(text_q(value))

    def filter_document(self, queryset, name, value):
        # EXISTS rather than a join: no duplicate rows, so no DISTINCT over the page.
        documents = resolve(Document, value, name, request=self.request)
        cited = EventCitation.objects.filter(event=OuterRef("pk"), document__in=documents)
        return queryset.filter(Exists(cited))

    def filter_outlet(self, queryset, name, value):
        outlets = resolve(Outlet, value, name, request=self.request)
        cited = EventCitation.objects.filter(
            viewer_of(self.request).q(Document, "document__"),
            event=OuterRef("pk"),
            document__outlet__in=outlets,
        )
        return queryset.filter(Exists(cited))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("date_from") or data.get("date_to"):
            queryset = queryset.filter(
                overlap_q(data.get("date_from"), data.get("date_to"), required=True)
            )
        # Only participations the requester may see: `role=mediator` must not match
        # an event whose only mediator is hidden.
        participants = EventParticipant.objects.filter(
            viewer_of(self.request).q(EventParticipant), event=OuterRef("pk")
        )
        if data.get("actor"):
            participants = participants.filter(
                actor__in=resolve_actors(data["actor"], "actor", self.request)
            )
        if data.get("role"):
            participants = participants.filter(role__in=data["role"])
        if data.get("actor") or data.get("role"):
            queryset = queryset.filter(Exists(participants))
        return queryset
