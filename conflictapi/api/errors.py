"""Errors that reach the API from below DRF, turned into the one error shape: a body
over the size limit (API_MAX_BODY_BYTES) is a 413; an unreachable database a 503 with
Retry-After (the driver's message, with its host and port, is logged, not sent)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.utils import InterfaceError, OperationalError
from django.http import JsonResponse
from drf_standardized_errors.handler import ExceptionHandler as StandardizedHandler
from rest_framework import status
from rest_framework.exceptions import APIException

# Seconds a client is asked to wait while the database is unreachable.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "database_unavailable"
    default_detail = "The database is unreachable; try again shortly."


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


class ExceptionHandler(StandardizedHandler):
    """drf-standardized-errors' handler (DRF_STANDARDIZED_ERRORS' EXCEPTION_HANDLER_CLASS),
    with Django's errors about the request itself turned into their 4xx."""

    def convert_known_exceptions(self, exc):
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge(
                f"The body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes "
                "(API_MAX_BODY_BYTES)."
            )
        if isinstance(exc, (OperationalError, InterfaceError)):
            return DatabaseUnavailable()
        return super().convert_known_exceptions(exc)

    def get_response(self, exc, data):
        response = super().get_response(exc, data)
        if isinstance(exc, DatabaseUnavailable):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def error_response(status_code, code, detail, error_type="client_error"):
    """An error in the one shape, for answers made outside DRF's views (middleware,
    Django's handlers): one error, naming no field."""
    body = {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status_code)
