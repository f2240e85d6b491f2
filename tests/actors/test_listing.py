"""The actors list's fast path returns exactly what ActorListSerializer would."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from actors.api.serializers import ActorListSerializer
from actors.models import Actor
from tests.factories import ActorFactory, ActorIdentifierFactory, ActorNameFactory
from tests.paging import follow_next

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


def test_ranked_search_pages_carry_their_count_and_every_match_once():
    exact = ActorFactory(name="Nusra Front")
    others = [ActorFactory(name=f"Nusra Front {word}") for word in ("north", "south", "east")]
    ActorFactory(name="Islamic State")
    api = APIClient()
    whole = [row["id"] for row in api.get(URL, {"q": "nusra front"}).json()["results"]]
    assert whole[0] == str(exact.pk) and set(whole) == {str(a.pk) for a in [exact, *others]}
    with override_settings(API_SEARCH_COUNT_LIMIT=3):
        ids, bodies = follow_next(api, URL, {"q": "nusra front", "page_size": 2})
        # Within the bound the count is a lower bound; the page that reaches past it
        # counts exactly.
        assert [(b["count"], b["count_exact"]) for b in bodies] == [(3, False), (4, True)]
        assert ids == whole
        assert api.get(URL, {"q": "nusra front", "page_size": 2, "page": 3}).status_code == 404
        # A page that ends on the bound counts exactly too: is there a next page?
        body = api.get(URL, {"q": "nusra front", "page_size": 3}).json()
        assert (body["count"], body["count_exact"], len(body["results"])) == (4, True, 3)
        assert "page=2" in body["next"]
    with override_settings(API_SEARCH_COUNT_LIMIT=4):
        body = api.get(URL, {"q": "nusra front", "page_size": 2}).json()
        assert (body["count"], body["count_exact"]) == (4, True)
