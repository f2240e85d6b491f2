"""Reads other code makes of places and event types: the records a reference names, as
analysts type it, among those the requester may see. One resolver each, used by every
filter that takes a place or an event type (and by the ACLED- and UCDP-style reads)."""

from django.db.models import Case, Q, When
from rest_framework.exceptions import ValidationError

from conflictapi.api.filters import ambiguous, parse_uuid
from conflictapi.models import Status
from conflictapi.text import normalize_name
from conflictapi.visibility import viewer_of
from events.models import EventType, Place

# More candidates than this are not worth listing one by one.
MAX_CANDIDATES = 50


def resolve_places(value, param, request=None, *, nested=True):
    """The (id, path) of the place `value` names: an id, a slug, or its name or any
    alternate name in any spelling the name normaliser folds ("Idleb", "IDLIB",
    "إدلب"), among the places the requester may see — one query.

    An id or a slug names one place. A name several places share is a 400 listing them
    ("ambiguous"), except, when `nested` (filters that take a place with everything
    inside it), where they all lie inside one of them: a governorate and its capital
    of the same name then mean the governorate and all it holds."""
    viewer = viewer_of(request)
    pk = parse_uuid(value)
    if pk is not None:
        condition = Q(pk=pk)
    else:
        condition = Q(slug=value)
        key = normalize_name(value)
        if key:
            condition |= Q(search_names__contains=f"\n{key}\n")
    rows = list(
        Place._base_manager.filter(condition)
        .filter(viewer.q(Place))
        # The slug's place first (a slug is exact), then in path order.
        .order_by(Case(When(slug=value, then=0), default=1), "path")
        .values("pk", "path", "slug", "country", "parent__name", "parent__status")[:MAX_CANDIDATES]
    )
    if not rows:
        raise ValidationError({param: [f"No place matches “{value}”."]})
    exact = [row for row in rows if row["pk"] == pk or row["slug"] == value]
    if exact:
        rows = exact
    elif nested:
        outer = []
        for row in rows:  # in path order: a place comes before those inside it
            if not any(row["path"].startswith(o["path"]) for o in outer):
                outer.append(row)
        rows = outer
    if len(rows) > 1:
        ambiguous(param, value, [place_label(row, viewer) for row in rows])
    return [(row["pk"], row["path"]) for row in rows]


def place_label(row, viewer):
    """ "mayadin (SY, Deir ez-Zor)": the slug, the country and the parent's name, if the
    requester may see the parent."""
    parts = [row["country"]] if row["country"] else []
    if row["parent__name"] and (row["parent__status"] == Status.PUBLISHED or viewer.full(Place)):
        parts.append(row["parent__name"])
    return f"{row['slug']} ({', '.join(parts)})" if parts else row["slug"]


def resolve_event_types(value, param, request=None, *, subtypes=True):
    """The ids of the event type `value` names — an id, a slug, or its name in any case
    and spelling, ACLED's included ("Battles", "Explosions/Remote violence", "armed
    clash") — and, with `subtypes`, of its sub-types, among the types the requester may
    see. The vocabulary is small: it is read whole, in one query, and matched here.

    A name shared by several types is a 400 listing them ("ambiguous"), unless they are
    a type and its own sub-types (with `subtypes`, the type covers them)."""
    rows = list(
        EventType._base_manager.filter(viewer_of(request).q(EventType))
        .order_by()
        .values_list("pk", "slug", "name", "parent_id")
    )
    pk = parse_uuid(value)
    key = normalize_name(value)
    matched = [r for r in rows if r[0] == pk or r[1] == value]
    if not matched and key:
        matched = [r for r in rows if normalize_name(r[2]) == key]
    if not matched:
        raise ValidationError({param: [f"No event type matches “{value}”."]})
    ids = {r[0] for r in matched}
    if subtypes:
        matched = [r for r in matched if r[3] not in ids]
    if len(matched) > 1:
        names = {r[0]: r[2] for r in rows}
        labels = [f"{r[1]} ({names[r[3]]})" if r[3] in names else r[1] for r in matched]
        ambiguous(param, value, sorted(labels))
    ids = {r[0] for r in matched}
    if subtypes:
        ids |= {r[0] for r in rows if r[3] in ids}
    return sorted(ids)
