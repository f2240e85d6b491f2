"""Requests no view should see."""

from django.http import Http404

from conflictapi.api.views import not_found


class RejectNulInPath:
    """A path with a NUL character names no record (PostgreSQL refuses NUL in text, so a
    lookup would be a database error): 404 before any view runs, in the 404's one shape.
    Query parameters and bodies are validated where they are read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return not_found(request, Http404("NUL in the path"))
        return self.get_response(request)


class DatabaseUnavailableResponse:
    """Outside DRF's views (the admin, the health checks' neighbours), an unreachable
    database is a 503 with Retry-After, not a 500; under /api/ in the one error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db.utils import InterfaceError, OperationalError
        from django.http import HttpResponse, JsonResponse

        from conflictapi.api.errors import RETRY_AFTER_SECONDS, DatabaseUnavailable

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if request.path.startswith("/api/"):
            error = DatabaseUnavailable()
            response = JsonResponse(
                {
                    "type": "server_error",
                    "errors": [
                        {"code": error.default_code, "detail": str(error.detail), "attr": None}
                    ],
                },
                status=503,
            )
        else:
            response = HttpResponse("The database is unreachable; try again shortly.", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
