"""Start-up requirements of production settings, as system checks and for the server."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


def missing_settings():
    if settings.DEBUG:
        return []
    problems = []
    if getattr(settings, "SECRET_KEY_MISSING", False):
        problems.append("SECRET_KEY is required when DEBUG is off. For local use set DEBUG=1.")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is required when DEBUG is off.")
    return problems


@register(deploy=True)
def required_settings(app_configs, **kwargs):
    return [Error(message, id="conflictapi.E001") for message in missing_settings()]


def require_settings():
    """Refuse to serve with a setting missing."""
    problems = missing_settings()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
