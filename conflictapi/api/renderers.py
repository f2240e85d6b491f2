"""CSV and GeoJSON renderings of list responses, and the one convention of the flat
formats (CSV here and in the export): UTF-8, a header row, lines ending in "\n";
timestamps in UTC as 2014-11-01T12:00:00.000000Z; decimals as the shortest text of
their value (35.61, not 35.610000); true/false; lists joined by "|"; nothing as "".

The typed flat formats (GeoJSON properties, the NDJSON export) carry the same columns
with the same text, typed (flat_value): integers and decimals as JSON numbers, booleans
as booleans, nothing (an empty text or list included) as null; everything else,
timestamps and lists too, as the string the flat formats write. So a typed value
written as flat text is the CSV's field, and pandas reads the two to the same frame."""

import csv
import datetime
import decimal
import io
import json

from rest_framework.renderers import BaseRenderer


def error_as_json(data, renderer_context):
    """Error responses stay JSON whatever format was asked for; None for the rest."""
    response = renderer_context.get("response")
    if response is None or response.status_code < 400:
        return None
    response["Content-Type"] = "application/json"
    return json.dumps(data, ensure_ascii=False).encode()


def flat_text(value):
    """A value as the flat formats write it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC) if value.tzinfo else value
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, float):
        value = decimal.Decimal(repr(value))
    if isinstance(value, decimal.Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, list):
        return "|".join(flat_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flat_value(value):
    """A value as the typed flat formats carry it (see the module's docstring):
    flat_text(flat_value(v)) == flat_text(v)."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float | decimal.Decimal):
        return float(value)
    text = flat_text(value)
    return text or None


def pluck_value(row, path):
    """Follow a dotted path into a JSON row, to a typed flat value (flat_value); `a[].b`
    maps over a list and joins the values with `|` (a character no curated name uses);
    `a[k=v].b` follows the first item of the list whose `k` is `v` (none: nothing)."""
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        items = (row.get(head[:-2]) if isinstance(row, dict) else None) or []
        return flat_value([pluck_value(item, rest) if rest else item for item in items])
    if head.endswith("]"):
        head, _, selector = head[:-1].partition("[")
        key, _, wanted = selector.partition("=")
        items = (row.get(head) if isinstance(row, dict) else None) or []
        item = next((i for i in items if isinstance(i, dict) and i.get(key) == wanted), None)
        return pluck_value(item, rest) if rest else flat_value(item)
    value = row.get(head) if isinstance(row, dict) else None
    if rest:
        return pluck_value(value, rest)
    return flat_value(value)


def pluck(row, path):
    """pluck_value as flat text: a CSV field."""
    return flat_text(pluck_value(row, path))


def feature(properties):
    """A GeoJSON Feature of a record's typed flat columns: its id, and a Point
    [longitude, latitude] where it has both (geometry null otherwise)."""
    lat, lon = properties.get("latitude"), properties.get("longitude")
    geometry = None
    if lat is not None and lon is not None:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {
        "type": "Feature",
        "id": properties.get("id"),
        "geometry": geometry,
        "properties": properties,
    }


def rows_of(data):
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    if isinstance(data, list):
        return data
    return [data]


class CSVRenderer(BaseRenderer):
    """One header row and one row a record, UTF-8, with the flat columns the view
    names in `csv_columns` (header, dotted path). Errors stay JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if (error := error_as_json(data, renderer_context)) is not None:
            return error
        view = renderer_context.get("view")
        columns = getattr(view, "csv_columns", None) or [("id", "id")]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([header for header, _ in columns])
        for row in rows_of(data):
            writer.writerow([pluck(row, path) for _, path in columns])
        response = renderer_context.get("response")
        counted = response is not None and isinstance(data, dict) and "count" in data
        # A header that says "total" is exact. Link is the pagination's, in every format.
        if counted and data.get("count_exact", True):
            response["X-Total-Count"] = str(data["count"])
        return out.getvalue().encode("utf-8")


class GeoJSONRenderer(BaseRenderer):
    """A FeatureCollection: one Feature a record, its properties the view's flat
    columns (`csv_columns`, as in CSV), typed (flat_value), so that GDAL, QGIS and
    GeoPandas read columns, not JSON text; its point from the record's
    `latitude`/`longitude` (geometry null where there are none). The page's `count`,
    `count_exact`, `next` and `previous` ride along as foreign members."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if (error := error_as_json(data, renderer_context)) is not None:
            return error
        view = renderer_context.get("view")
        columns = getattr(view, "csv_columns", None) or [("id", "id")]
        features = [
            feature({name: pluck_value(row, path) for name, path in columns})
            for row in rows_of(data)
        ]
        collection = {"type": "FeatureCollection", "features": features}
        if isinstance(data, dict):
            for key in ("count", "count_exact", "next", "previous"):
                if key in data:
                    collection[key] = data[key]
        return json.dumps(collection, ensure_ascii=False).encode("utf-8")


class NDJSONRenderer(BaseRenderer):
    """Newline-delimited JSON. Views that stream NDJSON build their own response; this
    renderer only answers content negotiation and renders errors as JSON."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        error = error_as_json(data, renderer_context or {})
        return error or json.dumps(data, ensure_ascii=False).encode()
