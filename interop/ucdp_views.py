"""`GET /api/ucdp/gedevents/<version>`: our violent events in the shape, parameters
and paging of UCDP's GED API (interop.ucdp; README "UCDP-compatible API")."""

import datetime
import math
import re

from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ValidationErrorEnum
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from conflictapi.api.authentication import TokenAuthentication
from conflictapi.visibility import viewer_of
from interop import ucdp

VERSIONS = ("current",)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
TOKEN_HEADER = "x-ucdp-access-token"


class UcdpTokenAuthentication(TokenAuthentication):
    """UCDP's token header, `x-ucdp-access-token: <token>`, read as
    `Authorization: Token <token>`: one of our tokens (POST /api/v1/auth/login/)."""

    def authenticate(self, request):
        token = request.META.get("HTTP_X_UCDP_ACCESS_TOKEN", "").strip()
        if not token:
            return None
        return self.authenticate_credentials(token.encode())

    def authenticate_header(self, request):
        return "Token"


class UcdpTokenScheme(OpenApiAuthenticationExtension):
    target_class = UcdpTokenAuthentication
    name = "ucdpAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": TOKEN_HEADER,
            "description": "One of our tokens (POST /api/v1/auth/login/), as UCDP's "
            "clients send theirs; the same as `Authorization: Token <token>`.",
        }


