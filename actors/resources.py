"""The admin's spreadsheets of actors and ties (conflictapi.sheets): the columns of the
API's CSV (actors.api.views), plus the description."""

from import_export import fields

from actors.models import Actor, Affiliation
from conflictapi.sheets import Column, SheetResource, SlugOrNameWidget, text_field


class ActorResource(SheetResource):
    """A row is an actor, found by id or else by slug. `aliases` and `identifiers`
    are shown, not imported (edit them on the actor's page)."""

    lookup_field = "slug"

    slug = text_field("slug")
    name = text_field("name")
    kind = text_field("kind")
    country = text_field("country")
    founded = text_field("founded")
    dissolved = text_field("dissolved")
    aliases = Column("aliases")
    identifiers = Column("identifiers")
    status = Column("status", attribute="status")
    updated_at = Column("updated_at", attribute="updated_at")
    description = text_field("description")

    class Meta(SheetResource.Meta):
        model = Actor
        fields = export_order = (
            "id",
            "slug",
            "name",
            "kind",
            "country",
            "founded",
            "dissolved",
            "aliases",
            "identifiers",
            "status",
            "updated_at",
            "description",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("names", "identifiers")

    def dehydrate_aliases(self, actor):
        return [n.name for n in actor.names.all()]

    def dehydrate_identifiers(self, actor):
        return [i.value for i in actor.identifiers.all()]


class AffiliationResource(SheetResource):
    """A row is a tie, found by id; its ends by slug or exact name."""

    subject = fields.Field(
        attribute="subject", column_name="subject", widget=SlugOrNameWidget(Actor)
    )
    subject_name = Column("subject_name", attribute="subject__name")
    kind = text_field("kind")
    object = fields.Field(attribute="object", column_name="object", widget=SlugOrNameWidget(Actor))
    object_name = Column("object_name", attribute="object__name")
    role = text_field("role")
    start_date = text_field("start_date")
    end_date = text_field("end_date")
    status = Column("status", attribute="status")
    updated_at = Column("updated_at", attribute="updated_at")
    subject_id = Column("subject_id", attribute="subject_id")
    object_id = Column("object_id", attribute="object_id")
    description = text_field("description")

    class Meta(SheetResource.Meta):
        model = Affiliation
        fields = export_order = (
            "id",
            "subject",
            "subject_name",
            "kind",
            "object",
            "object_name",
            "role",
            "start_date",
            "end_date",
            "status",
            "updated_at",
            "subject_id",
            "object_id",
            "description",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("subject", "object")
