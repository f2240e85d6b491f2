"""Schema: every 4xx documented in the one error shape (drf-standardized-errors), with
the two codes this API adds: 409 (a delete that would lose data; a publish, retraction
or edit that would break the publishing rule of conflictapi.publishing) and 412 (a
stale If-Match); 413 on writes with a body over API_MAX_BODY_BYTES; 428 on a change
to a record without If-Match; 304 on a read whose If-None-Match is current."""

import re

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as ErrorDocumentingAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from conflictapi.api.pagination import COUNT_EXACT_SCHEMA


class ErrorCode409Enum(models.TextChoices):
    CONFLICT = "conflict"
    UNPUBLISHED_DEPENDENCY = "unpublished_dependency"
    LAST_CITATION = "last_citation"
    UNCITED = "uncited"


class ErrorCode412Enum(models.TextChoices):
    PRECONDITION_FAILED = "precondition_failed"


class ErrorCode413Enum(models.TextChoices):
    PAYLOAD_TOO_LARGE = "payload_too_large"


class ErrorCode428Enum(models.TextChoices):
    PRECONDITION_REQUIRED = "precondition_required"


def error_response_serializer(status_code, codes):
    """The error shape for one status, its `code` limited to `codes`: the serializer
    pair drf-standardized-errors documents (ErrorResponse<status>Serializer)."""
    error = type(
        f"Error{status_code}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.ChoiceField(choices=codes.choices),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        f"ErrorResponse{status_code}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ClientErrorEnum.choices),
            "errors": error(many=True),
        },
    )


ErrorResponse409Serializer = error_response_serializer(409, ErrorCode409Enum)
ErrorResponse412Serializer = error_response_serializer(412, ErrorCode412Enum)
ErrorResponse413Serializer = error_response_serializer(413, ErrorCode413Enum)
ErrorResponse428Serializer = error_response_serializer(428, ErrorCode428Enum)

# The conditional requests of a record's own URL (CuratedViewSet): a change names the
# version it was read at; a read may ask whether the client's copy is still current.
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The record\'s ETag, as its GET answered it (e.g. "3"; weak or strong): '
    "a change is made only to the version it was read at. Without it: 428; stale: 412.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="ETags of copies the client holds: 304 with no body if the record is "
    "still at one of them.",
)
ETAG_HEADER = {
    "ETag": {
        "description": "The record's version, a strong validator of this representation "
        "(it moves with the names of the records it renders too).",
        "schema": {"type": "string"},
    }
}
# The CSV of a list counts its rows; an export says how many rows it holds.
TOTAL_COUNT_HEADER = {
    "X-Total-Count": {
        "description": "How many records the list holds, all pages together (when exact).",
        "schema": {"type": "integer"},
    }
}
EXPORT_HEADERS = {
    "X-Row-Count": {
        "description": "How many rows the export holds: a client that received fewer "
        "has a cut export.",
        "schema": {"type": "integer"},
    },
    "Content-Disposition": {
        "description": "attachment, with a file name (events.csv).",
        "schema": {"type": "string"},
    },
}
CHANGES = ("update", "partial_update", "destroy", "publish", "retract")
# A page of a list, in every format (conflictapi.api.pagination, conflictapi.middleware).
LIST_IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="ETags of pages the client holds: 304 with no body if this page, in "
    "this format, would be the same.",
)
LIST_HEADERS = {
    "Link": {
        "description": 'RFC 8288 links to the other pages: rel="first", "prev", "next" '
        'and (when `count_exact`) "last" for page numbers; "next" for keyset pages.',
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": "A weak validator of the page as rendered (send it as If-None-Match).",
        "schema": {"type": "string"},
    },
}


GEOJSON_PAGE = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection: one Feature a record (its properties the "
    "record as in JSON, geometry null where the record has no coordinates), with the "
    "page's count, next and previous.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string", "format": "uuid"},
                    "geometry": {
                        "type": "object",
                        "nullable": True,
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                        "required": ["type", "coordinates"],
                    },
                    "properties": {"type": "object", "additionalProperties": True},
                },
                "required": ["type", "id", "geometry", "properties"],
            },
        },
        "count": {"type": "integer"},
        "count_exact": COUNT_EXACT_SCHEMA,
        "next": {"type": "string", "format": "uri", "nullable": True},
        "previous": {"type": "string", "format": "uri", "nullable": True},
    },
    "required": ["type", "features"],
}


# The document's security: what a read takes (see AutoSchema.get_auth).
DOCUMENT_SECURITY = [{"apiToken": []}, {"cookieAuth": []}, {}]