# Parameters, as UCDP names them; matched ignoring case, as UCDP's server does.
PARAMETERS = (
    "pagesize",
    "page",
    "Id",
    "Country",
    "Geography",
    "StartDate",
    "EndDate",
    "TypeOfViolence",
    "Dyad",
    "Actor",
)
_CANONICAL = {name.lower(): name for name in PARAMETERS}
_INTEGER = re.compile(r"^\s*\d{1,18}\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _invalid(name, detail):
    return ValidationError({name: [detail]}, code="invalid")


def _integers(name, value):
    parts = value.split(",")
    if not all(_INTEGER.match(part) for part in parts):
        raise _invalid(name, "Give whole numbers, comma-separated.")
    return [int(part) for part in parts]


def _date(name, value):
    try:
        if not _DATE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _invalid(name, "Give a date as yyyy-mm-dd.") from None


def _geography(value):
    detail = "Give two corners as `y0 x0,y1 x1`: latitude and longitude in degrees."
    corners = value.split(",")
    if len(corners) != 2:
        raise _invalid("Geography", detail)
    box = []
    for corner in corners:
        parts = corner.split()
        if len(parts) != 2:
            raise _invalid("Geography", detail)
        try:
            lat, lon = (float(part) for part in parts)
        except ValueError:
            raise _invalid("Geography", detail) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _invalid("Geography", detail)
        box.append((lat, lon))
    return box


def parse(query):
    """{parameter: parsed value} of the query; a 400 naming the parameter at fault."""
    values = {}
    unknown = []
    for key in query:
        name = _CANONICAL.get(key.lower())
        if name is None:
            unknown.append(key)
        else:
            values[name] = query.getlist(key)[-1]
    if unknown:
        raise ValidationError(
            {
                key: [f"Unknown query parameter; known: {', '.join(PARAMETERS)}."]
                for key in sorted(unknown)
            },
            code="unknown_parameter",
        )
    parsed = {}
    for name in ("pagesize", "page"):
        if name in values:
            if not _INTEGER.match(values[name]):
                raise _invalid(name, "Give a whole number.")
            parsed[name] = int(values[name])
    size = parsed.setdefault("pagesize", DEFAULT_PAGE_SIZE)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise _invalid("pagesize", f"Give a page size from 1 to {MAX_PAGE_SIZE}.")
    parsed.setdefault("page", 0)
    for name in ("Id", "Country", "Dyad", "Actor"):
        if name in values:
            parsed[name] = _integers(name, values[name])
    if "TypeOfViolence" in values:
        types = _integers("TypeOfViolence", values["TypeOfViolence"])
        if not set(types) <= {1, 2, 3}:
            raise _invalid("TypeOfViolence", "Give 1, 2 or 3, comma-separated.")
        parsed["TypeOfViolence"] = types
    for name in ("StartDate", "EndDate"):
        if name in values:
            parsed[name] = _date(name, values[name])
    if "Geography" in values:
        parsed["Geography"] = _geography(values["Geography"])
    return parsed


class GedEventSerializer(serializers.Serializer):
    """One GED row (for the schema; the rows are built by interop.ucdp)."""

    id = serializers.IntegerField(
        allow_null=True, help_text="The event's stored UCDP GED id (ours from 1,000,000,000)."
    )
    relid = serializers.CharField(help_text="The event's id in /api/v1/events/.")
    year = serializers.IntegerField()
    active_year = serializers.BooleanField(allow_null=True, help_text="Always null: unknown.")
    code_status = serializers.CharField(allow_null=True, help_text="Always null.")
    type_of_violence = serializers.ChoiceField(
        choices=[1, 2, 3], help_text="1 state-based, 2 non-state, 3 one-sided."
    )
    conflict_dset_id = serializers.CharField(allow_null=True, help_text="Null: no UCDP id known.")
    conflict_new_id = serializers.IntegerField(allow_null=True, help_text="Null: no UCDP id known.")
    conflict_name = serializers.CharField(allow_null=True, help_text="Null: no UCDP id known.")
    dyad_dset_id = serializers.CharField(allow_null=True, help_text="Null: no UCDP id known.")
    dyad_new_id = serializers.IntegerField(allow_null=True, help_text="Null: no UCDP id known.")
    dyad_name = serializers.CharField(help_text="`side_a - side_b`.")
    side_a_dset_id = serializers.CharField(allow_null=True, help_text="Always null.")
    side_a_new_id = serializers.IntegerField(
        allow_null=True, help_text="Side A's UCDP actor id (its `ucdp` identifier), if any."
    )
    side_a = serializers.CharField(help_text="The state actor where one takes part.")
    side_b_dset_id = serializers.CharField(allow_null=True, help_text="Always null.")
    side_b_new_id = serializers.IntegerField(
        allow_null=True, help_text="Side B's UCDP actor id (its `ucdp` identifier), if any."
    )
    side_b = serializers.CharField(help_text="The other side; `Civilians` for one-sided.")
    number_of_sources = serializers.IntegerField(help_text="Documents cited.")
    source_article = serializers.CharField(
        allow_blank=True, help_text='Per document `Outlet, yyyy-mm-dd, "Title"`, "; "-joined.'
    )
    source_office = serializers.CharField(allow_blank=True)
    source_date = serializers.CharField(allow_blank=True)
    source_headline = serializers.CharField(allow_blank=True)
    source_original = serializers.CharField(allow_null=True, help_text="Always null.")
    where_prec = serializers.IntegerField(allow_null=True, min_value=1, max_value=7)
    where_coordinates = serializers.CharField(allow_null=True)
    where_description = serializers.CharField(allow_null=True)
    adm_1 = serializers.CharField(allow_null=True)
    adm_2 = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    geom_wkt = serializers.CharField(allow_null=True, help_text="`POINT (lon lat)`.")
    priogrid_gid = serializers.IntegerField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    country_id = serializers.IntegerField(allow_null=True, help_text="Gleditsch–Ward number.")
    region = serializers.CharField(allow_null=True)
    event_clarity = serializers.ChoiceField(choices=[1, 2])
    date_prec = serializers.IntegerField(min_value=1, max_value=5)
    date_start = serializers.DateField()
    date_end = serializers.DateField()
    deaths_a = serializers.IntegerField(allow_null=True, help_text="Null: no split recorded.")
    deaths_b = serializers.IntegerField(allow_null=True, help_text="Null: no split recorded.")
    deaths_civilians = serializers.IntegerField(
        allow_null=True, help_text="Null: no split recorded."
    )
    deaths_unknown = serializers.IntegerField(allow_null=True, help_text="`best`.")
    best = serializers.IntegerField(allow_null=True)
    high = serializers.IntegerField(allow_null=True)
    low = serializers.IntegerField(allow_null=True)
    gwnoa = serializers.CharField(allow_null=True, help_text="Side A's GW number if a state.")
    gwnob = serializers.CharField(allow_null=True, help_text="Side B's GW number if a state.")


class GedPageSerializer(serializers.Serializer):
    TotalCount = serializers.IntegerField()
    TotalPages = serializers.IntegerField()
    PreviousPageUrl = serializers.CharField(
        allow_blank=True, help_text="The page before, or empty on page 0 (as UCDP)."
    )
    NextPageUrl = serializers.CharField(
        allow_blank=True, help_text="The page after, or empty on the last page (as UCDP)."
    )
    Result = GedEventSerializer(many=True)


def _error_serializer(name, type_choices, code_choices):
    error = type(
        f"{name}ItemSerializer",
        (serializers.Serializer,),
        {
            "code": serializers.ChoiceField(choices=code_choices),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=type_choices),
            "errors": error(many=True),
        },
    )


UcdpError400 = _error_serializer(
    "UcdpError400", ValidationErrorEnum.choices, ["invalid", "unknown_parameter"]
)
UcdpError401 = _error_serializer(
    "UcdpError401", ClientErrorEnum.choices, ["authentication_failed", "not_authenticated"]
)
UcdpError404 = _error_serializer("UcdpError404", ClientErrorEnum.choices, ["not_found"])
UcdpError429 = _error_serializer("UcdpError429", ClientErrorEnum.choices, ["throttled"])


