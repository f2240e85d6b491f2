"""Streaming export of a filtered event list, without a page limit, in constant memory.

On PostgreSQL the rows are produced by the database itself (COPY … TO STDOUT, inside a
REPEATABLE READ READ ONLY transaction that also counts them, so the count and the rows
agree); on SQLite they are written in Python from a chunked iterator. Both give the
same columns and the same text.

A client tells a complete export from a cut one by the `X-Row-Count` header (the rows
the export holds) and, in NDJSON, by the last line `{"complete": true, "rows": N}`.
"""

import csv
import io

import orjson
from django.db import connections, transaction
from django.db.models import Case, CharField, F, Value, When
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse

from actors.models import Actor
from conflictapi.api.renderers import flat_text
from conflictapi.models import Status
from events.models import EventType, Place

# The participant columns list actor slugs and roles in the order of the API (role,
# then actor name), joined by "|". PostgreSQL reads an event's participants once for
# both (an array of the two strings; the index lookup is most of an export's time).
_PARTICIPANTS = {
    "postgresql": (
        "SELECT ARRAY[string_agg(a.slug, '|' ORDER BY p.role, a.name), "
        "string_agg(p.role, '|' ORDER BY p.role, a.name)] FROM events_eventparticipant p "
        "JOIN actors_actor a ON a.id = p.actor_id WHERE p.event_id = events_event.id{extra}"
    ),
    "sqlite": (
        "SELECT group_concat(v, '|') FROM (SELECT {col} AS v FROM events_eventparticipant p "
        "JOIN actors_actor a ON a.id = p.actor_id WHERE p.event_id = events_event.id{extra} "
        "ORDER BY p.role, a.name)"
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
    ("roles", "participants[].role"),
    ("status", "status"),
    ("updated_at", "updated_at"),
)
COLUMNS = tuple(name for name, _path in FLAT_COLUMNS)


# Export columns of the event's place, and the place's fields they hold.
PLACE_COLUMNS = {
    "place": "slug",
    "place_name": "name",
    "country": "country",
    "latitude": "latitude",
    "longitude": "longitude",
}
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
    """The export's rows as a values_list: COLUMNS, except that on PostgreSQL actors
    and roles come as one array column, `participants` (see _pg_rows_sql). What the
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
            "x_actors": RawSQL(participants.format(col="a.slug"), ()),
            "x_roles": RawSQL(participants.format(col="p.role"), ()),
        }
    annotations = {
        "x_event_type": _shown(F("event_type__slug"), "event_type", viewer, EventType),
        **{
            f"x_{column}": _shown(F(f"place__{field}"), "place", viewer, Place)
            for column, field in PLACE_COLUMNS.items()
        },
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
    return (
        queryset.order_by()
        .annotate(**annotations)
        .order_by("-date_start", "-id")
        .values_list(*fields)
    )


def _columns(vendor):
    if vendor != "postgresql":
        return COLUMNS
    i = COLUMNS.index("actors")
    return (*COLUMNS[:i], "participants", *COLUMNS[i + 2 :])


def _csv_line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue().encode()


def _ndjson_row(values):
    row = dict(zip(COLUMNS, values, strict=True))
    for key in ("latitude", "longitude"):
        if row[key] is not None:
            row[key] = float(row[key])
    for key in ("actors", "roles"):
        row[key] = row[key].split("|") if row[key] else []
    row["updated_at"] = flat_text(row["updated_at"])
    return orjson.dumps(row) + b"\n"


def _pg_rows_sql(inner_sql, fmt):
    """COLUMNS from the rows of export_queryset: as they are for CSV, or each row as one
    compact JSON object for NDJSON (row_to_json: no spaces, as orjson writes on SQLite,
    and ~9% fewer bytes than json_build_object's `"key" : value`)."""
    values = []
    for name in COLUMNS:
        if name in ("actors", "roles"):
            value = f"t.participants[{1 if name == 'actors' else 2}]"
            if fmt == "ndjson":
                value = f"COALESCE(string_to_array({value}, '|'), ARRAY[]::text[])"
        elif name in ("latitude", "longitude"):
            # As the flat formats write decimals: 35.61, not 35.610000.
            value = f"t.{name}::float8" if fmt == "ndjson" else f"trim_scale(t.{name}::numeric)"
        else:
            value = f"t.{name}"
        values.append(f"{value} AS {name}")
    select = (
        f"SELECT {', '.join(values)} FROM ({inner_sql}) AS t({', '.join(_columns('postgresql'))})"
    )
    return select if fmt == "csv" else f"SELECT row_to_json(r) FROM ({select}) AS r"


def stream_export(queryset, fmt, *, viewer, tombstones=False, using="default"):
    """A StreamingHttpResponse with the export of `queryset` as csv or ndjson, as
    `viewer` may see it (`tombstones`: the rows are retractions shown as tombstones)."""
    connection = connections[using]
    vendor = connection.vendor
    rows_qs = export_queryset(queryset, vendor, viewer=viewer, tombstones=tombstones)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"

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
        try:
            if fmt == "csv":
                yield _csv_line(COLUMNS)
            if vendor == "postgresql":
                sql, params = rows_qs.query.sql_with_params()
                if fmt == "csv":
                    copy_sql = f"COPY ({_pg_rows_sql(sql, fmt)}) TO STDOUT WITH (FORMAT csv)"
                else:
                    # One JSON document a line; the odd QUOTE/DELIMITER keep COPY from
                    # quoting what row_to_json already escaped.
                    copy_sql = (
                        f"COPY ({_pg_rows_sql(sql, fmt)}) TO STDOUT "
                        "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
                    )
                with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
                    # COPY sends a message per row: pass them on in blocks, not one
                    # socket write (and HTTP chunk) per row.
                    block = bytearray()
                    for chunk in copy:
                        block += chunk
                        if len(block) >= EXPORT_BLOCK_BYTES:
                            yield bytes(block)
                            block.clear()
                    if block:
                        yield bytes(block)
            else:
                buffer = []
                for values in rows_qs.iterator(chunk_size=2000):
                    if fmt == "csv":
                        buffer.append(_csv_line([flat_text(v) for v in values]))
                    else:
                        buffer.append(_ndjson_row(values))
                    if len(buffer) >= 500:
                        yield b"".join(buffer)
                        buffer = []
                if buffer:
                    yield b"".join(buffer)
            if fmt == "ndjson":
                yield orjson.dumps({"complete": True, "rows": total}) + b"\n"
        finally:
            close()

    response = StreamingHttpResponse(body(), content_type=content_type)
    response["X-Row-Count"] = str(total)
    response["Content-Disposition"] = f'attachment; filename="events.{fmt}"'
    response._resource_closers.append(close)
    return response
