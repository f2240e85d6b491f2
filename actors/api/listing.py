"""The actors list's fast path: the same JSON as ActorListSerializer, built from flat
queries (the page as values, then its aliases, then its identifiers) without model
instances or per-field serializer calls. tests/actors/test_listing.py holds the two to
the same output, so the serializer stays the schema's source of truth."""

from collections import defaultdict

from actors.api.serializers import ActorIdentifierSerializer, ActorNameSerializer
from actors.models import Actor, ActorIdentifier, ActorName
from conflictapi.api.serializers import url_prefix
from conflictapi.partialdates import partial_date_names
from conflictapi.visibility import tombstone_of, viewer_of

ACTOR_COLUMNS = (
    *("id", "status", "retraction_reason", "version", "created_at", "updated_at"),
    *("slug", "name", "kind", "country", "description"),
    *partial_date_names("founded"),
    *partial_date_names("dissolved"),
)
# Nested lists: output field, model, columns in output order (the serializers' own).
NESTED = (
    ("names", ActorName, ActorNameSerializer.Meta.fields),
    ("identifiers", ActorIdentifier, ActorIdentifierSerializer.Meta.fields),
)


def actor_rows(page, request):
    """JSON-ready dicts for a page of `ACTOR_COLUMNS` value rows, with every alias and
    identifier of each (one query each, in the models' own order)."""
    actor_url = url_prefix(request, "actors-api:actor-detail")
    ids = [row["id"] for row in page]
    nested = {}
    for field, model, columns in NESTED:
        by_actor = defaultdict(list)
        if ids:
            for actor_id, *values in model.objects.filter(actor_id__in=ids).values_list(
                "actor_id", *columns
            ):
                by_actor[actor_id].append(dict(zip(columns, values, strict=True)))
        nested[field] = by_actor
    viewer = viewer_of(request)
    rows = []
    for row in page:
        actor_id = row["id"]
        out = {"id": actor_id, "url": f"{actor_url}{actor_id}/"}
        out.update((column, row[column]) for column in ACTOR_COLUMNS[1:])
        for field, _model, _columns in NESTED:
            out[field] = nested[field].get(actor_id, [])
        rows.append(tombstone_of(out) if viewer.tombstone(Actor, row["status"]) else out)
    return rows
