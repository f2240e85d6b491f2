from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from actors.api.serializers import (
    ActorIdentifierSerializer,
    ActorListSerializer,
    ActorNameSerializer,
    ActorSerializer,
    AffiliationListSerializer,
    AffiliationSerializer,
    NetworkSerializer,
)
from actors.filters import ActorFilterSet, AffiliationFilterSet
from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
    AffiliationKind,
)
from conflictapi.api.filters import overlap_q, parse_uuid, reject_unknown_params
from conflictapi.api.viewsets import CuratedViewSet
from conflictapi.models import Status

CITATIONS = ("document__outlet",)
SEARCH_COLUMNS = ("search_names", "search_skeletons")


class NetworkQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text="Only ties that may have held on this day (YYYY-MM-DD)."
    )
    depth = serializers.IntegerField(
        required=False, default=1, min_value=1, max_value=3, help_text="Steps out, 1 to 3."
    )
    kind = serializers.MultipleChoiceField(
        choices=AffiliationKind.choices,
        required=False,
        help_text="Only ties of these kinds; repeatable.",
    )


@extend_validation_errors(["invalid", "datetime"], "as_of", actions=["network"], methods=["get"])
@extend_validation_errors(
    ["invalid", "max_string_length", "min_value", "max_value"],
    "depth",
    actions=["network"],
    methods=["get"],
)
@extend_validation_errors(
    ["invalid_choice", "not_a_list", "empty"], "kind", actions=["network"], methods=["get"]
)
class ActorViewSet(CuratedViewSet):
    queryset = Actor.objects.prefetch_related("names", "identifiers")
    filterset_class = ActorFilterSet
    list_actions = ("list",)
    csv_columns = [
        ("id", "id"),
        ("slug", "slug"),
        ("name", "name"),
        ("kind", "kind"),
        ("country", "country"),
        ("founded", "founded"),
        ("dissolved", "dissolved"),
        ("aliases", "names[].name"),
        ("identifiers", "identifiers[].value"),
        ("status", "status"),
        ("updated_at", "updated_at"),
    ]

    def get_serializer_class(self):
        return ActorListSerializer if self.action == "list" else ActorSerializer

    # Nested lists a list page reads as rows (see paginate_queryset): field, model,
    # columns in output order.
    page_rows = (
        ("names", ActorName, ActorNameSerializer.Meta.fields),
        ("identifiers", ActorIdentifier, ActorIdentifierSerializer.Meta.fields),
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "network":
            return queryset.prefetch_related(None)
        if self.action == "list" and self.paginator is not None:
            # Aliases are read by paginate_queryset; the search columns (every name
            # of the actor, twice) are for the filter, not the page.
            return queryset.prefetch_related(None).defer(*SEARCH_COLUMNS)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("citations", ActorCitation.objects.select_related(*CITATIONS))
            )
        return queryset

    def paginate_queryset(self, queryset):
        """The page, each actor with its aliases and identifiers as rows (one query each,
        in the models' order), for PageRows to serialize as they are."""
        page = super().paginate_queryset(queryset)
        if page is None or self.action != "list":
            return page
        by_id = {actor.pk: actor for actor in page}
        for actor in page:
            actor.page_rows = {field: [] for field, _model, _columns in self.page_rows}
        for field, model, columns in self.page_rows:
            rows = model.objects.filter(actor_id__in=by_id).values_list("actor_id", *columns)
            for actor_id, *values in rows:
                by_id[actor_id].page_rows[field].append(dict(zip(columns, values, strict=True)))
        return page

    @extend_schema(
        parameters=[NetworkQuerySerializer],
        responses=NetworkSerializer,
        summary="The actor's affiliation network as it stood on a day",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def network(self, request, *args, **kwargs):
        reject_unknown_params(request.query_params, {*NetworkQuerySerializer().fields, "format"})
        params = NetworkQuerySerializer(
            data={**request.query_params.dict(), "kind": request.query_params.getlist("kind")}
        )
        params.is_valid(raise_exception=True)
        as_of = params.validated_data.get("as_of")
        depth = params.validated_data["depth"]
        kinds = params.validated_data.get("kind")
        centre = self.get_object()

        if self.privileged():
            edges_qs = Affiliation.objects.exclude(status=Status.RETRACTED)
        else:
            # Anonymous readers see published ties between published actors only.
            edges_qs = Affiliation.objects.filter(
                status=Status.PUBLISHED,
                subject__status=Status.PUBLISHED,
                object__status=Status.PUBLISHED,
            )
        if as_of:
            edges_qs = edges_qs.filter(overlap_q(as_of, as_of, "start_date", "end_date"))
        if kinds:
            edges_qs = edges_qs.filter(kind__in=kinds)

        depth_of = {centre.pk: 0}
        frontier = {centre.pk}
        for step in range(1, depth + 1):
            pairs = edges_qs.filter(Q(subject__in=frontier) | Q(object__in=frontier)).values_list(
                "subject_id", "object_id"
            )
            frontier = {end for pair in pairs for end in pair if end not in depth_of}
            depth_of.update(dict.fromkeys(frontier, step))
            if not frontier:
                break
        # Every tie among the actors reached, also between two on the outer rim.
        reached = list(depth_of)
        edge_ids = edges_qs.filter(subject__in=reached, object__in=reached).values("pk")

        edges = (
            Affiliation.objects.filter(pk__in=edge_ids)
            .prefetch_related(
                Prefetch("citations", AffiliationCitation.objects.select_related(*CITATIONS))
            )
            .order_by("start_date_start", "kind", "pk")
        )
        nodes = list(Actor.objects.filter(pk__in=depth_of).order_by("name"))
        for node in nodes:
            node.depth = depth_of[node.pk]
        data = NetworkSerializer(
            {"centre": centre.pk, "as_of": as_of, "depth": depth, "nodes": nodes, "edges": edges},
            context=self.get_serializer_context(),
        ).data
        return Response(data)


def actor_from_path(view):
    """The actor named in the URL (id or slug), or 404."""
    ref = view.kwargs["actor_ref"]
    pk = parse_uuid(ref)
    lookup = {"pk": pk} if pk else {"slug": ref}
    return get_object_or_404(view.visible(Actor.objects.all()), **lookup)


class AffiliationViewSet(CuratedViewSet):
    queryset = Affiliation.objects.select_related("subject", "object")
    filterset_class = AffiliationFilterSet
    slug_lookup = False
    list_actions = ("list", "for_actor")
    csv_columns = [
        ("id", "id"),
        ("subject", "subject.slug"),
        ("subject_name", "subject.name"),
        ("kind", "kind"),
        ("object", "object.slug"),
        ("object_name", "object.name"),
        ("role", "role"),
        ("start_date", "start_date"),
        ("end_date", "end_date"),
        ("status", "status"),
        ("updated_at", "updated_at"),
    ]

    def get_serializer_class(self):
        if self.action in self.list_actions:
            return AffiliationListSerializer
        return AffiliationSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.privileged():
            # A published tie must not reveal an actor still in draft.
            queryset = queryset.exclude(subject__status=Status.DRAFT).exclude(
                object__status=Status.DRAFT
            )
        if self.action == "for_actor":
            actor = actor_from_path(self)
            queryset = queryset.filter(Q(subject=actor) | Q(object=actor))
        elif self.action not in self.list_actions:
            queryset = queryset.prefetch_related(
                Prefetch("citations", AffiliationCitation.objects.select_related(*CITATIONS))
            )
        return queryset

    @extend_schema(
        responses=AffiliationListSerializer(many=True),
        filters=True,
        summary="An actor's ties, on either side",
    )
    def for_actor(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
