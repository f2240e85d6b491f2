from django.contrib import admin

from conflictapi.admin import CuratedAdmin
from sources.models import Document, Outlet


@admin.register(Outlet)
class OutletAdmin(CuratedAdmin):
    list_display = ("name", "kind", "country", "reliability", "status", "updated_at")
    list_filter = ("kind", "reliability", "status", "country")
    search_fields = ("name", "slug", "url")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Document)
class DocumentAdmin(CuratedAdmin):
    list_display = ("title", "outlet", "published_on", "language", "status")
    list_filter = ("status", "language", "outlet__kind", "outlet")
    list_select_related = ("outlet",)
    search_fields = ("title", "authors", "url", "summary", "outlet__name")
    autocomplete_fields = ("outlet",)
    date_hierarchy = "published_on"