class AutoSchema(ErrorDocumentingAutoSchema):
    def _conditional(self):
        """`change` or `read` for the conditional requests of a curated record's own
        URL (CuratedViewSet.check_if_match and retrieve), else None."""
        if not hasattr(self.view, "check_if_match"):
            return None
        action = getattr(self.view, "action", None)
        if action in CHANGES:
            return "change"
        return "read" if action == "retrieve" else None

    def _should_add_error_response(self, responses, status_code):
        action = getattr(self.view, "action", None)
        writes = self.method in ("PUT", "PATCH", "DELETE") or action in ("publish", "retract")
        if status_code in ("409", "412") and not writes:
            return False
        if status_code == "428":
            return self._conditional() == "change"
        if status_code == "413":
            return self.method in ("POST", "PUT", "PATCH")
        return super()._should_add_error_response(responses, status_code)

    def _paged_list(self):
        """A GET of a paginated list (not the export, which is streamed)."""
        return (
            self.method == "GET"
            and self._is_list_view()
            and getattr(self.view, "pagination_class", None) is not None
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        conditional = self._conditional()
        if conditional == "change":
            parameters.append(IF_MATCH)
        elif conditional == "read":
            parameters.append(IF_NONE_MATCH)
        elif self._paged_list():
            parameters.append(LIST_IF_NONE_MATCH)
        return parameters

    # One operation per format (conflictapi.api.routers): a curated viewset's plain URL
    # documents its JSON only; `events.csv` its CSV only, under an operation id of its
    # own (events_list_csv). ?format= and Accept stay undocumented aliases.
    def _formats_split(self):
        return hasattr(self.view, "fixed_format")

    def _fixed_format(self):
        return getattr(self.view, "fixed_format", None)

    def map_renderers(self, attribute):
        if not self._formats_split():
            return super().map_renderers(attribute)
        fixed = self._fixed_format() or "json"
        return [
            getattr(r, attribute).split(";")[0]
            for r in self.view.get_renderers()
            if r.format == fixed
        ]

    def _tokenize_path(self):
        tokens = super()._tokenize_path()
        fixed = self._fixed_format()
        if fixed and tokens and tokens[-1].endswith(f".{fixed}"):
            tokens[-1] = tokens[-1][: -len(fixed) - 1]
        return tokens

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        fixed = self._fixed_format()
        return f"{operation_id}_{fixed}" if fixed else operation_id

    def get_operation(self, *args, **kwargs):
        if self._formats_split() and not self.map_renderers("media_type"):
            return None  # no JSON (the export): documented by its formats' URLs only
        operation = super().get_operation(*args, **kwargs)
        if operation and self._formats_split():
            media_types = set(self.map_renderers("media_type"))
            for code, response in operation["responses"].items():
                content = response.get("content")
                if code.startswith("2") and content:
                    for media_type in [m for m in content if m not in media_types]:
                        del content[media_type]
        conditional = operation and self._conditional()
        if conditional:
            responses = operation["responses"]
            for code in ("200", "201"):
                if code in responses and self.method != "DELETE":
                    responses[code].setdefault("headers", {}).update(ETAG_HEADER)
            if conditional == "read":
                responses["304"] = {
                    "description": "Not modified: the If-None-Match ETag is current.",
                    "headers": ETAG_HEADER,
                }
        if operation and getattr(self.view, "action", None) == "export":
            operation["responses"]["200"].setdefault("headers", {}).update(EXPORT_HEADERS)
        if operation and self._paged_list() and "200" in operation["responses"]:
            responses = operation["responses"]
            responses["200"].setdefault("headers", {}).update(LIST_HEADERS)
            if "text/csv" in responses["200"].get("content", {}):
                responses["200"]["headers"].update(TOTAL_COUNT_HEADER)
            responses["304"] = {
                "description": "Not modified: the If-None-Match ETag is this page's.",
                "headers": {"ETag": LIST_HEADERS["ETag"]},
            }
        return operation

    def get_auth(self):
        """Reads are open, a token only widening what they show: a read whose schemes are
        the API's own has no security of its own and so takes the document's
        (DOCUMENT_SECURITY, set by document_security: a token, a session, or nothing),
        which generated clients read as "callable with a plain client"
        (openapi-python-client types an operation with any security of its own to need
        AuthenticatedClient). A read with other schemes (UCDP's token) lists them, and
        an empty one."""
        auth = super().get_auth()
        if self.method in ("GET", "HEAD", "OPTIONS"):
            if {} not in auth:
                auth.append({})
            if auth == DOCUMENT_SECURITY:
                return []
        return auth

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        """Errors are JSON whatever the format asked for (the CSV, GeoJSON and NDJSON
        renderers answer errors in JSON)."""
        if media_types is None and str(status_code)[:1] in ("4", "5"):
            media_types = ["application/json"]
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if str(status_code).startswith("2"):
            # Only the JSON rendering has the serializer's shape.
            if "text/csv" in content:
                content["text/csv"] = {"schema": {"type": "string"}}
            if "application/geo+json" in content:
                content["application/geo+json"] = {"schema": GEOJSON_PAGE}
        return response

    def _get_validation_error_codes_by_field(self, data_fields):
        """The codes a field's errors can carry beyond what drf-standardized-errors
        infers: "null" for a list of nested records or an item of one; a validator's own
        `codes` (one may raise several); "invalid" for a
        malformed UUID given to a related field (Django's UUID parsing says so); and on
        GET, "invalid" for every filter (filter methods raise ValidationError({param:
        [...]})), and the filter's own `error_codes` ("ambiguous" for a name several
        records share)."""
        codes = super()._get_validation_error_codes_by_field(data_fields)
        for data_field in data_fields:
            # A null list of nested records is an error of the list itself
            # (`citations`, code null), not of its non_field_errors.
            listed, dot, rest = data_field.name.rpartition(".")
            if (
                dot
                and rest == "non_field_errors"
                and isinstance(data_field.field, serializers.ListSerializer)
            ):
                if not data_field.field.allow_null:
                    codes[listed].add("null")
                if data_field.field.required:
                    codes[listed].add("required")
            # A null item of a list of nested records is an error of the item itself
            # (`citations.0`, code null), not of one of its fields.
            item, index, rest = data_field.name.rpartition(".INDEX.")
            if (
                index
                and rest == "non_field_errors"
                and isinstance(data_field.field, serializers.Serializer)
                and not data_field.field.allow_null
            ):
                codes[f"{item}.INDEX"].add("null")
            field_codes = codes.get(data_field.name)
            if field_codes is None:
                continue
            field = data_field.field
            for validator in getattr(field, "validators", ()):
                field_codes.update(getattr(validator, "codes", ()))
            related = getattr(field, "child_relation", field)
            queryset = getattr(related, "queryset", None)
            if (
                isinstance(related, serializers.PrimaryKeyRelatedField)
                and queryset is not None
                and isinstance(queryset.model._meta.pk, models.UUIDField)
            ):
                field_codes.add("invalid")
        if self.method == "GET":
            filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
            for name in list(codes):
                codes[name].add("invalid")
                # A filter by name may find several records ("ambiguous").
                codes[name].update(getattr(filters.get(name), "error_codes", ()))
            if self._is_list_view() and getattr(self.view, "pagination_class", None):
                codes.setdefault("page_size", set()).add("invalid")
            params = getattr(self.view, "extra_query_params", {}).get(
                getattr(self.view, "action", None), ()
            )
            for name in params:
                codes.setdefault(name, set()).add("invalid")
        return codes


def document_list_item_errors(result, generator, request, public):
    """An error in the n-th item of a list field has attr `names.3.name`, which the
    per-field component lists as `names.INDEX.name`: match it by a pattern instead, and
    drop the discriminator on attr of every error union holding one (a mapping cannot
    name every index)."""
    schemas = result.get("components", {}).get("schemas", {})
    indexed = set()
    for name, component in schemas.items():
        attr = component.get("properties", {}).get("attr", {})
        values = attr.get("enum") or []
        if len(values) == 1 and "INDEX" in values[0].split("."):
            pattern = r"\.".join(
                r"\d+" if part == "INDEX" else re.escape(part) for part in values[0].split(".")
            )
            attr.pop("enum")
            attr["pattern"] = f"^{pattern}$"
            attr["description"] = f"`{values[0]}`, INDEX the item's position from 0"
            indexed.add(f"#/components/schemas/{name}")
    for component in schemas.values():
        options = {option.get("$ref") for option in component.get("oneOf", [])}
        if options & indexed:
            component.pop("discriminator", None)
    return result


UNKNOWN_PARAMETER_ERROR = {
    "type": "object",
    "description": "A query parameter the operation does not know; attr names it.",
    "properties": {
        "attr": {"type": "string"},
        "code": {"type": "string", "enum": ["unknown_parameter"]},
        "detail": {"type": "string"},
    },
    "required": ["attr", "code", "detail"],
}


def document_unknown_parameters(result, generator, request, public):
    """Lists answer an unknown query parameter with a 400 whose attr is that
    parameter's name, which no per-parameter error component can list: add one
    component for it to every GET validation error, and drop the discriminator on attr,
    which cannot map arbitrary names."""
    schemas = result.get("components", {}).get("schemas", {})
    get_errors = set()
    for item in result.get("paths", {}).values():
        get = item.get("get")
        if not get or not any(p.get("in") == "query" for p in get.get("parameters", [])):
            continue
        body = get.get("responses", {}).get("400", {}).get("content", {})
        ref = body.get("application/json", {}).get("schema", {}).get("$ref", "")
        for option in schemas.get(ref.rsplit("/", 1)[-1], {}).get("oneOf", []):
            name = option.get("$ref", "").rsplit("/", 1)[-1]
            items = schemas.get(name, {}).get("properties", {}).get("errors", {}).get("items")
            if items and "$ref" in items:
                get_errors.add(items["$ref"].rsplit("/", 1)[-1])
    if not get_errors:
        return result
    schemas["UnknownParameterError"] = UNKNOWN_PARAMETER_ERROR
    for name in sorted(get_errors):
        component = schemas[name]
        if "oneOf" in component:
            component.pop("discriminator", None)
            component["oneOf"].append({"$ref": "#/components/schemas/UnknownParameterError"})
    return result


def document_security(result, generator, request, public):
    """The document's own security, which every operation without its own takes: the
    reads (AutoSchema.get_auth)."""
    result["security"] = DOCUMENT_SECURITY
    return result
