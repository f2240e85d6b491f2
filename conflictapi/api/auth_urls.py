"""Token sign-in for API writes: POST /api/v1/auth/login/ with HTTP Basic credentials
returns a token (stored hashed; it expires after API_TOKEN_TTL_HOURS); send it as
`Authorization: Bearer <token>` (or `Token <token>`). Attempts are limited per client
address and per account (API_LOGIN_RATE, API_LOGIN_ACCOUNT_RATE): 429 with Retry-After past them."""

from django.urls import path
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from rest_framework import serializers
from rest_framework.authentication import BasicAuthentication

from conflictapi.api.authentication import TokenAuthentication
from conflictapi.api.throttling import LoginAccountThrottle, LoginClientThrottle


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as `Authorization: Bearer <token>` (or `Token <token>`)."
    )
    expiry = serializers.DateTimeField(allow_null=True, help_text="When it stops working.")


# Sign-in answers JSON only: a token is not a list to render as CSV.
JSON_ONLY = [ORJSONRenderer]


class LoginView(knox_views.LoginView):
    renderer_classes = JSON_ONLY
    authentication_classes = [BasicAuthentication]
    throttle_classes = [LoginClientThrottle, LoginAccountThrottle]

    def initial(self, request, *args, **kwargs):
        # Count the attempt before the credentials are tried: a wrong password is
        # otherwise a 401 before any throttle runs.
        self.check_throttles(request)
        self._throttles_checked = True
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request):
        if not getattr(self, "_throttles_checked", False):
            super().check_throttles(request)

    @extend_schema(request=None, responses=TokenSerializer, summary="Get an API token")
    def post(self, request, format=None):
        return super().post(request, format=format)


class LogoutView(knox_views.LogoutView):
    authentication_classes = [TokenAuthentication]
    renderer_classes = JSON_ONLY

    @extend_schema(request=None, responses={204: None}, summary="Revoke this token")
    def post(self, request, format=None):
        return super().post(request, format=format)


class LogoutAllView(knox_views.LogoutAllView):
    authentication_classes = [TokenAuthentication]
    renderer_classes = JSON_ONLY

    @extend_schema(request=None, responses={204: None}, summary="Revoke all your tokens")
    def post(self, request, format=None):
        return super().post(request, format=format)


urlpatterns = [
    path("login/", LoginView.as_view(), name="knox-login"),
    path("logout/", LogoutView.as_view(), name="knox-logout"),
    path("logout-all/", LogoutAllView.as_view(), name="knox-logout-all"),
]
