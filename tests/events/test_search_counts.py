"""A text search counts exactly up to API_SEARCH_COUNT_LIMIT matches; past that the
list says `count_exact: false`, and still serves every page."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ActorFactory, EventFactory
from tests.paging import follow_next

pytestmark = pytest.mark.django_db
URL = reverse("events-api:event-list")


@pytest.fixture(autouse=True)
def limit_of_three():
    with override_settings(API_SEARCH_COUNT_LIMIT=3):
        yield


@pytest.fixture
def clashes():
    events = [
        EventFactory(date=f"2015-03-{day:02d}", title=f"Clashes {day}") for day in range(1, 8)
    ]
    EventFactory(date="2015-03-20", title="Air strike", summary="No clash here.")
    return events


def test_a_search_past_the_limit_reports_a_lower_bound(clashes):
    body = APIClient().get(URL, {"q": "clashes", "page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, False)
    assert [row["title"] for row in body["results"]] == ["Clashes 7", "Clashes 6"]
    assert "page=2" in body["next"]


def test_a_page_that_reaches_past_the_bound_is_counted_exactly(clashes):
    body = APIClient().get(URL, {"q": "clashes", "page_size": 5}).json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (7, True, 5)


def test_a_search_within_the_limit_is_counted_exactly(clashes):
    body = APIClient().get(URL, {"q": "clashes 1", "page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (1, True)
    body = APIClient().get(URL, {"q": "strike", "page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (1, True)


def test_lists_without_a_search_are_always_counted_exactly(clashes):
    body = APIClient().get(URL, {"date_from": "2015-03-02", "page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (7, True)


def test_next_leads_past_the_bound_to_every_match(clashes):
    api = APIClient()
    ids, bodies = follow_next(api, URL, {"q": "clashes", "page_size": 2})
    assert ids == [str(e.pk) for e in reversed(clashes)]
    # Pages within the bound carry the bound; the page that reaches it, the true count.
    assert [(b["count"], b["count_exact"]) for b in bodies] == [(3, False)] + [(7, True)] * 3


def test_a_page_past_the_bound_and_the_last_page(clashes):
    api = APIClient()
    body = api.get(URL, {"q": "clashes", "page_size": 2, "page": 4}).json()
    assert [row["title"] for row in body["results"]] == ["Clashes 1"]
    assert (body["count"], body["count_exact"], body["next"]) == (7, True, None)
    body = api.get(URL, {"q": "clashes", "page_size": 2, "page": "last"}).json()
    assert [row["title"] for row in body["results"]] == ["Clashes 1"]
    assert api.get(URL, {"q": "clashes", "page_size": 2, "page": 5}).status_code == 404


def test_the_cursor_and_csv_say_the_same(clashes):
    api = APIClient()
    body = api.get(URL, {"q": "clashes", "cursor": "", "page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, False)
    response = api.get(URL, {"q": "clashes", "format": "csv", "page_size": 2})
    assert "X-Total-Count" not in response  # a header named "total" is exact or absent
    response = api.get(URL, {"q": "strike", "format": "csv"})
    assert response["X-Total-Count"] == "1"
    body = api.get(URL, {"q": "clashes", "format": "geojson", "page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, False)


def test_actor_search_is_bounded_the_same_way():
    for n in range(5):
        ActorFactory(name=f"Brigade {n}")
    url = reverse("actors-api:actor-list")
    body = APIClient().get(url, {"q": "brigade", "page_size": 2}).json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (3, False, 2)


def test_exactly_the_limit_is_an_exact_count():
    for day in (1, 2, 3):
        EventFactory(date=f"2015-04-{day:02d}", title=f"Shelling {day}")
    body = APIClient().get(URL, {"q": "shelling", "page_size": 2}).json()
    assert (body["count"], body["count_exact"], len(body["results"])) == (3, True, 2)
