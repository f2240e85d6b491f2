"""Requests no view should see."""

import hashlib

from django.conf import settings
from django.http import Http404
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_vary_headers

from conflictapi.api.errors import error_response
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
        from django.http import HttpResponse

        from conflictapi.api.errors import RETRY_AFTER_SECONDS, DatabaseUnavailable

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if request.path.startswith("/api/"):
            error = DatabaseUnavailable()
            response = error_response(
                503, error.default_code, str(error.detail), error_type="server_error"
            )
        else:
            response = HttpResponse("The database is unreachable; try again shortly.", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class ListETag(ConditionalGetMiddleware):
    """Conditional GET on every read that has no validator of its own (lists, in every
    format): a weak ETag of the rendered body, and 304 for an If-None-Match that holds
    it. Record details keep their version ETag (CuratedViewSet.retrieve); streamed
    exports get none. Sits after GZipMiddleware in MIDDLEWARE, so that it hashes the
    body before it is compressed (Django's documented order)."""

    def process_response(self, request, response):
        if (
            request.method == "GET"
            and 200 <= response.status_code < 300
            and not response.streaming
            and not response.has_header("ETag")
            and self.needs_etag(response)
            and response.content
        ):
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'W/"{digest}"'
        answer = super().process_response(request, response)
        if answer.status_code == 412 and request.path.startswith("/api/"):
            # A read whose If-Match is stale: in the API's one error shape, not
            # Django's empty 412.
            return precondition_failed(answer)
        return answer


def precondition_failed(bare):
    response = error_response(
        412,
        "precondition_failed",
        "The If-Match ETag is not the current one: read the record again.",
    )
    for header in ("ETag", "Vary", "Last-Modified"):
        if bare.has_header(header):
            response[header] = bare[header]
    return response


class ApiCacheControl:
    """Cache-Control on the API (under /api/) where a view has not set its own: an
    anonymous successful read may be kept API_CACHE_SECONDS by any cache; a signed-in
    reader's (by token or session) only by the client, revalidated each time (its ETag
    then makes that cheap); nothing else is stored. Vary names what the response
    depends on: the format asked for (Accept), and who asks (Authorization, Cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        signed_in = "HTTP_AUTHORIZATION" in request.META or bool(
            user is not None and user.is_authenticated
        )
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            response["Cache-Control"] = "no-store"
        elif signed_in:
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response
