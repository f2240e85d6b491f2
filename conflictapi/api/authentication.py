"""API tokens (knox) in either of the two ways clients send them: `Authorization:
Token <token>`, as DRF and knox document it, or `Authorization: Bearer <token>`
(RFC 6750), which generated clients (openapi-python-client's AuthenticatedClient,
openapi-fetch, Swagger UI's "Authorize") send by default. The schema documents the
token as an HTTP bearer scheme; `Token` stays accepted."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

PREFIXES = (b"token", b"bearer")


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in PREFIXES:
            return None  # another scheme's header (Basic, say), or none
        if len(auth) == 1:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. No credentials provided.")
            )
        if len(auth) > 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain spaces.")
            )
        return self.authenticate_credentials(auth[1])

    def authenticate_header(self, request):
        # The 401's WWW-Authenticate: the scheme the schema documents.
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "apiToken"
    priority = 1  # before drf-spectacular's own for knox's class

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/v1/auth/login/, sent as "
            "`Authorization: Bearer <token>` (`Authorization: Token <token>` is accepted "
            "too). Reads need none: without one, published records only.",
        }
