"""Page-number pages past the first are read by key first (a deferred join): every page
must hold exactly the rows the same slice of the whole ordered list holds."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actors.models import Actor
from conflictapi.api.counts import deferred_slice
from tests.factories import ActorFactory, EventFactory, EventParticipantFactory

pytestmark = pytest.mark.django_db
URL = reverse("events-api:event-list")


def walk(api, params, size):
    ids, page = [], 1
    while True:
        response = api.get(URL, {**params, "page_size": size, "page": page})
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        page += 1


@pytest.mark.parametrize(
    "params",
    [{}, {"ordering": "fatalities_best"}, {"ordering": "-title"}, {"date_from": "2014-11-03"}],
)
def test_pages_concatenate_to_the_whole_list(params):
    for day in (1, 2, 2, 2, 3, 5, 8, 8, 9):  # ties on a day are ordered by id
        EventFactory(date=f"2014-11-{day:02d}", fatalities_best=day % 4)
    EventFactory(date="2014-11-04", status="draft")  # never shown to anonymous clients
    api = APIClient()
    whole = [row["id"] for row in api.get(URL, {**params, "page_size": 100}).json()["results"]]
    assert len(whole) == (9 if not params.get("date_from") else 5)
    for size in (1, 2, 4):
        assert walk(api, params, size) == whole


def test_deep_pages_carry_their_own_participants():
    events = [EventFactory(date=f"2015-01-{day:02d}") for day in range(1, 6)]
    for event in events:
        EventParticipantFactory(event=event, actor__name=f"Actor of {event.date}")
    body = APIClient().get(URL, {"page_size": 2, "page": 2}).json()
    assert [row["date"] for row in body["results"]] == ["2015-01-03", "2015-01-02"]
    assert [row["participants"][0]["actor"]["name"] for row in body["results"]] == [
        "Actor of 2015-01-03",
        "Actor of 2015-01-02",
    ]


def test_deferred_slice_matches_a_plain_slice_with_values_and_filters():
    for n in range(7):
        ActorFactory(name=f"Actor {n % 3} {n}")
    queryset = Actor.objects.filter(name__startswith="Actor").order_by("-name")
    whole = list(queryset.values("slug", "name"))
    for bottom in range(0, 7):
        for top in range(bottom, 8):
            assert (
                list(deferred_slice(queryset, bottom, top, ("slug", "name"))) == whole[bottom:top]
            )
