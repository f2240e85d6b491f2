from django.contrib import admin

from conflictapi.admin import CitationInline, CuratedAdmin
from events.models import Event, EventCitation, EventParticipant, EventType, Place


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
    autocomplete_fields = ("actor",)
    fields = ("actor", "role", "note")


class EventCitationInline(CitationInline):
    model = EventCitation
    extra = 1


@admin.register(Event)
class EventAdmin(CuratedAdmin):
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
    autocomplete_fields = ("event_type", "place")
    date_hierarchy = "date_start"
    inlines = (EventParticipantInline, EventCitationInline)
    readonly_fields = (*CuratedAdmin.readonly_fields, "date_start", "date_end", "date_precision")
    fieldsets = (
        (None, {"fields": ("title", "event_type", "date", "place", "geo_precision", "summary")}),
        ("Fatalities", {"fields": (("fatalities_low", "fatalities_best", "fatalities_high"),)}),
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
