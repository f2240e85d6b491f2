"""Our events as rows of UCDP's Georeferenced Event Dataset (GED), for the
UCDP-compatible API (`/api/ucdp/gedevents/current`; README "UCDP-compatible API").

Which events: the violent ones, each coded with UCDP's type of violence from its event
type's ACLED family and the kinds of the organised actors taking part (initiator,
target or party) that the viewer may see:

- 1 state-based: Battles or Explosions/Remote violence, two or more organised actors,
  one of them a state (state, state force, government body);
- 2 non-state: the same without a state;
- 3 one-sided: Violence against civilians with an organised actor; or
  Explosions/Remote violence with a single organised actor (no organised opponent: the
  targets are civilians).

Everything else is left out: protests, riots, strategic developments (statements,
agreements, …), a violent event without an organised actor, a battle with a single one
(no dyad to name), and retracted events. What the viewer may not see counts as absent
(conflictapi.visibility): a hidden actor does not take part, a hidden event type leaves
the event out, a hidden place leaves every place field null.
"""

import math
import uuid

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from actors.models import ActorIdentifier, ActorKind
from conflictapi.models import Status
from events.models import (
    Event,
    EventCitation,
    EventIdentifier,
    EventParticipant,
    EventType,
    ParticipantRole,
    Place,
    PlaceKind,
)
from interop.gw import ISO_OF_GW, country_of

UCDP_SCHEME = "ucdp"

STATE_BASED, NON_STATE, ONE_SIDED = 1, 2, 3

STATE_KINDS = (ActorKind.STATE, ActorKind.STATE_FORCE, ActorKind.GOVERNMENT_BODY)
ORGANISED_KINDS = (
    *STATE_KINDS,
    ActorKind.ARMED_GROUP,
    ActorKind.COALITION,
    ActorKind.POLITICAL_ORGANISATION,
)
# The roles of the sides of a dyad, in the order a side is chosen by.
FIGHTING_ROLES = (ParticipantRole.INITIATOR, ParticipantRole.PARTY, ParticipantRole.TARGET)

# The ACLED event types (top level) that are organised violence, by slug.
BATTLES = "battles"
EXPLOSIONS = "explosions-remote-violence"
AGAINST_CIVILIANS = "violence-against-civilians"
VIOLENT_FAMILIES = (BATTLES, EXPLOSIONS, AGAINST_CIVILIANS)

CIVILIANS = "Civilians"

# where_prec: UCDP's codes by the kind of place, and the least a geo precision allows.
WHERE_PREC_OF_KIND = {
    PlaceKind.TOWN: 1,
    PlaceKind.SITE: 1,
    PlaceKind.CROSSING: 1,
    PlaceKind.ADMIN3: 3,
    PlaceKind.ADMIN2: 3,
    PlaceKind.ADMIN1: 4,
    PlaceKind.REGION: 5,
    PlaceKind.COUNTRY: 6,
}
WHERE_PREC_OF_GEO_PRECISION = {1: 1, 2: 2, 3: 4}

# The GED's fields, in its order.
FIELDS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
# The fields that say where: all empty for an event without a place.
WHERE_FIELDS = FIELDS[FIELDS.index("where_prec") : FIELDS.index("region") + 1]


def violent_types(viewer):
    """{family: [event type ids]} of the violent families, for the types the viewer may
    see: a type's family is its ACLED equivalent's parent, else its parent, else itself."""
    families = {family: [] for family in VIOLENT_FAMILIES}
    rows = (
        EventType.objects.filter(viewer.q(EventType))
        .order_by()
        .values_list("pk", "slug", "parent__slug", "acled_equivalent__parent__slug")
    )
    for pk, slug, parent, equivalent_parent in rows:
        family = equivalent_parent or parent or slug
        if family in families:
            families[family].append(pk)
    return families


def organised_participants(viewer):
    """The participations that make sides: organised actors the viewer may see, in a
    fighting role."""
    return EventParticipant.objects.filter(
        viewer.q(EventParticipant),
        role__in=FIGHTING_ROLES,
        actor__kind__in=ORGANISED_KINDS,
    )


