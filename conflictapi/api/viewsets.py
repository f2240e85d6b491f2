"""The one viewset base: visibility, slug or UUID lookup, ETags, publish and retract."""

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, MethodNotAllowed
from rest_framework.response import Response

from conflictapi import publishing
from conflictapi.api.filters import parse_uuid
from conflictapi.api.formats import CSVListMixin
from conflictapi.api.permissions import can_publish
from conflictapi.api.serializers import BulkCreateSerializer
from conflictapi.models import StaleVersionError, Status
from conflictapi.visibility import viewer_of


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "Send the record's ETag as If-Match (GET it first): a change to a record is "
        "made only to the version it was read at, so that no one's newer change is lost."
    )


class PublishSerializer(serializers.Serializer):
    with_dependencies = serializers.BooleanField(
        default=False,
        help_text="Also publish the drafts the record renders (its type, place, actors, "
        "cited documents and their outlets, and theirs), in one transaction. Without it, "
        "a record with unpublished dependencies is refused with 409 naming each.",
    )


class RetractSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the record is withdrawn; syncing clients see it."
    )


class CuratedViewSet(CSVListMixin, viewsets.ModelViewSet):
    """List, retrieve, create, update; publish and retract for editors; delete drafts.

    Anonymous readers see published records; a record they may not see is absent
    wherever another renders it. A retracted record stays readable by its id, and lists
    show retractions when asked (`status=retracted`), so that syncing clients learn of
    them: as a tombstone (id, status, reason, when), never its content. Users who may
    view the model in the admin also see drafts and retractions in full.
    """

    lookup_value_regex = "[^/]+"
    slug_lookup = True
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    csv_columns = None
    list_actions = ("list",)
    # The format of a URL that names one (conflictapi.api.routers): `events.csv`.
    fixed_format = None

    def get_format_suffix(self, **kwargs):
        return self.fixed_format or super().get_format_suffix(**kwargs)

    def initial(self, request, *args, **kwargs):
        # A method the route does not serve (TRACE, or POST on the export) is a 405
        # before authentication or permissions are asked about it.
        method = request.method.lower()
        if method not in self.http_method_names or getattr(self, method, None) is None:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def viewer(self):
        return viewer_of(self.request)

    def visible(self, queryset):
        """The records of `queryset` the requester may reach on this path, by the one
        policy of conflictapi.visibility: everything for curators; otherwise what is
        published (with the records it cannot stand without), and retracted records as
        tombstones on their own URL and under `status=retracted`."""
        viewer = self.viewer()
        if viewer.full(queryset.model):
            return queryset
        shown = viewer.q(queryset.model)
        tombstones = self.action == "retrieve" or (
            self.action in self.list_actions and "status" in self.request.query_params
        )
        if tombstones:
            shown |= Q(status=Status.RETRACTED)
        return queryset.filter(shown)

    def get_queryset(self):
        return self.visible(super().get_queryset())

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        pk = parse_uuid(value)
        if pk is not None:
            obj = get_object_or_404(queryset, pk=pk)
        elif self.slug_lookup:
            obj = get_object_or_404(queryset, slug=value)
        else:
            obj = get_object_or_404(queryset.none())
        self.check_object_permissions(self.request, obj)
        return obj

    def create(self, request, *args, **kwargs):
        """Create a record; or, with a JSON list as the body, create every record of
        the list in one transaction: all of them or, on any error, none. Each is
        validated as a single create is, and an error names the item by its index
        from 0 (`2.date`). A body over the size limit (API_MAX_BODY_BYTES) is a 413:
        split a larger list. New records are drafts."""
        if not isinstance(request.data, list):
            return super().create(request, *args, **kwargs)
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        serializer = BulkCreateSerializer(
            child=serializer_class(context=context),
            data=request.data,
            context=context,
            allow_empty=False,
        )
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        etag = f'"{response.data["version"]}"'
        # Weak comparison (RFC 9110): W/"3", as a compressed response carried it, is "3".
        held = request.headers.get("If-None-Match", "").split(",")
        held = {tag.strip().removeprefix("W/") for tag in held}
        if etag in held:
            # The client's copy is current (the version moves with the representation,
            # related records' names included: conflictapi.dependents).
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        response["ETag"] = etag
        return response

    def check_if_match(self, instance):
        """A change applies to the version the client read (RFC 9110 If-Match): 428
        without one (`*` included: it guards nothing), 412 when it is stale."""
        header = self.request.headers.get("If-Match")
        if header is None or header.strip() in ("", "*"):
            raise PreconditionRequired()
        tags = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
        if str(instance.version) not in tags:
            raise PreconditionFailed(
                f"The record is at version {instance.version}; your If-Match was {header}. "
                "Fetch it again and reapply your change."
            )

    def perform_update(self, serializer):
        self.check_if_match(serializer.instance)
        try:
            with transaction.atomic():
                # A published record may not be pointed at an unpublished one: the
                # write (conflictapi.records) refuses it.
                serializer.save()
        except StaleVersionError as exc:
            raise PreconditionFailed(str(exc)) from None
        except publishing.UnpublishedDependencies as exc:
            raise Conflict(exc.by_relation(), code="unpublished_dependency") from None

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_destroy(self, instance):
        self.check_if_match(instance)
        if instance.status != Status.DRAFT:
            raise Conflict(
                f"This record is {instance.status}: only drafts may be deleted. "
                "Retract it instead (POST …/retract/ with a reason)."
            )
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
            raise Conflict(f"Other records refer to this one and would be lost: {names}.") from None

    def _change_status(self, change):
        instance = self.get_object()
        self.check_if_match(instance)
        try:
            change(instance)
        except StaleVersionError as exc:
            raise PreconditionFailed(str(exc)) from None
        except publishing.UnpublishedDependencies as exc:
            raise Conflict(exc.by_relation(), code="unpublished_dependency") from None
        except publishing.RetractionConflict as exc:
            raise Conflict(str(exc), code="last_citation") from None
        except publishing.Uncited as exc:
            raise Conflict({"citations": [str(exc)]}, code="uncited") from None
        serializer = self.get_serializer(instance)
        return Response(serializer.data, headers={"ETag": f'"{instance.version}"'})

    @extend_schema(
        request=PublishSerializer,
        summary="Publish a draft or retracted record",
        description="Refused (409, naming each) while the record renders records that "
        "are not published, unless `with_dependencies` publishes the drafts among them "
        "with it. A retracted dependency must be published on its own first.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user
        return self._change_status(
            lambda instance: publishing.publish(
                instance,
                user=user,
                with_dependencies=body.validated_data["with_dependencies"],
                may_publish=lambda model: can_publish(user, model),
            )
        )

    @extend_schema(request=RetractSerializer, summary="Retract a record, with a reason")
    @action(detail=True, methods=["post"])
    def retract(self, request, *args, **kwargs):
        body = RetractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"].strip()
        return self._change_status(
            lambda instance: publishing.retract(instance, reason=reason, user=request.user)
        )
