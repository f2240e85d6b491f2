"""Our events as ACLED's rows, and ACLED's query conventions (INTEROP.md).

One row per event, derived here and nowhere else: `acled_rows` reads every column it
needs in one query (the event, its type, its place and four levels of places above it,
its participants and its cited outlets, as the export reads them) and `row_of` turns
each into ACLED's fields, every value a string. On PostgreSQL the same rows are written
by the database (`pg_row_sql`, streamed by COPY as the export is): row_of in SQL, held
to row_of field for field by tests/interop/test_acled_read.py. What the viewer may not
see is absent, as in the export: a hidden place or type leaves its columns empty, a
hidden actor is left out of the actor columns, a hidden document's outlet out of
`source`.
"""

import datetime
import decimal
import functools

import orjson
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
    lookups,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django_countries import countries

from actors.models import ACLED_TYPE_OF_KIND, AcledActorType, Actor
from conflictapi.countries import resolve_country
from conflictapi.models import Status
from conflictapi.visibility import Viewer
from events.models import Event, EventIdentifier, EventType, IdentifierScheme, Place, PlaceKind
from interop.acled_columns import FIELDS
from interop.models import SIDE_COLUMNS, AcledRow
from interop.regions import REGION_OF_COUNTRY, REGIONS
from sources.models import Document, Outlet

# A monadic row (export_type=monadic) is one side of an event: its actor in actor1.
SIDE_2_FIELDS = {"actor1": "actor2", "assoc_actor_1": "assoc_actor_2", "inter1": "inter2"}
MONADIC_FIELDS = tuple(f for f in FIELDS if f not in SIDE_2_FIELDS.values())
EXPORT_TYPES = ("dyadic", "monadic")

# Participants by role to ACLED's two sides (README, "ACLED-compatible API"): the first
# actor of a side is actor1 (actor2), the others its assoc_actor_1 (assoc_actor_2), in
# the order of the roles here, then by actor name. The first party goes to side 1 when
# it has no initiator or speaker; every other party to side 2. Mediators, supporters,
# attendees and excluded actors are left out.
SIDE_ROLES = (("initiator", "speaker"), ("target", "subject"))
PARTY = "party"
ROLE_ORDER = {role: i for i, role in enumerate((*SIDE_ROLES[0], *SIDE_ROLES[1], PARTY))}

# ACLED's event types by disorder type; "Political violence; Demonstrations" for the
# sub-types where force meets demonstrators.
DISORDER_OF_TYPE = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
DISORDER_OF_SUB_TYPE = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Mob violence": "Political violence; Demonstrations",
}

# ACLED separates list values ("assoc_actor_1", "source") by "; ".
LIST_SEPARATOR = "; "
# Between the parts of one participant, and between participants, in the row query.
_UNIT, _RECORD = "\x1f", "\x1e"

_PARTICIPANTS = {
    "postgresql": (
        "SELECT string_agg(p.role || chr(31) || a.name || chr(31) || "
        "COALESCE(a.acled_actor_type::text, '') || chr(31) || a.kind, chr(30) "
        "ORDER BY p.role, a.name) FROM events_eventparticipant p "
        "JOIN actors_actor a ON a.id = p.actor_id WHERE p.event_id = events_event.id{extra}"
    ),
    "sqlite": (
        "SELECT group_concat(v, char(30)) FROM (SELECT p.role || char(31) || a.name || "
        "char(31) || COALESCE(a.acled_actor_type, '') || char(31) || a.kind AS v "
        "FROM events_eventparticipant p JOIN actors_actor a ON a.id = p.actor_id "
        "WHERE p.event_id = events_event.id{extra} ORDER BY p.role, a.name)"
    ),
}
_OUTLETS = {
    "postgresql": (
        "SELECT string_agg(DISTINCT o.name, '; ') FROM events_eventcitation c "
        "JOIN sources_document d ON d.id = c.document_id "
        "JOIN sources_outlet o ON o.id = d.outlet_id WHERE c.event_id = events_event.id{extra}"
    ),
    "sqlite": (
        "SELECT group_concat(n, '; ') FROM (SELECT DISTINCT o.name AS n "
        "FROM events_eventcitation c JOIN sources_document d ON d.id = c.document_id "
        "JOIN sources_outlet o ON o.id = d.outlet_id WHERE c.event_id = events_event.id{extra} "
        "ORDER BY o.name)"
    ),
}
# The places above an event's place that a row reads (town < admin3 < admin2 < admin1 <
# country is five levels).
PLACE_LEVELS = 5
_PLACE_FIELDS = ("name", "kind", "status")


class AcledQueryError(ValueError):
    """A query parameter ACLED's conventions do not allow: `parameter` names it."""

    def __init__(self, parameter, message):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


# -- countries ------------------------------------------------------------------------

# ACLED's names where they differ from the ISO short names django-countries gives.
ACLED_COUNTRY_NAMES = {
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CI": "Ivory Coast",
    "PS": "Palestine",
    "TR": "Turkey",
    "RU": "Russia",
    "SY": "Syria",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "GB": "United Kingdom",
    "US": "United States",
    "XK": "Kosovo",
}


def country_name(code):
    return ACLED_COUNTRY_NAMES.get(code) or (countries.name(code) if code else "")


