from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from actors.models import Actor
from actors.selectors import name_matches
from conflictapi.admin import (
    CitationAdmin,
    CitationInline,
    CompactTabularInline,
    CuratedAdmin,
    PublishedParentFormSet,
    UsedCountryFilter,
    day,
)
from conflictapi.api.filters import ranked_by_name
from conflictapi.maps import MapMedia, place_map
from conflictapi.partialdates import OPEN_START
from conflictapi.sheets import SheetAdminMixin
from conflictapi.text import normalize_name
from events.models import (
    Event,
    EventCitation,
    EventIdentifier,
    EventParticipant,
    EventType,
    Place,
    text_q,
)
from events.resources import EventResource


def without_open_start_years(queryset, field):
    """`queryset`, its dates(field, …) (which the date hierarchy offers) leaving out
    OPEN_START; the records themselves are all still there."""
    base = type(queryset)

    class Browsable(base):
        def dates(self, field_name, kind, order="ASC"):
            rows = self.exclude(**{field_name: OPEN_START}) if field_name == field else self
            return base.dates(rows, field_name, kind, order)

    queryset.__class__ = Browsable
    return queryset


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ("name", "kind", "parent", "country", "latitude", "longitude", "status")
    list_filter = ("kind", "status", UsedCountryFilter)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "alternate_names", "parent__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)

    Media = MapMedia

    def pictures(self, request, obj):
        """The place on a map."""
        return {"place_map": place_map(obj)}

    def get_search_results(self, request, queryset, search_term):
        """Any name or alternate name, in any spelling (as the API's `q`: "Idlib",
        "Idleb", "إدلب"), the slug, or the name of the place it lies in; the place named
        so first, then names that start so, then the others (the autocomplete offers
        Idlib before the towns near it)."""
        key = normalize_name(search_term)
        if not key:
            return super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        found = queryset.filter(
            Q(search_names__contains=key)
            | Q(slug__icontains=term)
            | Q(parent__search_names__contains=key)
        )
        return ranked_by_name(found, key), False


@admin.register(EventType)
class EventTypeAdmin(CuratedAdmin):
    list_display = ("name", "parent", "acled_equivalent", "is_acled", "status")
    list_filter = ("is_acled", "parent", "status")
    list_select_related = ("parent", "acled_equivalent")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "acled_equivalent")


class EventTypeFilter(admin.SimpleListFilter):
    """An event type takes its finer kinds with it ("Armed clash" lists the events of
    its sub-types too); the list shows each type with its sub-types under it."""

    title = "event type"
    parameter_name = "event_type"

    def lookups(self, request, model_admin):
        types = list(EventType._base_manager.order_by("name").values_list("pk", "name", "parent"))
        children = {}
        for pk, name, parent in types:
            children.setdefault(parent, []).append((pk, name))
        choices = []

        def walk(parent, depth):
            for pk, name in children.get(parent, []):
                choices.append((str(pk), ("\u2003" * depth) + name))
                walk(pk, depth + 1)

        walk(None, 0)
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        wanted, frontier = set(), {self.value()}
        while frontier:  # the type and every type under it (a few levels)
            wanted |= frontier
            frontier = {
                str(pk)
                for pk in EventType._base_manager.filter(parent__in=frontier).values_list(
                    "pk", flat=True
                )
            } - wanted
        return queryset.filter(event_type__in=wanted)


class EventCountryFilter(UsedCountryFilter):
    """By the country of the event's place (Event.country, indexed)."""


class EventParticipantInline(CompactTabularInline):
    model = EventParticipant
    extra = 2
    formset = PublishedParentFormSet
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "note")


class EventIdentifierInline(CompactTabularInline):
    """Shown, not edited: ids are given when the event is created, never re-derived."""

    model = EventIdentifier
    extra = 0
    max_num = 0
    can_delete = False
    fields = readonly_fields = ("scheme", "value")


class EventCitationInline(CitationInline):
    model = EventCitation
    extra = 1


@admin.register(EventCitation)
class EventCitationAdmin(CitationAdmin):
    pass


@admin.register(Event)
class EventAdmin(SheetAdminMixin, CuratedAdmin):
    resource_classes = (EventResource,)
    list_display = (
        "short_title",
        "status",
        "date",
        "type_name",
        "place",
        "fatalities_best",
        "updated",
    )
    list_filter = ("status", EventTypeFilter, "date_precision", EventCountryFilter)
    list_select_related = ("event_type__parent", "place")
    search_fields = ("title", "summary", "participants__actor__name", "place__name")
    # Counting every event for "(N total)" beside each search is a scan of its own.
    show_full_result_count = False
    autocomplete_fields = ("event_type", "place")
    date_hierarchy = "date_start"
    inlines = (EventParticipantInline, EventCitationInline, EventIdentifierInline)
    readonly_fields = (*CuratedAdmin.readonly_fields, "date_start", "date_end", "date_precision")

    Media = MapMedia

    def pictures(self, request, obj):
        """The event's place on a map."""
        return {"place_map": place_map(obj.place) if obj.place_id else None}

    def get_changelist_instance(self, request):
        """The list, its date hierarchy without the year 1: the earliest day of an open
        start ("../2015-01-27") is stored as 0001-01-01, which is no year to browse."""
        changelist = super().get_changelist_instance(request)
        changelist.queryset = without_open_start_years(changelist.queryset, self.date_hierarchy)
        return changelist

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return day(obj.updated_at)

    @admin.display(description="event type", ordering="event_type__name")
    def type_name(self, obj):
        """The type's own name ("Statement"), its parent's in the tooltip: a column, not
        a paragraph."""
        return format_html('<span title="{}">{}</span>', obj.event_type, obj.event_type.name)

    @admin.display(description="title", ordering="title")
    def short_title(self, obj):
        """The title cut at 90 characters (the whole of it is on the event's page and in
        its tooltip), so a row stays a line or two and the columns after it in view."""
        if len(obj.title) <= 90:
            return obj.title
        return format_html('<span title="{}">{}…</span>', obj.title, obj.title[:89].rstrip())

    def get_search_results(self, request, queryset, search_term):
        """Text in the title or summary (the stored column the API's `q` reads), an
        actor taking part (name or alias, in any of its spellings, as the API's actor
        search), or the place's name. Each side is found by its own index and
        joined as sets of ids, not as joins through participants that repeat events
        (search_fields' way: about 12 s a search at a million events)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        events = Event._base_manager
        actors = Actor._base_manager.filter(name_matches(term)).values("pk")
        places = Place._base_manager.filter(name__icontains=term).values("pk")
        found = (
            events.filter(text_q(term))
            .order_by()
            .values("pk")
            .union(
                EventParticipant.objects.filter(actor__in=actors).order_by().values("event_id"),
                events.filter(place__in=places).order_by().values("pk"),
            )
        )
        return queryset.filter(pk__in=found), False

    fieldsets = (
        (None, {"fields": ("title", "event_type", "date", "place", "geo_precision", "summary")}),
        ("Fatalities", {"fields": (("fatalities_low", "fatalities_best", "fatalities_high"),)}),
        (
            # ACLED's columns with no other home (an imported row keeps them; acled/read
            # serves them): collapsed, as most events of our own leave them empty.
            "ACLED",
            {
                "classes": ("collapse",),
                "fields": ("tags", "civilian_targeting", "source_scale", "acled_source"),
            },
        ),
        (
            "Record",
            {
                "classes": ("collapse",),
                "fields": (
                    "version",
                    "status",
                    "retraction_reason",
                    "date_start",
                    "date_end",
                    "date_precision",
                    "id",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )
