from django.contrib import admin
from django.db.models import Q

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from actors.pictures import network_picture, read_as_of
from actors.resources import ActorResource, AffiliationResource
from actors.selectors import name_matches
from conflictapi.admin import (
    CitationAdmin,
    CitationInline,
    CompactTabularInline,
    CuratedAdmin,
    UsedCountryFilter,
    shortened,
)
from conflictapi.api.filters import ranked_by_name
from conflictapi.sheets import SheetAdminMixin
from conflictapi.text import normalize_name


class ActorNameInline(CompactTabularInline):
    model = ActorName
    extra = 1
    fields = ("name", "kind", "language", "note")


class ActorIdentifierInline(CompactTabularInline):
    model = ActorIdentifier
    extra = 0
    fields = ("scheme", "value")


class ActorCitationInline(CitationInline):
    model = ActorCitation


class AffiliationCitationInline(CitationInline):
    model = AffiliationCitation


@admin.register(Actor)
class ActorAdmin(SheetAdminMixin, CuratedAdmin):
    resource_classes = (ActorResource,)
    list_display = ("name", "kind", "country", "founded", "dissolved", "status", "updated_at")
    list_filter = ("kind", "status", UsedCountryFilter, "founded_precision")
    # Any alias finds its actor: "Da'esh", "ISIL", "JN", "جبهة النصرة".
    search_fields = ("name", "slug", "name_normalized", "names__name", "names__normalized")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ActorNameInline, ActorIdentifierInline, ActorCitationInline)
    readonly_fields = (
        *CuratedAdmin.readonly_fields,
        "founded_start",
        "founded_end",
        "dissolved_start",
        "dissolved_end",
    )

    def get_search_results(self, request, queryset, search_term):
        """The API's name search (any name or alias, in any spelling: "Da'esh", "ISIL",
        "JN", "جبهة النصرة"), or the slug; ranked as the API ranks it, so that the
        autocomplete offers the actor named so before those whose names contain it."""
        key = normalize_name(search_term)
        if not key:
            return super().get_search_results(request, queryset, search_term)
        found = queryset.filter(name_matches(search_term) | Q(slug__icontains=search_term.strip()))
        return ranked_by_name(found, key), False

    class Media:
        css = {"all": ("conflictapi/pictures.css",)}

    def pictures(self, request, obj):
        """The actor's affiliation network as it stood on the day the page's query names
        (`network_as_of`; every tie ever, without one), one or two ties deep."""
        asked = request.GET.get("network_as_of", "")
        as_of, error = read_as_of(asked)
        depth = 2 if request.GET.get("network_depth") == "2" else 1
        picture = network_picture(obj, as_of=as_of, depth=depth)
        picture.error = error
        return {"network": picture, "network_as_of": asked}


@admin.register(Affiliation)
class AffiliationAdmin(SheetAdminMixin, CuratedAdmin):
    resource_classes = (AffiliationResource,)
    list_display = (
        "short_subject",
        "kind",
        "short_object",
        "short_role",
        "start_date",
        "end_date",
        "status",
    )

    @admin.display(description="subject", ordering="subject__name")
    def short_subject(self, obj):
        return shortened(obj.subject, 32)

    @admin.display(description="object", ordering="object__name")
    def short_object(self, obj):
        return shortened(obj.object, 32)

    @admin.display(description="role", ordering="role")
    def short_role(self, obj):
        return shortened(obj.role, 32)

    list_filter = ("kind", "status", "start_date_precision")
    list_select_related = ("subject", "object")
    search_fields = ("subject__name", "object__name", "subject__names__name", "role")
    autocomplete_fields = ("subject", "object")
    inlines = (AffiliationCitationInline,)
    readonly_fields = (
        *CuratedAdmin.readonly_fields,
        "start_date_start",
        "start_date_end",
        "end_date_start",
        "end_date_end",
    )


@admin.register(ActorCitation)
class ActorCitationAdmin(CitationAdmin):
    pass


@admin.register(AffiliationCitation)
class AffiliationCitationAdmin(CitationAdmin):
    pass