def country_code(name):
    """The ISO alpha-2 code of a country named as ACLED names it, or as the API's own
    `country` filters take it (conflictapi.countries: any English name, alpha-2,
    alpha-3 or ISO numeric); None if there is none, or several."""
    wanted = name.strip().casefold()
    for code, acled_name in ACLED_COUNTRY_NAMES.items():
        if acled_name.casefold() == wanted:
            return code
    try:
        return resolve_country(name)
    except ValidationError:
        return None


@functools.cache
def iso_numeric(code):
    # Cached: django-countries looks the code up anew each call (a tenth of a 5,000-row
    # acled/read page), and the table does not change while the process runs.
    return countries.numeric(code) if code else None


# -- row derivation ---------------------------------------------------------------------


def event_types(viewer):
    """{type id: (event_type, sub_event_type, disorder_type)} of the types the viewer
    may see, in ACLED's vocabulary: a finer kind as the ACLED sub-event type it maps to,
    a top-level type as itself with no sub-event type. One query."""
    types = {
        t.pk: t
        for t in EventType.objects.filter(viewer.q(EventType)).select_related(
            "parent", "acled_equivalent__parent"
        )
    }
    result = {}
    for pk, t in types.items():
        sub = t.acled_equivalent or (t if t.parent_id else None)
        if sub is not None and sub.parent_id:
            top, sub_name = sub.parent.name, sub.name
        else:
            top, sub_name = (sub or t).name, ""
        disorder = DISORDER_OF_SUB_TYPE.get(sub_name) or DISORDER_OF_TYPE.get(top, "")
        result[pk] = (top, sub_name, disorder)
    return result


def visible_events(viewer):
    """The events acled/read serves: what the viewer sees, but never a retraction
    (deleted/read lists those)."""
    return viewer.filter(Event.objects.exclude(status=Status.RETRACTED))


def _derived_columns(viewer, vendor, sides_in_sql):
    """The three columns of a row that each read other tables: x_id (the ACLED id),
    x_participants and x_outlets, as `viewer` sees them."""
    actors_extra = "" if viewer.full(Actor) else " AND a.status = 'published'"
    participants = (
        _pg_sides_sql(actors_extra)
        if sides_in_sql
        else _PARTICIPANTS[vendor].format(extra=actors_extra)
    )
    outlets_extra = ""
    if not viewer.full(Document):
        outlets_extra += " AND d.status = 'published'"
    if not viewer.full(Outlet):
        outlets_extra += " AND o.status = 'published'"
    return {
        "x_id": Subquery(
            EventIdentifier.objects.filter(event=OuterRef("pk"), scheme=IdentifierScheme.ACLED)
            .order_by()  # one a scheme (a constraint): nothing to sort
            .values("value")[:1]
        ),
        "x_participants": RawSQL(participants, ()),
        "x_outlets": RawSQL(_OUTLETS[vendor].format(extra=outlets_extra), ()),
    }


def sees_as_public(viewer):
    """Whether `viewer` sees actors, documents and outlets as anonymous readers do:
    then the stored rows (interop.models.AcledRow) are theirs."""
    return not any(viewer.full(model) for model in (Actor, Document, Outlet))


class _Array(Func):
    template = "ARRAY[%(expressions)s]"
    output_field = TextField()


def _stored_or_derived(derived):
    """x_id, x_participants and x_outlets from the event's stored row where it was
    derived from the event's current version, else `derived` (the same, derived now)."""
    fresh = Q(acled_row__version=F("version"))

    def pick(stored, live):
        return Case(When(fresh, then=stored), default=live, output_field=TextField())

    return {
        "x_id": pick(F("acled_row__acled_id"), derived["x_id"]),
        "x_participants": pick(
            _Array(*(F(f"acled_row__{c}") for c in SIDE_COLUMNS)), derived["x_participants"]
        ),
        "x_outlets": pick(F("acled_row__outlets"), derived["x_outlets"]),
    }


def acled_rows(queryset, viewer, vendor, *, sides_in_sql=False):
    """A values() queryset with everything row_of needs, newest first; with
    `sides_in_sql` (PostgreSQL), x_participants is the row's six actor columns, as
    pg_row_sql reads them, taken from the stored rows (AcledRow) where they are current
    and the viewer sees what anonymous readers see."""
    derived = _derived_columns(viewer, vendor, sides_in_sql)
    if sides_in_sql and sees_as_public(viewer):
        derived = _stored_or_derived(derived)
    places = {}
    prefix = "place"
    for level in range(PLACE_LEVELS):
        for field in _PLACE_FIELDS:
            places[f"p{level}_{field}"] = F(f"{prefix}__{field}")
        prefix += "__parent"
    return (
        queryset.order_by("-date_start", "-id")
        .annotate(
            **derived,
            x_country=F("place__country"),
            x_latitude=F("place__latitude"),
            x_longitude=F("place__longitude"),
            **places,
        )
        .values(
            *("x_id", "x_participants", "x_outlets", "x_country", "x_latitude", "x_longitude"),
            *places,
            *("event_type_id", "date_start", "date_end", "date_precision", "geo_precision"),
            *("fatalities_best", "summary", "tags", "civilian_targeting", "source_scale"),
            *("acled_source", "updated_at", "id"),
        )
    )


