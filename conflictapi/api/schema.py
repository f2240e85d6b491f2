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
READ_ETAG_HEADER = {
    "description": "A weak validator of the answer as rendered (send it as If-None-Match).",
    "schema": {"type": "string"},
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
    description="ETags of answers the client holds: 304 with no body if this one, in "
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
    "description": "A GeoJSON FeatureCollection: one Feature a record, its properties the "
    "record's flat columns (those of the CSV, typed: numbers as numbers, lists joined "
    "by |, nothing as null), its geometry the record's point (null without one); a "
    "page also carries the page's count, next and previous.",
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


def not_modified(whose, etag):
    """The 304 of a read that answers If-None-Match."""
    return {
        "description": f"Not modified: the If-None-Match ETag is {whose}.",
        "headers": {"ETag": etag},
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
        elif self._paged_list() or self._weak_etag_read():
            parameters.append(LIST_IF_NONE_MATCH)
        return parameters

    def _weak_etag_read(self):
        """A read of one of the API's own views that is neither a record (its version
        ETag) nor a page nor the streamed export: conflictapi.middleware.ListETag tags
        its body too (an actor's network)."""
        return (
            self.method == "GET"
            and self._formats_split()
            and not self._conditional()
            and not self._paged_list()
            and getattr(self.view, "action", None) != "export"
        )

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

    def _map_basic_serializer(self, serializer, direction):
        """A record's response lists every field it carries as required, so that
        generated clients type them as present (not `| Unset`): DRF renders every
        field of a serializer. (A retracted record's tombstone, which readers who may
        not see retractions get, keeps only conflictapi.visibility.TOMBSTONE_FIELDS;
        the schema does not describe it apart, as it did not before.) Fields a
        serializer shows to curators only (`curators_only`) are not required."""
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and self._formats_split() and schema.get("properties"):
            # Fields for curators only (a document's text) are left out for others.
            hidden = getattr(serializer, "curators_only", ())
            schema["required"] = [name for name in schema["properties"] if name not in hidden]
        return schema

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
                responses["304"] = not_modified("current", ETAG_HEADER["ETag"])
        if operation and self._weak_etag_read() and "200" in operation["responses"]:
            responses = operation["responses"]
            responses["200"].setdefault("headers", {})["ETag"] = READ_ETAG_HEADER
            responses["304"] = not_modified("this answer's", READ_ETAG_HEADER)
        if operation and self._bulk_create():
            _object_or_list(operation.get("requestBody", {}), BULK_BODY)
            _object_or_list(operation["responses"].get("201", {}), BULK_ANSWER)
        if operation and getattr(self.view, "action", None) == "export":
            operation["responses"]["200"].setdefault("headers", {}).update(EXPORT_HEADERS)
        if operation and self._paged_list() and "200" in operation["responses"]:
            responses = operation["responses"]
            responses["200"].setdefault("headers", {}).update(LIST_HEADERS)
            if "text/csv" in responses["200"].get("content", {}):
                responses["200"]["headers"].update(TOTAL_COUNT_HEADER)
            responses["304"] = not_modified("this page's", LIST_HEADERS["ETag"])
        return operation

    def _bulk_create(self):
        """A POST to a curated list, which takes a record or a list of them
        (CuratedViewSet.create)."""
        return hasattr(self.view, "check_if_match") and getattr(self.view, "action", None) == (
            "create"
        )

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
                schema = GEOJSON_PAGE
                if getattr(self.view, "action", None) == "export":  # no page members
                    schema = {**GEOJSON_PAGE, "properties": GEOJSON_PAGE["properties"].copy()}
                    for member in ("count", "count_exact", "next", "previous"):
                        del schema["properties"][member]
                content["application/geo+json"] = {"schema": schema}
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


BULK_BODY = (
    "One record, or a list of them created together in one transaction: all of them or, "
    "on any error, none (the error's attr then starts with the item's index from 0, "
    "e.g. `2.date`). A body over the size limit is a 413: split a larger list."
)
BULK_ANSWER = "The record created, or the list of them in the order sent."


def _object_or_list(body, description):
    """A JSON body (or answer) of one record, or of a list of them."""
    content = body.get("content", {}).get("application/json")
    if content is None:
        return
    record = content["schema"]
    content["schema"] = {
        "oneOf": [record, {"type": "array", "items": record, "minItems": 1}],
        "description": description,
    }


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
        if len(values) == 1 and "INDEX" in str(values[0]).split("."):
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


def _resolve(schemas, schema):
    ref = schema.get("$ref", "")
    return schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def _error_option(schemas, option):
    """(attr label, nullable attr, codes or None for any) of one per-field error
    component of a union; None when the option is not one."""
    component = _resolve(schemas, option)
    properties = component.get("properties", {})
    if set(properties) != {"attr", "code", "detail"}:
        return None
    attr, code = _resolve(schemas, properties["attr"]), _resolve(schemas, properties["code"])
    if attr.get("enum") == [None]:
        label = "no field (attr null)"
    elif "enum" in attr and len(attr["enum"]) == 1:
        label = f"`{attr['enum'][0]}`"
    elif "pattern" in attr:
        label = attr.get("description", "").split(",")[0] or f"`{attr['pattern']}`"
    else:
        label = (
            "any unknown query parameter"
            if "unknown_parameter" in code.get("enum", ())
            else "another"
        )
    return label, bool(attr.get("nullable")), code.get("enum")


def compact_error_components(result, generator, request, public):
    """Every operation's 400 in one shared shape, not four components an operation and
    three a field: drf-standardized-errors documents a 400's errors as a union of a
    component per field (its attr and the codes it can carry), which made most of a
    generated client's models error types. Each operation's 400 now references
    ErrorResponse400 (a ValidationError list whose `code` is any code the API answers,
    or a parse error), and lists its own fields and their codes in the response's
    description; a 400 that can only be a parse error references ParseErrorResponse.
    What no longer has a use is dropped."""
    schemas = result.get("components", {}).get("schemas", {})
    codes, any_code, nullable, shared = set(), False, False, None
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            response = operation.get("responses", {}).get("400")
            content = (response or {}).get("content", {}).get("application/json", {})
            union = _resolve(schemas, content.get("schema", {}))
            refs = [option.get("$ref", "") for option in union.get("oneOf", [])]
            validation = next((r for r in refs if r.endswith("ValidationError")), None)
            if validation is None:
                if len(refs) == 1:  # a union of one (a parse error): that one
                    content["schema"] = {"$ref": refs[0]}
                continue
            envelope = _resolve(schemas, {"$ref": validation})
            items = envelope["properties"]["errors"]["items"]
            options = _resolve(schemas, items).get("oneOf", [items])
            fields = [_error_option(schemas, option) for option in options]
            if not fields or None in fields:
                continue
            lines = []
            for label, attr_nullable, field_codes in fields:
                codes.update(field_codes or ())
                any_code |= field_codes is None
                nullable |= attr_nullable
                lines.append(f"- {label}: {', '.join(field_codes or ['any'])}")
            response["description"] = (
                "An error of one field or query parameter: `attr` names it, `code` says "
                "what is wrong. The codes each can carry:\n" + "\n".join(lines)
            )
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body and "oneOf" in body["schema"]:
                response["description"] += (
                    "\n\nIn a list body the attr starts with the item's index from 0 "
                    "(`2.date`, `0.non_field_errors`), and `non_field_errors` may say the "
                    "list is empty (`empty`) or not a list (`not_a_list`)."
                )
            content["schema"] = {"$ref": "#/components/schemas/ErrorResponse400"}
            shared = shared or (union, envelope)
    if shared is not None:
        _add_shared_400(schemas, *shared, codes=None if any_code else codes, nullable=nullable)
    _drop_unreferenced(result)
    return result


def _add_shared_400(schemas, union, envelope, *, codes, nullable):
    """ValidationError, ValidationErrorResponse and ErrorResponse400, from one
    operation's union and envelope."""
    attr = {"type": "string", "description": "The field or query parameter at fault."}
    if nullable:
        attr["nullable"] = True
    code = {"type": "string"}
    if codes is not None:
        code["enum"] = sorted(codes)
    schemas["ValidationError"] = {
        "type": "object",
        "description": "An error of one field or query parameter: `attr` names it, `code` "
        "says what is wrong. Each operation's 400 lists its fields and their codes.",
        "properties": {"attr": attr, "code": code, "detail": {"type": "string"}},
        "required": ["attr", "code", "detail"],
    }
    schemas["ValidationErrorResponse"] = {
        **envelope,
        "properties": {
            **envelope["properties"],
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
        },
    }
    shared = "#/components/schemas/ValidationErrorResponse"
    union = dict(union)
    union["oneOf"] = [
        {"$ref": shared} if option.get("$ref", "").endswith("ValidationError") else option
        for option in union["oneOf"]
    ]
    if "discriminator" in union:
        mapping = union["discriminator"].get("mapping", {})
        union["discriminator"] = {
            **union["discriminator"],
            "mapping": {
                key: shared if value.endswith("ValidationError") else value
                for key, value in mapping.items()
            },
        }
    schemas["ErrorResponse400"] = union


def _drop_unreferenced(result):
    schemas = result.get("components", {}).get("schemas", {})

    def refs(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                yield ref.rsplit("/", 1)[-1]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    reached = set()
    todo = list(refs(result.get("paths", {})))
    while todo:
        name = todo.pop()
        if name in reached or name not in schemas:
            continue
        reached.add(name)
        todo.extend(refs(schemas[name]))
    for name in [n for n in schemas if n not in reached]:
        del schemas[name]
