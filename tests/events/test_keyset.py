"""Keyset (cursor) pagination of the events list: deep pages at constant cost."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
URL = reverse("events-api:event-list")


def test_cursor_walks_every_event_once_in_list_order():
    for day in (1, 2, 2, 2, 3, 5, 8):  # ties on one day are ordered by id
        EventFactory(date=f"2014-11-{day:02d}")
    EventFactory(date="2014-11-04", status="draft")  # never shown to anonymous clients
    api = APIClient()
    expected = [row["id"] for row in api.get(URL, {"page_size": 100}).json()["results"]]

    seen, url, params = [], URL, {"cursor": "", "page_size": 3}
    for _ in range(10):
        body = api.get(url, params).json()
        assert body["count"] == 7 and body["previous"] is None
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        url, params = body["next"], None
    assert seen == expected and len(seen) == 7


def test_cursor_keeps_the_filters():
    EventFactory(date="2014-11-01")
    kept = [EventFactory(date=f"2015-0{m}") for m in (1, 2, 3)]
    body = APIClient().get(URL, {"cursor": "", "page_size": 2, "date_from": "2015-01-01"}).json()
    follow = APIClient().get(body["next"]).json()
    ids = [r["id"] for r in body["results"] + follow["results"]]
    assert sorted(ids) == sorted(str(e.pk) for e in kept)
    assert follow["next"] is None


@pytest.mark.parametrize(
    "params",
    [{"cursor": "not-a-cursor"}, {"cursor": "", "page": 2}, {"cursor": "", "ordering": "title"}],
)
def test_bad_cursor_use_is_a_400_naming_cursor(params):
    response = APIClient().get(URL, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["cursor"]