def store_rows(events):
    """Write the stored rows (AcledRow) of the published ones of `events` (a queryset)
    as anonymous readers see them, in one statement on PostgreSQL; return how many.
    Elsewhere nothing is stored (SQLite derives every row)."""
    connection = connections[events.db]
    if connection.vendor != "postgresql":
        return 0
    derived = _derived_columns(Viewer(AnonymousUser()), "postgresql", sides_in_sql=True)
    rows = (
        events.filter(status=Status.PUBLISHED)
        .order_by()
        .annotate(**derived)
        .values("id", "version", *derived)
    )
    try:
        rows_sql, params = rows.query.get_compiler(using=events.db).as_sql()
    except EmptyResultSet:
        return 0
    sides = ", ".join(f"q.x_participants[{i}]" for i in range(1, len(SIDE_COLUMNS) + 1))
    columns = ("version", "acled_id", *SIDE_COLUMNS, "outlets")
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AcledRow._meta.db_table} (event_id, {', '.join(columns)}) "
            f"SELECT q.id, q.version, q.x_id, {sides}, q.x_outlets FROM ({rows_sql}) AS q "
            f"ON CONFLICT (event_id) DO UPDATE SET {updates}",
            params,
        )
        return cursor.rowcount


def stale_events():
    """Published events whose stored row is missing or older than the event."""
    return Event.objects.filter(status=Status.PUBLISHED).exclude(acled_row__version=F("version"))


def time_precision(start, end, precision):
    """ACLED's time_precision: 1 the day, 2 within a week, 3 within a month or more."""
    if start is None:
        return ""
    if precision == "day":
        return "1"
    if end is not None and (end - start).days < 7:
        return "2"
    return "3"


def time_precision_expression():
    """time_precision (above) in SQL, over an Event: null without a date."""
    span = ExpressionWrapper(F("date_end") - F("date_start"), output_field=DurationField())
    return Case(
        When(date_start__isnull=True, then=Value(None)),
        When(date_precision="day", then=Value(1)),
        When(
            Q(date_end__isnull=False) & Q(lookups.LessThan(span, datetime.timedelta(days=7))),
            then=Value(2),
        ),
        default=Value(3),
        output_field=IntegerField(),
    )


def actor_type(stored, kind):
    if stored:
        return int(stored)
    return int(ACLED_TYPE_OF_KIND.get(kind, AcledActorType.EXTERNAL_OTHER))


def sides(participants):
    """([(name, type)] of side 1, of side 2) from the row query's participants."""
    one, two, parties = [], [], []
    for record in (participants or "").split(_RECORD) if participants else ():
        role, name, stored, kind = record.split(_UNIT)
        entry = (ROLE_ORDER.get(role, 99), name, actor_type(stored, kind))
        if role in SIDE_ROLES[0]:
            one.append(entry)
        elif role in SIDE_ROLES[1]:
            two.append(entry)
        elif role == PARTY:
            parties.append(entry)
    one.sort()
    two.sort()
    parties.sort()
    if parties and not one:
        one.append(parties.pop(0))
    two.extend(parties)
    return [e[1:] for e in one], [e[1:] for e in two]


# -- the whole row in SQL (PostgreSQL) -------------------------------------------------

# sides() in SQL: an event's actor columns as text[6] (actor1, assoc_actor_1, inter1,
# actor2, assoc_actor_2, inter2), from one read of its participants. Each side's actors
# are in the order sides() sorts them (role rank, name by code point, type).
_PG_SIDES = """SELECT ARRAY[
  COALESCE(CASE WHEN s.n1 IS NULL THEN s.np[1] ELSE s.n1[1] END, ''),
  COALESCE(array_to_string(s.n1[2:], '; '), ''),
  COALESCE((CASE WHEN s.n1 IS NULL THEN s.tp[1] ELSE s.t1[1] END)::text, ''),
  COALESCE((CASE WHEN s.n1 IS NULL THEN s.n2 || s.np[2:] ELSE s.n2 || s.np END)[1], ''),
  COALESCE(array_to_string((CASE WHEN s.n1 IS NULL THEN s.n2 || s.np[2:]
    ELSE s.n2 || s.np END)[2:], '; '), ''),
  COALESCE(((CASE WHEN s.n1 IS NULL THEN s.t2 || s.tp[2:] ELSE s.t2 || s.tp END)[1])::text, '')
] FROM (SELECT
  array_agg(a.name ORDER BY r.rank, a.name COLLATE "C", r.t) FILTER (WHERE r.side = 1) AS n1,
  array_agg(r.t ORDER BY r.rank, a.name COLLATE "C", r.t) FILTER (WHERE r.side = 1) AS t1,
  array_agg(a.name ORDER BY r.rank, a.name COLLATE "C", r.t) FILTER (WHERE r.side = 2) AS n2,
  array_agg(r.t ORDER BY r.rank, a.name COLLATE "C", r.t) FILTER (WHERE r.side = 2) AS t2,
  array_agg(a.name ORDER BY a.name COLLATE "C", r.t) FILTER (WHERE r.side = 0) AS np,
  array_agg(r.t ORDER BY a.name COLLATE "C", r.t) FILTER (WHERE r.side = 0) AS tp
  FROM events_eventparticipant p JOIN actors_actor a ON a.id = p.actor_id
  CROSS JOIN LATERAL (SELECT {rank} AS rank, {side} AS side, {type} AS t) r
  WHERE p.event_id = events_event.id AND p.role IN ({roles}){extra}) s"""


def _pg_case(column, mapping, default="NULL"):
    whens = " ".join(f"WHEN '{key}' THEN {value}" for key, value in mapping.items())
    return f"CASE {column} {whens} ELSE {default} END"


