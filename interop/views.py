"""ACLED's read endpoints under /api/acled/ (README, "ACLED-compatible API")."""

import csv
import dataclasses
import io
import itertools

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Count, Max, Min
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from actors.models import Actor
from conflictapi.api.throttling import hold_while_streaming, take_export_slot
from conflictapi.models import Status
from conflictapi.visibility import viewer_of
from events.api import export
from events.models import Event, EventIdentifier, IdentifierScheme
from interop import acled
from interop.regions import REGION_OF_COUNTRY, REGIONS

# Bytes passed on per write of a streamed body.
BLOCK_BYTES = 64 * 1024


def error(parameter_error):
    body = {"status": 400, "success": False, "error": [{"message": str(parameter_error)}]}
    return HttpResponse(orjson.dumps(body), status=400, content_type="application/json")


def _text(value):
    return "" if value is None else value


def _csv_line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue().encode()


def row_lines(rows, fields, fmt):
    """Each row (a dict) as a line of `fmt`: a JSON object, or a CSV line."""
    for row in rows:
        if fmt == "csv":
            yield _csv_line([_text(row[f]) for f in fields])
        else:
            yield orjson.dumps({f: row[f] for f in fields}) + b"\n"


def copy_lines(connection, sql, params, fields, fmt):
    """The rows of `sql` (text columns `fields`) as lines of `fmt`, written by
    PostgreSQL (events.api.export.copy_lines), as row_lines writes them: an empty value
    is written unquoted in CSV, as Python's csv module writes it."""
    if fmt == "csv":
        columns = ", ".join(f"NULLIF(r.\"{f}\", '')" for f in fields)
        sql = f"SELECT {columns} FROM ({sql}) AS r"
    else:
        sql = f"SELECT row_to_json(r) FROM ({sql}) AS r"
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # A page's plan is costed far above jit_above_cost (its estimate counts the
        # rows the LIMIT never reads), and compiling it took a fifth of a 5,000-row page.
        cursor.execute("SET LOCAL jit = off")
        yield from export.copy_lines(connection, sql, params, json=fmt != "csv")


def stream(lines, fields, fmt, *, total=None):
    """ACLED's envelope around `lines` (row_lines or copy_lines), streamed in blocks:
    JSON with `count` after the data (the rows are counted as they go), or CSV with
    its header."""

    def body():
        block = bytearray()
        if fmt == "csv":
            block += _csv_line(fields)
        else:
            head = {"status": 200, "success": True}
            if total is not None:
                head["total_count"] = total
            block += orjson.dumps(head)[:-1] + b',"data":['
        count = 0
        for line in lines:
            if fmt == "csv":
                block += line
            else:
                if count:
                    block += b","
                block += line[:-1]
            count += 1
            if len(block) >= BLOCK_BYTES:
                yield bytes(block)
                block.clear()
        if fmt != "csv":
            block += b'],"count":' + str(count).encode() + b"}"
        yield bytes(block)

    if fmt == "csv":
        response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
        if total is not None:
            response["X-Total-Count"] = str(total)
        return response
    return StreamingHttpResponse(body(), content_type="application/json")


def _format(params):
    fmt = params.get("_format", "json").strip().lower() or "json"
    if fmt not in ("json", "csv"):
        raise acled.AcledQueryError("_format", "json or csv.")
    return fmt


@dataclasses.dataclass(frozen=True)
class Reading:
    """What every read takes alike: the format, the page and the fields asked for."""

    fmt: str
    limit: int
    page: int
    with_total: bool
    fields: tuple

    @property
    def offset(self):
        return (self.page - 1) * self.limit

    def page_of(self, rows):
        """This page of `rows` (a queryset or a list): every row when limit is 0."""
        if self.limit == 0:
            return rows
        return rows[self.offset : self.offset + self.limit]

    def page_of_iterator(self, rows):
        if self.limit == 0:
            return rows
        return itertools.islice(rows, self.offset, self.offset + self.limit)

    def stream(self, rows, total):
        """`rows` (dicts) in ACLED's envelope."""
        return stream(row_lines(rows, self.fields, self.fmt), self.fields, self.fmt, total=total)


