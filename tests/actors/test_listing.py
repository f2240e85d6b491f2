"""The actors list's fast path returns exactly what ActorListSerializer would."""

import json

import pytest
from django.urls import reverse
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from actors.api.serializers import ActorListSerializer
from actors.models import Actor
from tests.factories import ActorFactory, ActorIdentifierFactory, ActorNameFactory

pytestmark = pytest.mark.django_db
URL = reverse("actors-api:actor-list")


def test_fast_path_matches_serializer():
    full = ActorFactory(
        name="Jabhat al-Nusra",
        country="SY",
        description="Arabic: جبهة النصرة",
        founded="2011-12",
        dissolved="2016-07-28",
    )
    for name, kind in (("JN", "short"), ("جبهة النصرة", "original"), ("al-Nusra Front", "short")):
        ActorNameFactory(actor=full, name=name, kind=kind, language="ar", note="n")
    ActorIdentifierFactory(actor=full, scheme="wikidata", value="Q1")
    ActorFactory(name="Bare", country="", founded="", dissolved="")  # no aliases, no dates
    ActorFactory(name="Open", founded="2013/..")  # an open interval

    response = APIClient().get(URL, {"page_size": 100})
    assert response.status_code == 200
    fast = json.loads(response.content)["results"]

    request = APIRequestFactory().get(URL)
    actors = Actor.objects.filter(status="published").order_by("name", "pk")
    slow = ActorListSerializer(actors, many=True, context={"request": request}).data
    # The serializer's JSON, through the same renderer.
    assert fast == json.loads(ORJSONRenderer().render(slow))
    full_row = next(row for row in fast if row["id"] == str(full.pk))
    assert sorted(n["name"] for n in full_row["names"]) == ["JN", "al-Nusra Front", "جبهة النصرة"]
    assert full_row["identifiers"] == [{"scheme": "wikidata", "value": "Q1"}]


def test_search_ranking_survives_the_fast_path():
    ActorFactory(name="Nusra Front supporters")
    exact = ActorFactory(name="Nusra Front")
    rows = APIClient().get(URL, {"q": "Nusra Front"}).json()["results"]
    assert rows[0]["id"] == str(exact.pk) and len(rows) == 2