def ged_events(viewer):
    """The viewer's violent events, annotated `type_of_violence` and `ucdp_id`."""
    families = violent_types(viewer)
    sides = organised_participants(viewer).filter(event=OuterRef("pk")).order_by()
    organised = Coalesce(
        Subquery(
            sides.values("event").annotate(n=Count("actor", distinct=True)).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    has_state = Exists(sides.filter(actor__kind__in=STATE_KINDS))
    fighting = Q(event_type__in=families[BATTLES] + families[EXPLOSIONS])
    violence = Case(
        When(Q(event_type__in=families[AGAINST_CIVILIANS], n_organised__gte=1), then=Value(3)),
        When(fighting & Q(n_organised__gte=2, has_state=True), then=Value(1)),
        When(fighting & Q(n_organised__gte=2), then=Value(2)),
        When(Q(event_type__in=families[EXPLOSIONS], n_organised=1), then=Value(3)),
        default=None,
        output_field=IntegerField(),
    )
    events = (
        viewer.filter(Event.objects.exclude(status=Status.RETRACTED))
        .annotate(n_organised=organised, has_state=has_state)
        .annotate(type_of_violence=violence)
        .filter(type_of_violence__isnull=False)
    )
    ucdp_id = EventIdentifier.objects.filter(event=OuterRef("pk"), scheme=UCDP_SCHEME)
    return events.annotate(ucdp_id=Subquery(ucdp_id.values("value")[:1]))


# Filters: each takes the parsed values of its parameter.


def filter_ids(queryset, ids):
    values = [str(i) for i in ids]
    return queryset.filter(
        Exists(
            EventIdentifier.objects.filter(
                event=OuterRef("pk"), scheme=UCDP_SCHEME, value__in=values
            )
        )
    )


def filter_countries(queryset, viewer, gw_numbers):
    codes = sorted(set().union(*(ISO_OF_GW.get(gw, set()) for gw in gw_numbers)))
    return queryset.filter(viewer.q(Place, "place__"), country__in=codes)


def filter_geography(queryset, viewer, box):
    (lat0, lon0), (lat1, lon1) = box
    return queryset.filter(
        viewer.q(Place, "place__"),
        place__latitude__gte=min(lat0, lat1),
        place__latitude__lte=max(lat0, lat1),
        place__longitude__gte=min(lon0, lon1),
        place__longitude__lte=max(lon0, lon1),
    )


def filter_dates(queryset, start, end):
    """Overlap with the earliest and latest day each event's date can mean."""
    if start is not None:
        queryset = queryset.filter(date_end__gte=start)
    if end is not None:
        queryset = queryset.filter(date_start__lte=end)
    return queryset


def filter_actors(queryset, viewer, actor_ids):
    """Events in which an actor with one of these UCDP ids is an organised side."""
    values = [str(i) for i in actor_ids]
    with_id = ActorIdentifier.objects.filter(
        actor=OuterRef("actor"), scheme=UCDP_SCHEME, value__in=values
    )
    return queryset.filter(
        Exists(organised_participants(viewer).filter(Exists(with_id), event=OuterRef("pk")))
    )


# Rows.


def date_prec(start, end):
    """UCDP's date_prec from the bounds: 1 the day, 2 within 2–6 days, 3 a week, 4 a
    month (up to 31 days), 5 longer (a year)."""
    days = (end - start).days + 1
    if days <= 1:
        return 1
    if days <= 6:
        return 2
    if days <= 7:
        return 3
    if days <= 31:
        return 4
    return 5


def priogrid_gid(latitude, longitude):
    """The PRIO-GRID cell (half a degree; 1 at 90°S 180°W, counting eastward, then
    northward) holding the point."""
    row = min(math.floor((float(latitude) + 90) * 2), 359)
    col = min(math.floor((float(longitude) + 180) * 2), 719)
    return row * 720 + col + 1


def _integer_id(value):
    return int(value) if value is not None and str(value).isdigit() else None


def _number(value):
    return float(value) if value is not None else None


class Page:
    """One page of GED rows: what it takes from the database, in a fixed number of
    queries whatever its length (the events; their sides; their citations; the places
    around their places)."""

    def __init__(self, events, viewer):
        self.events = events
        self.viewer = viewer
        ids = [event.pk for event in events]
        self.sides = {pk: [] for pk in ids}
        self.citations = {pk: [] for pk in ids}
        self.places = {}
        if not ids:
            return
        actor_ucdp_id = ActorIdentifier.objects.filter(actor=OuterRef("actor"), scheme=UCDP_SCHEME)
        participants = (
            organised_participants(viewer)
            .filter(event__in=ids)
            .select_related("actor")
            .annotate(actor_ucdp_id=Subquery(actor_ucdp_id.values("value")[:1]))
            .order_by("actor__name", "actor_id", "role")
        )
        for participant in participants:
            self.sides[participant.event_id].append(participant)
        citations = (
            EventCitation.objects.filter(viewer.q(EventCitation), event__in=ids)
            .with_documents()  # the document and outlet, not the document's text
            .order_by("document__published_on", "document__title", "document_id", "pk")
        )
        for citation in citations:
            self.citations[citation.event_id].append(citation)
        around = set()
        for event in events:
            if viewer.shows(event.place):
                around.update(part for part in event.place.path.split("/") if part)
        if around:
            hexes = sorted(around)
            rows = Place.objects.filter(viewer.q(Place), pk__in=[uuid.UUID(h) for h in hexes])
            self.places = {place.pk.hex: place for place in rows}

    def rows(self):
        return [self.row(event) for event in self.events]

    def pick_sides(self, event):
        """(side A, side B) participations; side B None for one-sided violence. Side A
        is the state where one takes part; else the first by role (initiator, party,
        target) and name. Side B prefers an actor that is not a state."""
        actors = {}
        for participant in self.sides[event.pk]:
            actors.setdefault(participant.actor_id, participant)
        order = {role: i for i, role in enumerate(FIGHTING_ROLES)}
        ranked = sorted(
            actors.values(),
            key=lambda p: (
                p.actor.kind not in STATE_KINDS,
                order[p.role],
                p.actor.name,
                str(p.actor_id),
            ),
        )
        side_a = ranked[0]
        if event.type_of_violence == ONE_SIDED:
            return side_a, None
        rest = sorted(ranked[1:], key=lambda p: p.actor.kind in STATE_KINDS)
        return side_a, rest[0]

    def row(self, event):
        side_a, side_b = self.pick_sides(event)
        side_a_name = side_a.actor.name
        side_b_name = side_b.actor.name if side_b else CIVILIANS
        citations = self.citations[event.pk]
        documents = list({c.document_id: c.document for c in citations}.values())
        outlets = [d.outlet.name if self.viewer.shows(d.outlet) else "" for d in documents]
        dates = [d.published_on.isoformat() if d.published_on else "" for d in documents]
        place = event.place if self.viewer.shows(event.place) else None
        where = self.where(event, place)
        best = event.fatalities_best
        return {
            "id": _integer_id(event.ucdp_id),
            "relid": str(event.pk),
            "year": event.date_start.year,
            "active_year": None,
            "code_status": None,
            "type_of_violence": event.type_of_violence,
            "conflict_dset_id": None,
            "conflict_new_id": None,
            "conflict_name": None,
            "dyad_dset_id": None,
            "dyad_new_id": None,
            "dyad_name": f"{side_a_name} - {side_b_name}",
            "side_a_dset_id": None,
            "side_a_new_id": _integer_id(side_a.actor_ucdp_id),
            "side_a": side_a_name,
            "side_b_dset_id": None,
            "side_b_new_id": _integer_id(side_b.actor_ucdp_id) if side_b else None,
            "side_b": side_b_name,
            "number_of_sources": len(documents),
            "source_article": "; ".join(
                ", ".join(part for part in (outlet, date, f'"{d.title}"') if part)
                for outlet, date, d in zip(outlets, dates, documents, strict=True)
            ),
            "source_office": "; ".join(outlets),
            "source_date": "; ".join(dates),
            "source_headline": "; ".join(d.title for d in documents),
            "source_original": None,
            **where,
            "event_clarity": 1 if date_prec(event.date_start, event.date_end) <= 3 else 2,
            "date_prec": date_prec(event.date_start, event.date_end),
            "date_start": event.date_start.isoformat(),
            "date_end": event.date_end.isoformat(),
            "deaths_a": None,
            "deaths_b": None,
            "deaths_civilians": None,
            "deaths_unknown": best,
            "best": best,
            "high": event.fatalities_high,
            "low": event.fatalities_low,
            "gwnoa": self.gwno(side_a),
            "gwnob": self.gwno(side_b),
        }

    @staticmethod
    def gwno(side):
        if side is None or side.actor.kind not in STATE_KINDS:
            return None
        gw, _name, _region = country_of(side.actor.country.code)
        return str(gw) if gw is not None else None

    def where(self, event, place):
        empty = dict.fromkeys(WHERE_FIELDS)
        if place is None:
            return empty
        # The place and those around it, innermost first, as far as the viewer sees
        # them (a hidden one is skipped).
        chain = [
            self.places[part]
            for part in reversed(place.path.split("/"))
            if part and part in self.places
        ]
        if not chain or chain[0].pk != place.pk:
            chain.insert(0, place)
        prec = WHERE_PREC_OF_KIND.get(place.kind, 1)
        prec = max(prec, WHERE_PREC_OF_GEO_PRECISION.get(event.geo_precision, 1))
        gw, country_name, region = country_of(place.country.code)
        has_point = place.latitude is not None and place.longitude is not None
        lat, lon = _number(place.latitude), _number(place.longitude)
        return {
            "where_prec": prec,
            "where_coordinates": place.name,
            "where_description": ", ".join(p.name for p in chain),
            "adm_1": next((p.name for p in chain if p.kind == PlaceKind.ADMIN1), None),
            "adm_2": next((p.name for p in chain if p.kind == PlaceKind.ADMIN2), None),
            "latitude": lat,
            "longitude": lon,
            "geom_wkt": f"POINT ({lon} {lat})" if has_point else None,
            "priogrid_gid": priogrid_gid(lat, lon) if has_point else None,
            "country": country_name,
            "country_id": gw,
            "region": region,
        }


def ged_page(queryset, viewer, offset, limit):
    """The rows of `queryset` (ged_events) from `offset`, at most `limit`, in a stable
    order: earliest first, then by id."""
    events = list(
        queryset.select_related("place").order_by("date_start", "pk")[offset : offset + limit]
    )
    return Page(events, viewer).rows()