ERROR_SCHEMA = inline_serializer(
    "AcledError",
    {
        "status": serializers.IntegerField(),
        "success": serializers.BooleanField(),
        "error": serializers.ListField(
            child=inline_serializer("AcledErrorMessage", {"message": serializers.CharField()})
        ),
    },
)


def envelope(name, fields, nullable=(), optional=()):
    row = inline_serializer(
        f"{name}Row",
        {
            f: serializers.CharField(
                allow_null=f in nullable, allow_blank=True, required=f not in optional
            )
            for f in fields
        },
    )
    return inline_serializer(
        name,
        {
            "status": serializers.IntegerField(),
            "success": serializers.BooleanField(),
            "count": serializers.IntegerField(),
            "total_count": serializers.IntegerField(required=False),
            "data": row.__class__(many=True),
        },
    )


COMMON = [
    OpenApiParameter("_format", str, enum=["json", "csv"], description="json (default) or csv."),
    OpenApiParameter("key", str, description="Legacy ACLED key: accepted and ignored."),
    OpenApiParameter("email", str, description="Legacy ACLED email: accepted and ignored."),
    OpenApiParameter("terms", str, description="Accepted and ignored."),
]
PAGING = [
    OpenApiParameter("limit", int, description="Rows a page (default 5000); 0: every row."),
    OpenApiParameter("page", int, description="Page, from 1."),
    OpenApiParameter("with_total", str, enum=["true", "false"], description="Add total_count."),
    OpenApiParameter("fields", str, description="Columns to return, '|'-separated."),
]


def filter_parameters(names):
    params = []
    for name in names:
        params.append(
            OpenApiParameter(
                name,
                str,
                description=f"ACLED filter (default match: "
                f"{acled.EventFilters.DEFAULT_OP.get(name, '>=')}); "
                "a:OR:b for either.",
            )
        )
        params.append(
            OpenApiParameter(
                f"{name}_where",
                str,
                enum=list(acled.OPERATORS),
                description=f"How {name} matches; BETWEEN takes low|high.",
            )
        )
    return params


