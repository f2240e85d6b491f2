"""Schema: every 4xx documented in the one error shape (drf-standardized-errors), with
the two codes this API adds: 409 (a delete that would lose data) and 412 (a stale
If-Match)."""

from django.db import models
from drf_standardized_errors.openapi import AutoSchema as ErrorDocumentingAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers


class ErrorCode409Enum(models.TextChoices):
    CONFLICT = "conflict"


class ErrorCode412Enum(models.TextChoices):
    PRECONDITION_FAILED = "precondition_failed"


class Error409Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode409Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


class Error412Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode412Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse412Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error412Serializer(many=True)


class AutoSchema(ErrorDocumentingAutoSchema):
    def _should_add_error_response(self, responses, status_code):
        action = getattr(self.view, "action", None)
        if status_code == "409" and self.method != "DELETE":
            return False
        writes = self.method in ("PUT", "PATCH", "DELETE") or action in ("publish", "retract")
        if status_code == "412" and not writes:
            return False
        return super()._should_add_error_response(responses, status_code)