MAX_NUMBER = 10**18 - 1  # what _INTEGER takes: up to 18 digits
NUMBERS = {"type": "string", "pattern": r"^[0-9]{1,18}(,[0-9]{1,18})*$"}
DATE = {"type": "string", "format": "date"}
_DEGREES = r"-?[0-9]{1,3}(\.[0-9]+)?"
_CORNER = f"{_DEGREES} {_DEGREES}"


def _param(name, description, type_=OpenApiTypes.STR, **kwargs):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, **kwargs)


class GedEventsView(APIView):
    authentication_classes = [UcdpTokenAuthentication, *APIView.authentication_classes]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        operation_id="ucdp_gedevents",
        tags=["ucdp"],
        summary="Violent events as UCDP GED rows",
        description="UCDP's `gedevents` API over our violent events (README, "
        '"UCDP-compatible API"). Pages count from 0. Every parameter name is matched '
        "ignoring case; an unknown one is a 400 naming it.",
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(VERSIONS),
                description="`current`; any other version is a 404.",
            ),
            OpenApiParameter(
                TOKEN_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="One of our tokens, as `Authorization: Token <token>` "
                "(optional: anonymous clients read published records).",
            ),
            _param(
                "pagesize",
                f"Rows a page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); more is a 400.",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            ),
            _param(
                "page",
                "The page, from 0 (as UCDP numbers them).",
                {"type": "integer", "minimum": 0, "maximum": MAX_NUMBER},
            ),
            _param("Id", "Event ids (`id`), comma-separated.", NUMBERS),
            _param("Country", "Gleditsch–Ward numbers (652 Syria), comma-separated.", NUMBERS),
            _param(
                "Geography",
                "A box of two corners, `y0 x0,y1 x1` (latitude -90 to 90, longitude -180 to 180).",
                {"type": "string", "pattern": rf"^{_CORNER},{_CORNER}$"},
            ),
            _param("StartDate", "yyyy-mm-dd: events that may end on or after it.", DATE),
            _param("EndDate", "yyyy-mm-dd: events that may start on or before it.", DATE),
            _param(
                "TypeOfViolence",
                "1, 2 or 3, comma-separated.",
                {"type": "string", "pattern": r"^[123](,[123])*$"},
            ),
            _param(
                "Dyad",
                "UCDP dyad ids, comma-separated: none are stored, so none match.",
                NUMBERS,
            ),
            _param(
                "Actor",
                "Actors' UCDP ids (their `ucdp` identifiers), comma-separated.",
                NUMBERS,
            ),
        ],
        responses={
            200: GedPageSerializer,
            400: OpenApiResponse(UcdpError400, description="A parameter is invalid or unknown."),
            401: OpenApiResponse(UcdpError401, description="The token is not valid."),
            404: OpenApiResponse(UcdpError404, description="No such version."),
            429: OpenApiResponse(UcdpError429, description="Too many requests."),
        },
    )
    def get(self, request, version):
        if version not in VERSIONS:
            raise NotFound(f"No such version; known: {', '.join(VERSIONS)}.")
        params = parse(request.query_params)
        viewer = viewer_of(request)
        events = ucdp.ged_events(viewer)
        if "Id" in params:
            events = ucdp.filter_ids(events, params["Id"])
        if "Country" in params:
            events = ucdp.filter_countries(events, viewer, params["Country"])
        if "Geography" in params:
            events = ucdp.filter_geography(events, viewer, params["Geography"])
        events = ucdp.filter_dates(events, params.get("StartDate"), params.get("EndDate"))
        if "TypeOfViolence" in params:
            events = events.filter(type_of_violence__in=params["TypeOfViolence"])
        if "Dyad" in params:
            events = events.none()  # no UCDP dyad ids are stored
        if "Actor" in params:
            events = ucdp.filter_actors(events, viewer, params["Actor"])
        size, page = params["pagesize"], params["page"]
        total = events.count()
        offset = page * size
        rows = ucdp.ged_page(events, viewer, offset, size) if offset < total else []
        pages = math.ceil(total / size)
        return Response(
            {
                "TotalCount": total,
                "TotalPages": pages,
                "PreviousPageUrl": self.page_url(request, page - 1) if page > 0 else "",
                "NextPageUrl": self.page_url(request, page + 1) if page + 1 < pages else "",
                "Result": rows,
            }
        )

    @staticmethod
    def page_url(request, page):
        query = request.GET.copy()
        for key in list(query):
            if key.lower() == "page":
                del query[key]
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