def acled_schema(
    operation_id, summary, component, fields, nullable=(), *, filters=(), optional=(), extra=()
):
    """The schema of one of ACLED's read endpoints: its paging and filter parameters,
    ACLED's envelope of `fields` (JSON) or CSV, and ACLED's 400. `optional`: fields
    some rows lack; `extra`: more parameters."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        tags=["acled"],
        parameters=[*COMMON, *PAGING, *extra, *filter_parameters(filters)],
        responses={
            (200, "application/json"): envelope(component, fields, nullable, optional),
            (200, "text/csv"): OpenApiTypes.STR,
            400: OpenApiResponse(ERROR_SCHEMA, description="A parameter is invalid."),
        },
    )


class AcledView(APIView):
    # One of ACLED's read endpoints: `read` answers with the rows of FIELDS, given the
    # parameters every endpoint takes alike (a Reading); a bad parameter is ACLED's 400.
    # (No docstring: the schema would show it as every endpoint's description.)

    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]
    FIELDS = ()

    def fields_of(self, params):
        """The fields a row of this read has."""
        return self.FIELDS

    def get(self, request):
        params = request.query_params
        try:
            fmt = _format(params)
            limit, page, with_total = acled.parse_paging(params)
            fields = acled.parse_fields(params, self.fields_of(params))
            reading = Reading(fmt, limit, page, with_total, tuple(fields))
            return self.read(request, viewer_of(request), params, reading)
        except acled.AcledQueryError as exc:
            return error(exc)


EVENT_NULLABLE = ("iso", "latitude", "longitude", "geo_precision", "fatalities")


@extend_schema_view(
    get=acled_schema(
        "acled_read",
        "Events as ACLED rows (ACLED's acled/read)",
        "AcledEvents",
        acled.FIELDS,
        EVENT_NULLABLE,
        filters=acled.EventFilters.DEFAULT_OP,
        optional=tuple(acled.SIDE_2_FIELDS.values()),
        extra=[
            OpenApiParameter(
                "export_type",
                str,
                enum=list(acled.EXPORT_TYPES),
                description="dyadic (default): a row an event, its two sides in actor1 "
                "and actor2. monadic: a row a side, its actor in actor1 (no actor2, "
                "assoc_actor_2 or inter2); limit and page count these rows.",
            )
        ],
    )
)
class EventsRead(AcledView):
    FIELDS = acled.FIELDS

    def fields_of(self, params):
        export_type = params.get("export_type", "dyadic").strip().lower() or "dyadic"
        if export_type not in acled.EXPORT_TYPES:
            raise acled.AcledQueryError("export_type", "dyadic (the default) or monadic.")
        return acled.MONADIC_FIELDS if export_type == "monadic" else acled.FIELDS

    def read(self, request, viewer, params, reading):
        monadic = self.fields_of(params) is acled.MONADIC_FIELDS
        types = acled.event_types(viewer)
        q = acled.parse_filters(
            params,
            acled.EventFilters(viewer, types),
            defaults=acled.EventFilters.DEFAULT_OP,
            allowed={*acled.COMMON_PARAMETERS, *acled.PAGING_PARAMETERS},
        )
        events = acled.visible_events(viewer).filter(q)
        connection = connections[events.db]
        full_places = viewer.full(acled.Place)
        pg = connection.vendor == "postgresql"
        # Dyadic rows are an event's: paged in the query. Monadic rows are paged as rows.
        values = acled.acled_rows(events, viewer, connection.vendor, sides_in_sql=pg)
        if not monadic:
            values = reading.page_of(values)
        total = None
        if pg:
            # The rows are written by the database (acled.pg_row_sql, COPY).
            try:
                rows_sql, rows_params = values.query.get_compiler(using=events.db).as_sql()
            except EmptyResultSet:  # a filter that matches nothing, known before a query
                lines = iter(())
            else:
                fields = acled.FIELDS if monadic else reading.fields
                sql, params = acled.pg_row_sql(rows_sql, fields, types, full_places, keys=monadic)
                params = (*rows_params, *params)
                if monadic:
                    if reading.with_total:
                        total = _count(
                            connection, acled.pg_monadic_sql(sql, ("event_id_cnty",), 0, 0), params
                        )
                    sql = acled.pg_monadic_sql(sql, reading.fields, reading.limit, reading.offset)
                lines = copy_lines(connection, sql, params, reading.fields, reading.fmt)
        else:

            def show_place(status):
                return full_places or status == Status.PUBLISHED

            rows = (acled.row_of(v, types, show_place) for v in values.iterator(chunk_size=2000))
            if monadic:
                if reading.with_total:
                    total = sum(
                        1
                        for _ in acled.monadic(
                            acled.row_of(v, types, show_place)
                            for v in values.iterator(chunk_size=2000)
                        )
                    )
                rows = reading.page_of_iterator(acled.monadic(rows))
            lines = row_lines(rows, reading.fields, reading.fmt)
        if reading.with_total and total is None:
            total = events.count()
        response = stream(lines, reading.fields, reading.fmt, total=total)
        # `limit=0` reads every row, as the export does: an anonymous client holds one of
        # its export slots while it streams (conflictapi.api.throttling).
        slot = take_export_slot(request) if reading.limit == 0 else None
        return hold_while_streaming(response, slot)


def _count(connection, sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS c", params)
        return cursor.fetchone()[0]


DELETED_FIELDS = ("event_id_cnty", "deleted_timestamp")


@extend_schema_view(
    get=acled_schema(
        "acled_deleted_read",
        "Retracted events since a time (ACLED's deleted/read)",
        "AcledDeleted",
        DELETED_FIELDS,
        filters=["event_id_cnty", "deleted_timestamp"],
    )
)
class DeletedRead(AcledView):
    FIELDS = DELETED_FIELDS

    def read(self, request, viewer, params, reading):

        class Filters(acled.EventFilters):
            def q_deleted_timestamp(self, field, op, value):
                return acled.compare(field, "updated_at", op, value, acled._timestamp)

        q = acled.parse_filters(
            params,
            Filters(viewer, {}),
            defaults={"event_id_cnty": "LIKE", "deleted_timestamp": ">="},
            allowed={*acled.COMMON_PARAMETERS, *acled.PAGING_PARAMETERS},
        )
        # Retracted events are tombstones to every reader: id and time only.
        events = Event.objects.filter(q, status=Status.RETRACTED)
        total = events.count() if reading.with_total else None
        ids = EventIdentifier.objects.filter(scheme=IdentifierScheme.ACLED)
        values = reading.page_of(
            events.order_by("-updated_at", "-id").values_list("updated_at", "pk")
        )

        def rows():
            batch = []
            for item in values.iterator(chunk_size=2000):
                batch.append(item)
                if len(batch) >= 2000:
                    yield from _deleted_rows(batch, ids)
                    batch = []
            yield from _deleted_rows(batch, ids)

        return reading.stream(rows(), total)


def _deleted_rows(batch, ids):
    if not batch:
        return
    names = dict(ids.filter(event_id__in=[pk for _, pk in batch]).values_list("event_id", "value"))
    for updated_at, pk in batch:
        yield {
            "event_id_cnty": names.get(pk, ""),
            "deleted_timestamp": str(int(updated_at.timestamp())),
        }


def _summary_rows(grouped, key_fields):
    for item in grouped:
        first, last = item["first"], item["last"]
        row = {k: v for k, v in item.items() if k not in ("first", "last", "n")}
        row.update(
            first_event_date=first.isoformat() if first else "",
            last_event_date=last.isoformat() if last else "",
            event_count=str(item["n"]),
        )
        yield row


STATS = {"first": Min("date_start"), "last": Max("date_start"), "n": Count("pk", distinct=True)}


ACTOR_FIELDS = ("actor_name", "first_event_date", "last_event_date", "event_count")


@extend_schema_view(
    get=acled_schema(
        "acled_actor_read",
        "Actors with their first and last event dates (ACLED's actor/read)",
        "AcledActors",
        ACTOR_FIELDS,
        filters=["actor_name"],
    )
)
class ActorRead(AcledView):
    FIELDS = ACTOR_FIELDS

    def read(self, request, viewer, params, reading):

        class Filters:
            def q(self, field, op, value):
                return acled.text_match(field, "name", op, value)

        q = acled.parse_filters(
            params,
            Filters(),
            defaults={"actor_name": "LIKE"},
            allowed={*acled.COMMON_PARAMETERS, *acled.PAGING_PARAMETERS},
        )
        events = acled.visible_events(viewer)
        actors = viewer.filter(Actor.objects.filter(q)).filter(
            participations__event__in=events.values("pk")
        )
        grouped = (
            actors.order_by()
            .values("name")
            .annotate(
                first=Min("participations__event__date_start"),
                last=Max("participations__event__date_start"),
                n=Count("participations__event", distinct=True),
            )
            .order_by("name")
        )
        total = grouped.count() if reading.with_total else None
        rows = (
            {"actor_name": r.pop("name"), **r} for r in _summary_rows(reading.page_of(grouped), ())
        )
        return reading.stream(rows, total)


ACTOR_TYPE_FIELDS = (
    "actor_type_id",
    "actor_type_name",
    "first_event_date",
    "last_event_date",
    "event_count",
)


@extend_schema_view(
    get=acled_schema(
        "acled_actortype_read",
        "ACLED actor types with their events (ACLED's actortype/read)",
        "AcledActorTypes",
        ACTOR_TYPE_FIELDS,
    )
)
class ActorTypeRead(AcledView):
    FIELDS = ACTOR_TYPE_FIELDS

    def read(self, request, viewer, params, reading):
        acled.parse_filters(
            params, None, defaults={}, allowed={*acled.COMMON_PARAMETERS, *acled.PAGING_PARAMETERS}
        )
        events = acled.visible_events(viewer)
        grouped = (
            viewer.filter(Actor.objects.filter(participations__event__in=events.values("pk")))
            .order_by()
            .values("kind", "acled_actor_type")
            .annotate(
                first=Min("participations__event__date_start"),
                last=Max("participations__event__date_start"),
            )
        )
        by_type = {}
        for item in grouped:
            code = acled.actor_type(item["acled_actor_type"], item["kind"])
            first, last = by_type.get(code, (None, None))
            by_type[code] = (
                min(d for d in (first, item["first"]) if d) if first or item["first"] else None,
                max(d for d in (last, item["last"]) if d) if last or item["last"] else None,
            )
        counts = _type_event_counts(events, viewer)
        rows = [
            {
                "actor_type_id": str(code),
                "actor_type_name": acled.AcledActorType(code).label,
                "first_event_date": first.isoformat() if first else "",
                "last_event_date": last.isoformat() if last else "",
                "event_count": str(counts.get(code, 0)),
            }
            for code, (first, last) in sorted(by_type.items())
        ]
        total = len(rows) if reading.with_total else None
        return reading.stream(iter(reading.page_of(rows)), total)


def _type_event_counts(events, viewer):
    """{ACLED actor type: events with an actor of it} in one query."""
    pairs = (
        viewer.filter(Actor.objects.filter(participations__event__in=events.values("pk")))
        .order_by()
        .values_list("kind", "acled_actor_type", "participations__event")
        .distinct()
    )
    seen = {}
    for kind, stored, event in pairs:
        seen.setdefault(acled.actor_type(stored, kind), set()).add(event)
    return {code: len(ids) for code, ids in seen.items()}


COUNTRY_FIELDS = ("country", "iso", "iso3", "first_event_date", "last_event_date", "event_count")


@extend_schema_view(
    get=acled_schema(
        "acled_country_read",
        "Countries with their events (ACLED's country/read)",
        "AcledCountries",
        COUNTRY_FIELDS,
    )
)
class CountryRead(AcledView):
    FIELDS = COUNTRY_FIELDS

    def grouped(self, viewer):
        events = acled.visible_events(viewer).filter(viewer.q(acled.Place, "place__"))
        return (
            events.exclude(place__country="")
            .exclude(place__isnull=True)
            .order_by()
            .values("place__country")
            .annotate(**STATS)
        )

    def read(self, request, viewer, params, reading):
        acled.parse_filters(
            params, None, defaults={}, allowed={*acled.COMMON_PARAMETERS, *acled.PAGING_PARAMETERS}
        )
        rows = []
        for row in _summary_rows(self.grouped(viewer), ()):
            code = row.pop("place__country")
            rows.append(
                {
                    "country": acled.country_name(code),
                    "iso": str(acled.iso_numeric(code) or ""),
                    "iso3": acled.countries.alpha3(code) or "",
                    **row,
                }
            )
        rows.sort(key=lambda r: r["country"])
        total = len(rows) if reading.with_total else None
        return reading.stream(iter(reading.page_of(rows)), total)


REGION_FIELDS = ("region", "region_name", "first_event_date", "last_event_date", "event_count")


@extend_schema_view(
    get=acled_schema(
        "acled_region_read",
        "ACLED regions with their events (ACLED's region/read)",
        "AcledRegions",
        REGION_FIELDS,
    )
)
class RegionRead(CountryRead):
    FIELDS = REGION_FIELDS

    def read(self, request, viewer, params, reading):
        acled.parse_filters(
            params, None, defaults={}, allowed={*acled.COMMON_PARAMETERS, *acled.PAGING_PARAMETERS}
        )
        regions = {}
        for item in self.grouped(viewer):
            region = REGION_OF_COUNTRY.get(item["place__country"])
            if region is None:
                continue
            first, last, n = regions.get(region, (None, None, 0))
            dates_first = [d for d in (first, item["first"]) if d]
            dates_last = [d for d in (last, item["last"]) if d]
            regions[region] = (
                min(dates_first) if dates_first else None,
                max(dates_last) if dates_last else None,
                n + item["n"],
            )
        rows = [
            {
                "region": str(region),
                "region_name": REGIONS[region],
                "first_event_date": first.isoformat() if first else "",
                "last_event_date": last.isoformat() if last else "",
                "event_count": str(n),
            }
            for region, (first, last, n) in sorted(regions.items())
        ]
        total = len(rows) if reading.with_total else None
        return reading.stream(iter(reading.page_of(rows)), total)
