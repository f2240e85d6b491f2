from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from actors.api.listing import ACTOR_COLUMNS, actor_rows
from actors.api.renderers import GEXFRenderer, GraphMLRenderer
from actors.api.serializers import (
    ActorListSerializer,
    ActorSerializer,
    AffiliationListSerializer,
    AffiliationNetworkSerializer,
    AffiliationSerializer,
    NetworkSerializer,
)
from actors.filters import ActorFilterSet, AffiliationFilterSet
from actors.models import (
    Actor,
    ActorCitation,
    Affiliation,
    AffiliationCitation,
    AffiliationKind,
)
from actors.selectors import network_reach, visible_actor
from conflictapi.api.filters import reject_unknown_params
from conflictapi.api.viewsets import CuratedViewSet
from conflictapi.models import Status

# A network in JSON (the default), GraphML or GEXF (actors.api.renderers): each its own
# URL (network.graphml, conflictapi.api.routers), with ?format= and Accept as aliases;
# the renderer renders the one network the view builds.
NETWORK_RENDERERS = [*api_settings.DEFAULT_RENDERER_CLASSES, GraphMLRenderer, GEXFRenderer]


def network_responses(serializer):
    """The 200 of a network, in each of its formats."""
    return {
        (200, "application/json"): OpenApiResponse(
            serializer,
            description="The network: nodes (actors, by id) and edges (ties, subject to "
            "object). GraphML and GEXF carry the same nodes and edges, with the same "
            "attributes (a tie's citations as their count).",
        ),
        (200, GraphMLRenderer.media_type): OpenApiResponse(
            OpenApiTypes.STR,
            description="GraphML: a directed graph with typed keys; node ids are actor ids.",
        ),
        (200, GEXFRenderer.media_type): OpenApiResponse(
            OpenApiTypes.STR,
            description="GEXF 1.3, dynamic, each tie dated (start, end) for a timeline.",
        ),
    }


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

    page_values = ACTOR_COLUMNS

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("network", "list"):
            return queryset.prefetch_related(None)  # a list page is read by actor_rows
        return queryset.prefetch_related(
            Prefetch("citations", ActorCitation.objects.with_documents())
        )

    def list(self, request, *args, **kwargs):
        # The page is read as flat values and shaped by actors.api.listing; the
        # serializer (ActorListSerializer) still defines the schema and is held to the
        # same output by tests.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(actor_rows(page, request))

    @extend_schema(
        parameters=[NetworkQuerySerializer],
        responses=network_responses(NetworkSerializer),
        summary="The actor's affiliation network as it stood on a day",
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=None,
        pagination_class=None,
        renderer_classes=NETWORK_RENDERERS,
    )
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
        if not self.viewer().shows(centre):
            raise Http404  # a tombstone has no network

        # The ties the requester may see (published, between actors they may see), and
        # for curators every tie but the withdrawn ones.
        depth_of, edge_ids = network_reach(
            centre.pk,
            self.viewer().filter(Affiliation.objects.all()),
            as_of=as_of,
            depth=depth,
            kinds=kinds,
        )
        edges = (
            Affiliation.objects.filter(pk__in=edge_ids)
            .prefetch_related(Prefetch("citations", AffiliationCitation.objects.with_documents()))
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
    return visible_actor(view.kwargs["actor_ref"], view.request)


@extend_validation_errors(["too_many_ties"], actions=["network"], methods=["get"])
class AffiliationViewSet(CuratedViewSet):
    queryset = Affiliation.objects.select_related("subject", "object")
    filterset_class = AffiliationFilterSet
    slug_lookup = False
    list_actions = ("list", "for_actor")
    # subject_id and object_id join the rows to the nodes of a network.
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
        ("subject_id", "subject.id"),
        ("object_id", "object.id"),
    ]

    def get_serializer_class(self):
        if self.action in self.list_actions:
            return AffiliationListSerializer
        return AffiliationSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "for_actor":
            actor = actor_from_path(self)
            queryset = queryset.filter(Q(subject=actor) | Q(object=actor))
        elif self.action not in self.list_actions:
            queryset = queryset.prefetch_related(
                Prefetch("citations", AffiliationCitation.objects.with_documents())
            )
        return queryset

    @extend_schema(
        responses=AffiliationListSerializer(many=True),
        filters=True,
        summary="An actor's ties, on either side",
    )
    def for_actor(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        filters=True,
        responses=network_responses(AffiliationNetworkSerializer),
        summary="The ties any affiliation filter matches, as a network",
        description="Takes every filter of the affiliation list, and no paging: every "
        "matching tie, with the actors at its ends as nodes, as the list shows them to "
        "the requester. Retracted ties are left out unless `status` asks for them "
        "(curators only: to anyone else they are tombstones, which draw no edge). At most "
        "API_NETWORK_MAX_TIES ties (10,000 by default): a filter that matches more is a "
        "400 (code too_many_ties); narrow it, or read the affiliation list page by page.",
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=NETWORK_RENDERERS,
    )
    def network(self, request, *args, **kwargs):
        # Not a page: page and page_size would silently mean nothing.
        reject_unknown_params(request.query_params, {*self.filterset_class.base_filters, "format"})
        # As the list shows them, and never a tie whose end the requester may not see.
        ties = self.viewer().filter(self.filter_queryset(self.get_queryset()))
        if "status" not in request.query_params:
            ties = ties.exclude(status=Status.RETRACTED)
        # Built in memory: a bounded number of ties, whoever asks.
        most = settings.API_NETWORK_MAX_TIES
        edges = list(ties[: most + 1])
        if len(edges) > most:
            raise ValidationError(
                f"The filter matches more than {most:,} ties (API_NETWORK_MAX_TIES): narrow "
                "it, or read the affiliation list page by page.",
                code="too_many_ties",
            )
        # The ends come with the ties (select_related): no query a node.
        ends = {end.pk: end for tie in edges for end in (tie.subject, tie.object)}
        nodes = sorted(ends.values(), key=lambda actor: (actor.name, str(actor.pk)))
        data = AffiliationNetworkSerializer(
            {"nodes": nodes, "edges": edges}, context=self.get_serializer_context()
        ).data
        return Response(data)
