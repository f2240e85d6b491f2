"""Streaming export of a filtered event list, without a page limit, in constant memory:
CSV, NDJSON (one JSON object a line) or GeoJSON (one FeatureCollection, a Feature a
line).

On PostgreSQL the rows are produced by the database itself (COPY … TO STDOUT, inside a
REPEATABLE READ READ ONLY transaction that also counts them, so the count and the rows
agree); on SQLite they are written in Python from a chunked iterator. Both give the
same columns and the same text. NDJSON and GeoJSON carry the flat columns typed
(conflictapi.api.renderers.flat_value): a list is the CSV's `|`-joined text there too,
so that a CSV and an NDJSON export read into the same table.

A client tells a complete export from a cut one by the `X-Row-Count` header, sent
before the first row: the rows the export holds, against the rows it received (a cut
GeoJSON export is also invalid JSON, and a cut chunked response lacks its last chunk).
"""

import csv
import io

import orjson
from django.db import connections, transaction
from django.db.models import Case, CharField, F, FilteredRelation, Q, Value, When
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse

from actors.models import Actor
from conflictapi.api.renderers import feature, flat_text, flat_value
from conflictapi.models import Status
from events.models import EventType, IdentifierScheme, Place

# The participant columns list actor slugs, actor names and roles in the order of the
# API (role, then actor name), joined by "|". PostgreSQL reads an event's participants
# once for all three (an array of the three strings; the index lookup is most of an
# export's time).
_PARTICIPANTS = {
    "postgresql": (
        "SELECT ARRAY[string_agg(a.slug, '|' ORDER BY p.role, a.name, a.id), "
        "string_agg(a.name, '|' ORDER BY p.role, a.name, a.id), "
        "string_agg(p.role, '|' ORDER BY p.role, a.name, a.id)] "
        "FROM events_eventparticipant p "
        "JOIN actors_actor a ON a.id = p.actor_id WHERE p.event_id = events_event.id{extra}"
    ),
    "sqlite": (
        "SELECT group_concat(v, '|') FROM (SELECT {col} AS v FROM events_eventparticipant p "
        "JOIN actors_actor a ON a.id = p.actor_id WHERE p.event_id = events_event.id{extra} "
        "ORDER BY p.role, a.name, a.id)"
    ),
}
# Readers who may not see unpublished actors see only published ones among the
# participants (conflictapi.visibility).
_PUBLISHED_ACTORS = " AND a.status = 'published'"
# Timestamps as the flat formats write them (conflictapi.api.renderers.flat_text): by
# the database on PostgreSQL, where COPY writes the rows; in Python on SQLite.
_PG_UPDATED_AT = (
    "to_char(events_event.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
)

