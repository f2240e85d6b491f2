"""Token sign-in for API writes: POST /api/v1/auth/login/ with HTTP Basic credentials
returns a token (stored hashed); send it as `Authorization: Token <token>`."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from rest_framework import serializers
from rest_framework.authentication import BasicAuthentication


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(allow_null=True, help_text="When it stops working.")


class LoginView(knox_views.LoginView):
    authentication_classes = [BasicAuthentication]

    @extend_schema(request=None, responses=TokenSerializer, summary="Get an API token")
    def post(self, request, format=None):
        return super().post(request, format=format)


class LogoutView(knox_views.LogoutView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke this token")
    def post(self, request, format=None):
        return super().post(request, format=format)


class LogoutAllView(knox_views.LogoutAllView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke all your tokens")
    def post(self, request, format=None):
        return super().post(request, format=format)


urlpatterns = [
    path("login/", LoginView.as_view(), name="knox-login"),
    path("logout/", LogoutView.as_view(), name="knox-logout"),
    path("logout-all/", LogoutAllView.as_view(), name="knox-logout-all"),
]
