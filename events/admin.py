from django.contrib import admin

from actors.models import Actor
from actors.selectors import name_matches
from conflictapi.admin import (
    CitationAdmin,
    CitationInline,
    CuratedAdmin,
    PublishedParentFormSet,
)
from conflictapi.sheets import SheetAdminMixin
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


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ("name", "kind", "parent", "country", "latitude", "longitude", "status")
    list_filter = ("kind", "status", "country")
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "alternate_names", "parent__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)


@admin.register(EventType)
class EventTypeAdmin(CuratedAdmin):
    list_display = ("name", "parent", "acled_equivalent", "is_acled", "status")
    list_filter = ("is_acled", "parent", "status")
    list_select_related = ("parent", "acled_equivalent")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "acled_equivalent")


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 2
    formset = PublishedParentFormSet
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "note")


class EventIdentifierInline(admin.TabularInline):
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
        "title",
        "event_type",
        "date",
        "place",
        "fatalities_best",
        "status",
        "updated_at",
    )
    list_filter = ("status", "event_type__parent", "event_type", "date_precision", "place__country")
    list_select_related = ("event_type__parent", "place")
    search_fields = ("title", "summary", "participants__actor__name", "place__name")
    # Counting every event for "(N total)" beside each search is a scan of its own.
    show_full_result_count = False
    autocomplete_fields = ("event_type", "place")
    date_hierarchy = "date_start"
    inlines = (EventParticipantInline, EventCitationInline, EventIdentifierInline)
    readonly_fields = (*CuratedAdmin.readonly_fields, "date_start", "date_end", "date_precision")

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