# The flat columns of an event, in the list's CSV and in the export, with the path of
# each in the event's JSON (conflictapi.api.renderers.pluck): one declaration, so the
# two cannot drift; tests/api/test_format_agreement.py holds every format to it.
FLAT_COLUMNS = (
    ("id", "id"),
    ("title", "title"),
    ("event_type", "event_type.slug"),
    ("date", "date"),
    ("date_start", "date_start"),
    ("date_end", "date_end"),
    ("date_precision", "date_precision"),
    ("place", "place.slug"),
    ("place_name", "place.name"),
    ("country", "country"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("geo_precision", "geo_precision"),
    ("fatalities_low", "fatalities_low"),
    ("fatalities_best", "fatalities_best"),
    ("fatalities_high", "fatalities_high"),
    ("actors", "participants[].actor.slug"),
    ("actor_names", "participants[].actor.name"),
    ("roles", "participants[].role"),
    ("status", "status"),
    ("updated_at", "updated_at"),
    # The key ACLED's own rows carry (event_id_cnty), which hold no id of ours: the
    # column joins this table to them. (UCDP's rows carry ours, as relid.)
    ("acled_id", "identifiers[scheme=acled].value"),
)
COLUMNS = tuple(name for name, _path in FLAT_COLUMNS)
# The columns of the participants subquery, in its order (consecutive in COLUMNS).
PARTICIPANT_COLUMNS = {"actors": "a.slug", "actor_names": "a.name", "roles": "p.role"}
# Columns that are not text in PostgreSQL's rows (export_queryset): the rest is text,
# and null in the typed formats where it is empty, as flat_value makes it on SQLite.
_PG_NOT_TEXT = {
    "id",
    "date_start",
    "date_end",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "geojson": "application/geo+json",
}
FORMATS = tuple(CONTENT_TYPES)
_GEOJSON_HEAD = b'{"type":"FeatureCollection","features":[\n'
_GEOJSON_TAIL = b"\n]}\n"


# Export columns of the event's place, and the place's fields they hold.
PLACE_COLUMNS = {
    "place": "slug",
    "place_name": "name",
    "country": "country",
    "latitude": "latitude",
    "longitude": "longitude",
}
# Export columns of the event's identifiers, and the scheme each holds.
IDENTIFIER_COLUMNS = {"acled_id": IdentifierScheme.ACLED}
# What a retracted event's row shows to readers who may not see its content.
TOMBSTONE_COLUMNS = ("id", "status", "updated_at")

# Bytes passed to the server per write when the database streams the rows.
EXPORT_BLOCK_BYTES = 64 * 1024


def _shown(value, relation, viewer, model):
    """A related record's column, null where the viewer may not see the record."""
    if viewer.full(model):
        return value
    return Case(When(**{f"{relation}__status": Status.PUBLISHED}, then=value), default=None)


def export_queryset(queryset, vendor, *, viewer, tombstones=False):
    """The export's rows as a values_list: COLUMNS, except that on PostgreSQL the
    PARTICIPANT_COLUMNS come as one array column, `participants` (see _pg_rows_sql). What the
    viewer may not see is null (a hidden place or type) or left out (a hidden actor);
    `tombstones` leaves every column null but id, status and updated_at."""
    extra = "" if viewer.full(Actor) else _PUBLISHED_ACTORS
    if tombstones:
        extra = " AND 1 = 0"  # no participants
    participants = _PARTICIPANTS[vendor].replace("{extra}", extra)
    if vendor == "postgresql":
        cast = {"x_participants": RawSQL(participants, ())}
    else:
        cast = {
            f"x_{name}": RawSQL(participants.format(col=col), ())
            for name, col in PARTICIPANT_COLUMNS.items()
        }
    annotations = {
        "x_event_type": _shown(F("event_type__slug"), "event_type", viewer, EventType),
        **{
            f"x_{column}": _shown(F(f"place__{field}"), "place", viewer, Place)
            for column, field in PLACE_COLUMNS.items()
        },
        **{f"x_{column}": F(f"x_{column}_row__value") for column in IDENTIFIER_COLUMNS},
        **cast,
        "x_updated_at": RawSQL(_PG_UPDATED_AT, ()) if vendor == "postgresql" else F("updated_at"),
    }
    if tombstones:
        annotations = {
            f"x_{name}": Value(None, output_field=CharField())
            for name in _columns(vendor)
            if name not in TOMBSTONE_COLUMNS and f"x_{name}" not in cast
        } | {key: annotations[key] for key in (*cast, "x_updated_at")}
    # A column is the event's own field, or the annotation x_<column>.
    fields = [f"x_{name}" if f"x_{name}" in annotations else name for name in _columns(vendor)]
    # The identifiers by a join (one row a scheme, by constraint), not a subquery a row:
    # over a large export PostgreSQL then reads them in one pass, not an index lookup
    # an event. A tombstone shows none.
    joins = {
        f"x_{column}_row": FilteredRelation("identifiers", condition=Q(identifiers__scheme=scheme))
        for column, scheme in IDENTIFIER_COLUMNS.items()
        if not tombstones
    }
    return (
        queryset.order_by()
        .annotate(**joins)
        .annotate(**annotations)
        .order_by("-date_start", "-id")
        .values_list(*fields)
    )


def _columns(vendor):
    if vendor != "postgresql":
        return COLUMNS
    i = COLUMNS.index(next(iter(PARTICIPANT_COLUMNS)))
    return (*COLUMNS[:i], "participants", *COLUMNS[i + len(PARTICIPANT_COLUMNS) :])


def _csv_line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue().encode()


def _typed_row(values):
    return {name: flat_value(value) for name, value in zip(COLUMNS, values, strict=True)}


def _python_line(values, fmt):
    """A row of export_queryset (SQLite) as a line of the export."""
    if fmt == "csv":
        return _csv_line([flat_text(v) for v in values])
    if fmt == "ndjson":
        return orjson.dumps(_typed_row(values)) + b"\n"
    return orjson.dumps(feature(_typed_row(values))) + b"\n"


def _pg_rows_sql(inner_sql, fmt):
    """COLUMNS from the rows of export_queryset: as they are for CSV; typed for NDJSON,
    each row one compact JSON object (row_to_json: no spaces, as orjson writes on
    SQLite, and ~9% fewer bytes than json_build_object's `"key" : value`); for
    GeoJSON, each row one Feature with those properties."""
    typed = fmt != "csv"
    values = []
    for name in COLUMNS:
        if name in PARTICIPANT_COLUMNS:
            value = f"t.participants[{list(PARTICIPANT_COLUMNS).index(name) + 1}]"
        elif name in ("latitude", "longitude"):
            # As the flat formats write decimals: 35.61, not 35.610000; and in JSON
            # as Python writes a float, 35.0, not 35 (so that readers that type a
            # column by its values, GDAL's among them, see decimals).
            value = f"trim_scale(t.{name}::numeric)"
            if typed:
                value = f"round(t.{name}::numeric, greatest(scale({value}), 1))"
        elif typed and name not in _PG_NOT_TEXT:
            value = f"NULLIF(t.{name}, '')"
        else:
            value = f"t.{name}"
        values.append(f"{value} AS {name}")
    select = (
        f"SELECT {', '.join(values)} FROM ({inner_sql}) AS t({', '.join(_columns('postgresql'))})"
    )
    if fmt == "csv":
        return select
    if fmt == "ndjson":
        return f"SELECT row_to_json(r) FROM ({select}) AS r"
    # As conflictapi.api.renderers.feature builds it, as text around the properties'
    # row_to_json (json_build_object for the whole Feature: 0.50x COPY on all rows at 1M
    # events, against 0.55x so).
    return (
        """SELECT '{"type":"Feature","id":"' || r.id || '","geometry":' || """
        """COALESCE('{"type":"Point","coordinates":[' || r.longitude || ',' || r.latitude """
        """|| ']}', 'null') || ',"properties":' || row_to_json(r)::text || '}' """
        f"FROM ({select}) AS r"
    )


def copy_lines(connection, sql, params, *, json):
    """The rows of `sql` written by PostgreSQL (COPY … TO STDOUT): one line a row, each
    ending in "\n"; CSV, or with `json` its one column (a JSON document) as it is."""
    options = "FORMAT csv"
    if json:
        # The odd QUOTE/DELIMITER keep COPY from quoting what the JSON functions
        # already escaped.
        options += ", QUOTE E'\\x01', DELIMITER E'\\x02'"
    copy_sql = f"COPY ({sql}) TO STDOUT WITH ({options})"
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        # COPY sends one message a row (the protocol's CopyData), read one at a time.
        yield from copy


def _pg_lines(connection, rows_qs, fmt):
    """The export's lines, written by PostgreSQL (copy_lines)."""
    sql, params = rows_qs.query.sql_with_params()
    return copy_lines(connection, _pg_rows_sql(sql, fmt), params, json=fmt != "csv")


def _python_lines(rows_qs, fmt):
    for values in rows_qs.iterator(chunk_size=2000):
        yield _python_line(values, fmt)


def _blocks(lines, fmt):
    """The export's body from its lines: a header row for CSV, the FeatureCollection
    around GeoJSON's features (a comma between two); passed on in blocks, not one
    socket write (and HTTP chunk) a row."""
    block = bytearray()
    if fmt == "csv":
        block += _csv_line(COLUMNS)
    elif fmt == "geojson":
        block += _GEOJSON_HEAD
    separator = b""
    for line in lines:
        if fmt == "geojson":
            block += separator
            block += line[:-1]
            separator = b",\n"
        else:
            block += line
        if len(block) >= EXPORT_BLOCK_BYTES:
            yield bytes(block)
            block.clear()
    if fmt == "geojson":
        block += _GEOJSON_TAIL if separator else _GEOJSON_TAIL.lstrip(b"\n")
    if block:
        yield bytes(block)


def stream_export(queryset, fmt, *, viewer, tombstones=False, using="default"):
    """A StreamingHttpResponse with the export of `queryset` in `fmt` (one of FORMATS),
    as `viewer` may see it (`tombstones`: the rows are retractions shown as
    tombstones)."""
    connection = connections[using]
    vendor = connection.vendor
    rows_qs = export_queryset(queryset, vendor, viewer=viewer, tombstones=tombstones)

    # Hold one snapshot from the count to the last row (when the export owns the
    # transaction; inside an outer one, that one's isolation applies).
    owns_transaction = not connection.in_atomic_block
    atomic = transaction.atomic(using=using)
    atomic.__enter__()
    closed = False

    def close():
        nonlocal closed
        if not closed:
            closed = True
            atomic.__exit__(None, None, None)

    try:
        if vendor == "postgresql" and owns_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        total = queryset.order_by().count()
    except BaseException:
        close()
        raise

    def body():
        if vendor == "postgresql":
            lines = _pg_lines(connection, rows_qs, fmt)
        else:
            lines = _python_lines(rows_qs, fmt)
        try:
            yield from _blocks(lines, fmt)
        finally:
            # The rows' cursor (a COPY on PostgreSQL) ends before its transaction does.
            lines.close()
            close()

    response = StreamingHttpResponse(body(), content_type=CONTENT_TYPES[fmt])
    response["X-Row-Count"] = str(total)
    response["Content-Disposition"] = f'attachment; filename="events.{fmt}"'
    response._resource_closers.append(close)
    return response