def _pg_sides_sql(extra):
    side_of = dict.fromkeys(SIDE_ROLES[0], 1) | dict.fromkeys(SIDE_ROLES[1], 2)
    return _PG_SIDES.format(
        rank=_pg_case("p.role", ROLE_ORDER, "99"),
        side=_pg_case("p.role", side_of, "0"),
        type="COALESCE(NULLIF(a.acled_actor_type, 0), "
        + _pg_case(
            "a.kind",
            {k: int(t) for k, t in ACLED_TYPE_OF_KIND.items()},
            str(int(AcledActorType.EXTERNAL_OTHER)),
        )
        + ")",
        roles=", ".join(f"'{role}'" for role in ROLE_ORDER),
        extra=extra,
    )


def _shown_sql(level, full):
    name = f"t.p{level}_name IS NOT NULL"
    return name if full else f"({name} AND t.p{level}_status = 'published')"


def pg_row_sql(rows_sql, fields, types, full_places, *, keys=False):
    """(sql, params) of ACLED's rows, `fields` as text columns, from acled_rows' rows
    (`rows_sql`, with sides=True) on PostgreSQL: row_of in SQL, for COPY. `types` from
    event_types; `full_places` whether the viewer sees every place; `keys` adds the
    rows' order (_date, _id)."""
    shown = [_shown_sql(level, full_places) for level in range(PLACE_LEVELS)]
    place_shown = shown[0]

    def admin(kind):
        levels = [
            f"WHEN {shown[i]} AND t.p{i}_kind = '{kind}' THEN t.p{i}_name"
            for i in range(PLACE_LEVELS)
        ]
        return f"CASE WHEN {place_shown} THEN CASE {' '.join(levels)} ELSE '' END ELSE '' END"

    code = f"(CASE WHEN {place_shown} THEN t.x_country ELSE '' END)"
    inter1, inter2 = "NULLIF(t.x_participants[3], '')::int", "NULLIF(t.x_participants[6], '')"
    span = "(t.date_end - t.date_start)"
    columns = {
        "event_id_cnty": "COALESCE(t.x_id, '')",
        "event_date": "COALESCE(t.date_start::text, '')",
        "year": "COALESCE(extract(year FROM t.date_start)::int::text, '')",
        "time_precision": "CASE WHEN t.date_start IS NULL THEN '' "
        "WHEN t.date_precision = 'day' THEN '1' "
        f"WHEN t.date_end IS NOT NULL AND {span} < 7 THEN '2' ELSE '3' END",
        "disorder_type": "COALESCE(k.types -> t.event_type_id::text ->> 2, '')",
        "event_type": "COALESCE(k.types -> t.event_type_id::text ->> 0, '')",
        "sub_event_type": "COALESCE(k.types -> t.event_type_id::text ->> 1, '')",
        "actor1": "t.x_participants[1]",
        "assoc_actor_1": "t.x_participants[2]",
        "inter1": "t.x_participants[3]",
        "actor2": "t.x_participants[4]",
        "assoc_actor_2": "t.x_participants[5]",
        "inter2": "t.x_participants[6]",
        "interaction": f"CASE WHEN t.x_participants[1] = '' THEN '' "
        f"WHEN {inter2} IS NULL THEN ({inter1} * 10)::text "
        f"ELSE (least({inter1}, {inter2}::int) * 10 + greatest({inter1}, {inter2}::int))::text "
        "END",
        "civilian_targeting": "t.civilian_targeting",
        "iso": f"k.countries -> {code} ->> 1",
        "region": f"COALESCE(k.countries -> {code} ->> 2, '')",
        "country": f"COALESCE(k.countries -> {code} ->> 0, '')",
        "admin1": admin(PlaceKind.ADMIN1),
        "admin2": admin(PlaceKind.ADMIN2),
        "admin3": admin(PlaceKind.ADMIN3),
        "location": f"CASE WHEN {place_shown} AND t.p0_kind <> '{PlaceKind.COUNTRY}' "
        "THEN t.p0_name ELSE '' END",
        "latitude": f"CASE WHEN {place_shown} THEN trim_scale(t.x_latitude)::text END",
        "longitude": f"CASE WHEN {place_shown} THEN trim_scale(t.x_longitude)::text END",
        "geo_precision": "NULLIF(t.geo_precision, 0)::text",
        "source": "COALESCE(NULLIF(t.acled_source, ''), t.x_outlets, '')",
        "source_scale": "t.source_scale",
        "notes": "t.summary",
        "fatalities": "t.fatalities_best::text",
        "tags": "t.tags",
        "timestamp": "floor(extract(epoch FROM t.updated_at))::bigint::text",
    }
    select = ", ".join(f'{columns[f]} AS "{f}"' for f in fields)
    if keys:
        select += ', t.date_start AS "_date", t.id AS "_id"'
    # The lookups Python holds (types, countries) come as two JSON parameters, after
    # the rows' own.
    sql = (
        f"SELECT {select} FROM ({rows_sql}) AS t, "
        "(SELECT %s::jsonb AS types, %s::jsonb AS countries) AS k"
    )
    return sql, (_types_json(types), _countries_json())


def _types_json(types):
    return orjson.dumps({str(pk): names for pk, names in types.items()}).decode()


@functools.cache
def _countries_json():
    """{alpha-2: [ACLED's name, ISO numeric or null, ACLED region name]} of every
    country, as row_of derives them."""
    table = {}
    for code, _name in countries:
        numeric = iso_numeric(code)
        region = REGION_OF_COUNTRY.get(code)
        table[code] = [
            country_name(code),
            str(numeric) if numeric is not None else None,
            REGIONS.get(region, "") if region else "",
        ]
    return orjson.dumps(table).decode()


