"""Cross-origin access to /api/: reads from anywhere, writes from listed origins.

The records are public, so any origin may GET (and HEAD) them. A write, or the preflight
that asks leave for one, gets the CORS headers only from an origin in
API_CORS_WRITE_ORIGINS: a page elsewhere cannot send a token-bearing write, and cannot
read the answer to one. No origin is ever allowed credentials (cookies): cross-origin
writes authenticate with `Authorization: Token …`.
"""

from urllib.parse import urlsplit

from corsheaders.middleware import (
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
    CorsMiddleware,
)
from django.conf import settings

READ_METHODS = ("GET", "HEAD", "OPTIONS")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def may_write(origin):
    try:
        url = urlsplit(origin)
    except ValueError:
        return False
    return any(
        (url.scheme, url.netloc) == (allowed.scheme, allowed.netloc)
        for allowed in map(urlsplit, settings.API_CORS_WRITE_ORIGINS)
    )


class ApiCorsMiddleware(CorsMiddleware):
    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        origin = request.headers.get("origin")
        # No Origin, no cross-origin request: a static file WhiteNoise marked
        # "Access-Control-Allow-Origin: *" is left as it is.
        if origin is None or ACCESS_CONTROL_ALLOW_ORIGIN not in response:
            return response
        writer = may_write(origin)
        method = request.method
        if method == "OPTIONS":
            method = request.headers.get("access-control-request-method", "OPTIONS")
            response[ACCESS_CONTROL_ALLOW_METHODS] = ", ".join(
                READ_METHODS + WRITE_METHODS if writer else READ_METHODS
            )
        if method.upper() not in READ_METHODS and not writer:
            for header in (
                ACCESS_CONTROL_ALLOW_ORIGIN,
                ACCESS_CONTROL_EXPOSE_HEADERS,
                ACCESS_CONTROL_ALLOW_HEADERS,
                ACCESS_CONTROL_ALLOW_METHODS,
                ACCESS_CONTROL_MAX_AGE,
            ):
                if header in response:
                    del response[header]
        return response
