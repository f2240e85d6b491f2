"""The front door: /api/v1/ names every resource and where the schema and docs are;
/ and /api/ lead there."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# (name in the answer, URL name of the list), in the README's order.
RESOURCES = (
    ("actors", "actors-api:actor-list"),
    ("affiliations", "actors-api:affiliation-list"),
    ("events", "events-api:event-list"),
    ("event_types", "events-api:eventtype-list"),
    ("places", "events-api:place-list"),
    ("outlets", "sources-api:outlet-list"),
    ("documents", "sources-api:document-list"),
)
LINKS = (
    ("export", "events-api:event-export-csv"),
    ("login", "knox-login"),
    ("schema", "schema"),
    ("docs", "swagger-ui"),
    ("redoc", "redoc"),
)
URL = {"type": "string", "format": "uri"}
ROOT_SCHEMA = {
    "type": "object",
    "properties": {
        "resources": {
            "type": "object",
            "description": "Each resource's list.",
            "properties": {name: URL for name, _ in RESOURCES},
            "required": [name for name, _ in RESOURCES],
        },
        **{name: URL for name, _ in LINKS},
    },
    "required": ["resources", *(name for name, _ in LINKS)],
}


class ApiRoot(APIView):
    """Every resource of the API, the event export, the sign-in, the OpenAPI schema and
    its documentation (Swagger UI and ReDoc)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="The API's resources, schema and documentation",
        responses={200: OpenApiResponse(ROOT_SCHEMA)},
    )
    def get(self, request, format=None):
        def url(name):
            return reverse(name, request=request)

        return Response(
            {
                "resources": {name: url(view) for name, view in RESOURCES},
                **{name: url(view) for name, view in LINKS},
            }
        )

    def get_renderers(self):
        # JSON, and the browsable page for a browser; not CSV.
        return [r for r in super().get_renderers() if r.format in ("json", "api")]