def monadic(rows):
    """Dyadic rows (row_of's) as ACLED's monadic rows: side 1 in a row, then side 2 in
    a row of its own (actor2 as actor1); an event with no actor is one row."""
    for row in rows:
        if row["actor1"] or not row["actor2"]:
            yield row
        if row["actor2"]:
            yield row | {one: row[two] for one, two in SIDE_2_FIELDS.items()}


def pg_monadic_sql(dyadic_sql, fields, limit, offset):
    """monadic() in SQL, over pg_row_sql's rows (every field, with keys=True), paged
    by its rows (`limit` 0: every row)."""
    columns = ", ".join(
        f'CASE WHEN s.side = 1 THEN d."{f}" ELSE d."{SIDE_2_FIELDS[f]}" END AS "{f}"'
        if f in SIDE_2_FIELDS
        else f'd."{f}"'
        for f in fields
    )
    sql = (
        f"SELECT {columns} FROM ({dyadic_sql}) AS d "
        "CROSS JOIN LATERAL (VALUES (1), (2)) AS s(side) "
        "WHERE (s.side = 1 AND (d.actor1 <> '' OR d.actor2 = '')) "
        "OR (s.side = 2 AND d.actor2 <> '') "
        "ORDER BY d._date DESC, d._id DESC, s.side"
    )
    if limit:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return sql


# -- the row's actor columns in SQL, for the filters -------------------------------------


class _CodepointOrder(Func):
    """A text column compared by code point, as Python orders the row's actors (a
    database's collation may order names differently)."""

    template = '%(expressions)s COLLATE "C"'
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(expressions)s COLLATE BINARY")


def _actor_type_sql():
    """actor_type (above) of a participation's actor."""
    return Coalesce(
        F("actor__acled_actor_type"),
        Case(
            *(When(actor__kind=kind, then=Value(int(t))) for kind, t in ACLED_TYPE_OF_KIND.items()),
            default=Value(int(AcledActorType.EXTERNAL_OTHER)),
        ),
        output_field=IntegerField(),
    )


def _side(viewer, event, roles):
    """The event's participations the viewer sees in `roles`, in the row's order (role,
    then actor name, then type), with their `acled_type`."""
    participant = Event.participants.rel.related_model
    return (
        participant.objects.filter(viewer.q(participant), event=event, role__in=roles)
        .annotate(
            acled_rank=Case(
                *(When(role=role, then=Value(rank)) for role, rank in ROLE_ORDER.items()),
                output_field=IntegerField(),
            ),
            acled_type=_actor_type_sql(),
        )
        .order_by("acled_rank", _CodepointOrder(F("actor__name")), "acled_type")
    )


def _event(depth):
    """The event's pk from a subquery `depth` levels below the Event query."""
    ref = OuterRef("pk")
    for _ in range(depth):
        ref = OuterRef(ref)
    return ref


def first_of_side_1(viewer, depth=0):
    """The participation that is the row's actor1: the first initiator or speaker, else
    the first party."""
    return _side(viewer, _event(depth), (*SIDE_ROLES[0], PARTY))[:1]


def side_1_others(viewer, depth=0):
    """The participations in the row's assoc_actor_1: side 1 but actor1 (a party is
    on side 1 only as actor1)."""
    actor1 = first_of_side_1(viewer, depth + 1).values("pk")
    return _side(viewer, _event(depth), SIDE_ROLES[0]).exclude(pk=Subquery(actor1))


def side_2(viewer, depth=0):
    """The participations on the row's side 2: targets and subjects, then every party
    but the one that is actor1."""
    actor1 = first_of_side_1(viewer, depth + 1).values("pk")
    return _side(viewer, _event(depth), (*SIDE_ROLES[1], PARTY)).filter(
        Q(role__in=SIDE_ROLES[1]) | ~Q(pk=Subquery(actor1))
    )


def side_2_others(viewer, depth=0):
    """The participations in the row's assoc_actor_2: side 2 but actor2."""
    actor2 = side_2(viewer, depth + 1)[:1].values("pk")
    return side_2(viewer, depth).exclude(pk=Subquery(actor2))


def interaction_code(inter1, inter2):
    """The row's interaction as a number: the two types lower first, or inter1 and 0
    without an actor2 (inter2 0)."""
    low, high = sorted((inter1, inter2)) if inter2 else (inter1, 0)
    return low * 10 + high


ACTOR_TYPES = tuple(int(t) for t in AcledActorType)


def inter_sql(viewer):
    """(inter1, inter2, pair) as SQL expressions over an Event: inter1 and inter2 are the
    row's values as numbers (null where the row's are empty), each a correlated subquery
    a row; pair is inter1 * 10 + inter2 (inter2 0 when null), from which the interaction
    filter picks the pairs whose interaction_code matches, so that each subquery is
    written once."""
    inter1 = Subquery(first_of_side_1(viewer).values("acled_type"), output_field=IntegerField())
    inter2 = Subquery(side_2(viewer)[:1].values("acled_type"), output_field=IntegerField())
    pair = ExpressionWrapper(inter1 * 10 + Coalesce(inter2, 0), output_field=IntegerField())
    return inter1, inter2, pair


def _decimal_text(value):
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def row_of(values, types, show_places):
    """ACLED's row (every field, strings; None where we have no number) from acled_rows'
    values. `types` from event_types; `show_places(status)` tells a place the viewer sees."""
    v = values
    chain = [
        (v[f"p{i}_name"], v[f"p{i}_kind"])
        for i in range(PLACE_LEVELS)
        if v[f"p{i}_name"] is not None and show_places(v[f"p{i}_status"])
    ]
    place_shown = v["p0_name"] is not None and show_places(v["p0_status"])
    if not place_shown:
        chain = []
    admin = {kind: name for name, kind in reversed(chain)}
    code = v["x_country"] if place_shown else ""
    one, two = sides(v["x_participants"])
    inter1 = one[0][1] if one else 0
    inter2 = two[0][1] if two else 0
    start = v["date_start"]
    type_names = types.get(v["event_type_id"], ("", "", ""))
    region = REGION_OF_COUNTRY.get(code) if code else None
    numeric = iso_numeric(code)
    location = ""
    if chain and chain[0][1] != PlaceKind.COUNTRY:
        location = chain[0][0]
    return {
        "event_id_cnty": v["x_id"] or "",
        "event_date": start.isoformat() if start else "",
        "year": str(start.year) if start else "",
        "time_precision": time_precision(start, v["date_end"], v["date_precision"]),
        "disorder_type": type_names[2],
        "event_type": type_names[0],
        "sub_event_type": type_names[1],
        "actor1": one[0][0] if one else "",
        "assoc_actor_1": LIST_SEPARATOR.join(name for name, _ in one[1:]),
        "inter1": str(inter1) if one else "",
        "actor2": two[0][0] if two else "",
        "assoc_actor_2": LIST_SEPARATOR.join(name for name, _ in two[1:]),
        "inter2": str(inter2) if two else "",
        "interaction": str(interaction_code(inter1, inter2)) if one else "",
        "civilian_targeting": v["civilian_targeting"],
        "iso": str(numeric) if numeric is not None else None,
        "region": REGIONS.get(region, "") if region else "",
        "country": country_name(code),
        "admin1": admin.get(PlaceKind.ADMIN1, ""),
        "admin2": admin.get(PlaceKind.ADMIN2, ""),
        "admin3": admin.get(PlaceKind.ADMIN3, ""),
        "location": location,
        "latitude": _decimal_text(v["x_latitude"]) if place_shown else None,
        "longitude": _decimal_text(v["x_longitude"]) if place_shown else None,
        "geo_precision": str(v["geo_precision"]) if v["geo_precision"] else None,
        "source": v["acled_source"] or v["x_outlets"] or "",
        "source_scale": v["source_scale"],
        "notes": v["summary"],
        "fatalities": str(v["fatalities_best"]) if v["fatalities_best"] is not None else None,
        "tags": v["tags"],
        "timestamp": str(int(v["updated_at"].timestamp())),
    }


# -- query parameters -------------------------------------------------------------------

OPERATORS = ("=", ">", "<", ">=", "<=", "BETWEEN", "LIKE")
# Parameters of every endpoint: ACLED's legacy credentials (accepted and ignored:
# published data needs no key, and a key must not land in access logs) and the format.
COMMON_PARAMETERS = ("key", "email", "_format", "terms")
PAGING_PARAMETERS = ("limit", "page", "with_total", "fields", "export_type")


def _date(parameter, text):
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise AcledQueryError(parameter, f"{text!r} is not a date (yyyy-mm-dd).") from None


def _int(parameter, text):
    try:
        return int(text.strip())
    except ValueError:
        raise AcledQueryError(parameter, f"{text!r} is not a whole number.") from None


def _decimal(parameter, text):
    try:
        number = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise AcledQueryError(parameter, f"{text!r} is not a number.")
    return number


def _timestamp(parameter, text):
    """Unix seconds, or a date (its first second, UTC)."""
    text = text.strip()
    if text.isdigit():
        return datetime.datetime.fromtimestamp(int(text), tz=datetime.UTC)
    day = _date(parameter, text)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


_COMPARISONS = {
    "=": ("", lookups.Exact),
    ">": ("__gt", lookups.GreaterThan),
    "<": ("__lt", lookups.LessThan),
    ">=": ("__gte", lookups.GreaterThanOrEqual),
    "<=": ("__lte", lookups.LessThanOrEqual),
}


def compare(parameter, lookup, op, value, parse):
    """Q for `lookup` OP `value`: `lookup` a number or date field's path, or an
    expression (null matches nothing)."""

    def q(op, value):
        suffix, comparison = _COMPARISONS[op]
        if isinstance(lookup, str):
            return Q(**{f"{lookup}{suffix}": value})
        return Q(comparison(lookup, value))

    if op == "BETWEEN":
        parts = value.split("|")
        if len(parts) != 2:
            raise AcledQueryError(parameter, "BETWEEN takes two values: low|high.")
        return q(">=", parse(parameter, parts[0])) & q("<=", parse(parameter, parts[1]))
    if op == "LIKE":
        raise AcledQueryError(f"{parameter}_where", "LIKE matches text fields only.")
    return q(op, parse(parameter, value))


def comparison(parameter, op, value, parse):
    """compare() in Python: a predicate on a number."""
    if op == "BETWEEN":
        parts = value.split("|")
        if len(parts) != 2:
            raise AcledQueryError(parameter, "BETWEEN takes two values: low|high.")
        low, high = parse(parameter, parts[0]), parse(parameter, parts[1])
        return lambda x: low <= x <= high
    if op == "LIKE":
        raise AcledQueryError(f"{parameter}_where", "LIKE matches text fields only.")
    wanted = parse(parameter, value)
    return {
        "=": lambda x: x == wanted,
        ">": lambda x: x > wanted,
        "<": lambda x: x < wanted,
        ">=": lambda x: x >= wanted,
        "<=": lambda x: x <= wanted,
    }[op]


def text_match(parameter, lookup, op, value):
    """Q for a text field (its path, or an expression): LIKE is a case-insensitive
    substring ('%' wildcards of an ACLED pattern are dropped), = a case-insensitive
    equality."""
    if op == "LIKE":
        if isinstance(lookup, str):
            return Q(**{f"{lookup}__icontains": value.strip("%")})
        return Q(lookups.IContains(lookup, value.strip("%")))
    if op == "=":
        if isinstance(lookup, str):
            return Q(**{f"{lookup}__iexact": value})
        return Q(lookups.IExact(lookup, value))
    raise AcledQueryError(f"{parameter}_where", f"{op} does not apply to text; use = or LIKE.")


def _names_match(op, value, name):
    if op == "LIKE":
        return value.strip("%").casefold() in name.casefold()
    return value.casefold() == name.casefold()


class EventFilters:
    """ACLED's event filters, each with its default match, as Q objects on Event."""

    DEFAULT_OP = {
        "event_id_cnty": "LIKE",
        "event_date": "=",
        "year": "=",
        "time_precision": "=",
        "disorder_type": "LIKE",
        "event_type": "LIKE",
        "sub_event_type": "LIKE",
        "actor1": "LIKE",
        "actor2": "LIKE",
        "assoc_actor_1": "LIKE",
        "assoc_actor_2": "LIKE",
        "inter1": "=",
        "inter2": "=",
        "interaction": "=",
        "civilian_targeting": "LIKE",
        "iso": "=",
        "region": "=",
        "country": "=",
        "admin1": "LIKE",
        "admin2": "LIKE",
        "admin3": "LIKE",
        "location": "LIKE",
        "latitude": "=",
        "longitude": "=",
        "geo_precision": "=",
        "source": "LIKE",
        "source_scale": "LIKE",
        "notes": "LIKE",
        "fatalities": "=",
        "tags": "LIKE",
        # For incremental sync: the rows changed since then.
        "timestamp": ">=",
    }

    def __init__(self, viewer, types):
        self.viewer = viewer
        self.types = types

    def q(self, field, op, value):
        method = getattr(self, f"q_{field}", None)
        return method(field, op, value)

    def q_event_id_cnty(self, field, op, value):
        ids = EventIdentifier.objects.filter(
            text_match(field, "value", op, value), scheme=IdentifierScheme.ACLED
        )
        return Q(pk__in=ids.values("event_id"))

    def q_event_date(self, field, op, value):
        return compare(field, "date_start", op, value, _date)

    def q_year(self, field, op, value):
        return compare(field, "date_start__year", op, value, _int)

    def q_time_precision(self, field, op, value):
        return compare(field, time_precision_expression(), op, value, _int)

    def q_timestamp(self, field, op, value):
        return compare(field, "updated_at", op, value, _timestamp)

    def q_fatalities(self, field, op, value):
        return compare(field, "fatalities_best", op, value, _int)

    def q_latitude(self, field, op, value):
        # The row shows a hidden place's coordinates as null: they match nothing.
        return compare(field, "place__latitude", op, value, _decimal) & self.viewer.q(
            Place, "place__"
        )

    def q_longitude(self, field, op, value):
        return compare(field, "place__longitude", op, value, _decimal) & self.viewer.q(
            Place, "place__"
        )

    def q_inter1(self, field, op, value):
        return compare(field, inter_sql(self.viewer)[0], op, value, _int)

    def q_inter2(self, field, op, value):
        return compare(field, inter_sql(self.viewer)[1], op, value, _int)

    def q_interaction(self, field, op, value):
        holds = comparison(field, op, value, _int)
        pairs = [
            one * 10 + two
            for one in ACTOR_TYPES
            for two in (0, *ACTOR_TYPES)
            if holds(interaction_code(one, two))
        ]
        return Q(lookups.In(inter_sql(self.viewer)[2], pairs)) if pairs else Q(pk__in=[])

    def q_geo_precision(self, field, op, value):
        return compare(field, "geo_precision", op, value, _int)

    def _types(self, field, op, value, index):
        if op not in ("=", "LIKE"):
            raise AcledQueryError(f"{field}_where", f"{op} does not apply to text; use = or LIKE.")
        return Q(
            event_type_id__in=[
                pk for pk, names in self.types.items() if _names_match(op, value, names[index])
            ]
        )

    def q_event_type(self, field, op, value):
        return self._types(field, op, value, 0)

    def q_sub_event_type(self, field, op, value):
        return self._types(field, op, value, 1)

    def q_disorder_type(self, field, op, value):
        return self._types(field, op, value, 2)

    def _countries(self, codes):
        # The event's copy of its place's country (an index in date order); the place
        # must be one the viewer sees, as the row shows a hidden place's country empty.
        return Q(country__in=codes) & self.viewer.q(Place, "place__")

    def q_country(self, field, op, value):
        if op == "LIKE":
            codes = [c for c, _ in countries if _names_match(op, value, country_name(c))]
            return self._countries(codes)
        if op != "=":
            raise AcledQueryError(f"{field}_where", f"{op} does not apply to text; use = or LIKE.")
        code = country_code(value)
        if code is None:
            raise AcledQueryError(field, f"{value!r} is not a country name.")
        return self._countries([code])

    def q_iso(self, field, op, value):
        number = _int(field, value)
        if op != "=":
            raise AcledQueryError(f"{field}_where", "iso takes = only.")
        return self._countries([c for c, _ in countries if countries.numeric(c) == number])

    def q_region(self, field, op, value):
        region = _int(field, value)
        if op != "=":
            raise AcledQueryError(f"{field}_where", "region takes = only.")
        return self._countries([c for c, r in REGION_OF_COUNTRY.items() if r == region])

    def _places(self, field, op, value, kinds):
        places = Place.objects.filter(self.viewer.q(Place), text_match(field, "name", op, value))
        if kinds:
            places = places.filter(kind__in=kinds)
            paths = list(places.values_list("path", flat=True)[:1000])
            q = Q(pk__in=[])
            for path in paths:
                q |= Q(place_path__startswith=path)
            return q & self.viewer.q(Place, "place__")
        return Q(place__in=places.exclude(kind=PlaceKind.COUNTRY)) & self.viewer.q(Place, "place__")

    def q_admin1(self, field, op, value):
        return self._places(field, op, value, [PlaceKind.ADMIN1])

    def q_admin2(self, field, op, value):
        return self._places(field, op, value, [PlaceKind.ADMIN2])

    def q_admin3(self, field, op, value):
        return self._places(field, op, value, [PlaceKind.ADMIN3])

    def q_location(self, field, op, value):
        return self._places(field, op, value, None)

    # An actor column matches its own names only (the row's, visibility included);
    # an assoc_actor column matches when one of its actors' names does.

    def q_actor1(self, field, op, value):
        name = Subquery(first_of_side_1(self.viewer).values("actor__name"))
        return text_match(field, name, op, value)

    def q_actor2(self, field, op, value):
        name = Subquery(side_2(self.viewer)[:1].values("actor__name"))
        return text_match(field, name, op, value)

    def q_assoc_actor_1(self, field, op, value):
        others = side_1_others(self.viewer)
        return Q(Exists(others.filter(text_match(field, "actor__name", op, value))))

    def q_assoc_actor_2(self, field, op, value):
        others = side_2_others(self.viewer)
        return Q(Exists(others.filter(text_match(field, "actor__name", op, value))))

    def q_notes(self, field, op, value):
        return text_match(field, "summary", op, value)

    def q_tags(self, field, op, value):
        return text_match(field, "tags", op, value)

    def q_civilian_targeting(self, field, op, value):
        return text_match(field, "civilian_targeting", op, value)

    def q_source_scale(self, field, op, value):
        return text_match(field, "source_scale", op, value)

    def q_source(self, field, op, value):
        outlets = Outlet.objects.filter(self.viewer.q(Outlet), text_match(field, "name", op, value))
        cited = Event.citations.rel.related_model.objects.filter(
            Q(document__outlet__in=outlets) & self.viewer.q(Document, "document__")
        )
        return text_match(field, "acled_source", op, value) | Q(
            acled_source="", pk__in=cited.values("event_id")
        )


def parse_filters(params, filters, *, defaults, allowed):
    """A Q from ACLED filter parameters: `params` a QueryDict; `defaults` {field:
    default operator}; `allowed` the other parameters. An unknown parameter is an
    AcledQueryError naming it. `field=a:OR:b` and `field=a:OR:other=b` OR their terms."""
    for name in params:
        base = name.removesuffix("_where")
        if name in allowed or name in defaults or (name != base and base in defaults):
            continue
        raise AcledQueryError(name, "unknown parameter (or not a filter this API supports).")
    q = Q()
    for field, default in defaults.items():
        if field not in params:
            continue
        op = params.get(f"{field}_where", default).strip().upper() or default
        if op not in OPERATORS:
            raise AcledQueryError(f"{field}_where", f"use one of {', '.join(OPERATORS)}.")
        terms = Q()
        for k, term in enumerate(params.get(field).split(":OR:")):
            other, sep, rest = term.partition("=")
            if k and sep and other in defaults:
                term_op = params.get(f"{other}_where", defaults[other]).strip().upper()
                if term_op not in OPERATORS:
                    raise AcledQueryError(f"{other}_where", f"use one of {', '.join(OPERATORS)}.")
                terms |= filters.q(other, term_op, rest)
            else:
                terms |= filters.q(field, op, term)
        q &= terms
    return q


def parse_paging(params, default_limit=5000):
    """(limit, page, with_total): limit 0 means every row."""
    limit = _int("limit", params.get("limit", str(default_limit)))
    page = _int("page", params.get("page", "1"))
    if limit < 0:
        raise AcledQueryError("limit", "give 0 (every row) or more.")
    if page < 1:
        raise AcledQueryError("page", "pages count from 1.")
    with_total = params.get("with_total", "false").strip().lower()
    if with_total not in ("true", "false", "1", "0"):
        raise AcledQueryError("with_total", "give true or false.")
    return limit, page, with_total in ("true", "1")


def parse_fields(params, available):
    if "fields" not in params:
        return available
    fields = [f.strip() for f in params["fields"].split("|") if f.strip()]
    unknown = [f for f in fields if f not in available]
    if unknown or not fields:
        raise AcledQueryError("fields", f"unknown field {', '.join(unknown) or '(none)'}.")
    return tuple(fields)
