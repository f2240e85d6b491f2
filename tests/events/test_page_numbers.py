"""Page-number pages past the first are read by key first (a deferred join): every page
must hold exactly the rows the same slice of the whole ordered list holds."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from actors.models import Actor
from conflictapi.api.paginator import deferred_slice
from events.models import Event
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


@pytest.fixture
def seeking():
    """Counts cached and a landmark every 3 rows: pages past row 3 are sought by key."""
    cache.clear()
    with override_settings(API_COUNT_CACHE_SECONDS=300, API_SEEK_STEP=3):
        yield
    cache.clear()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "-date_start"},
        {"ordering": "title"},
        {"ordering": "-created_at"},
        {"ordering": "fatalities_best"},  # may be null: read by offset
        {"date_from": "2014-11-03"},
    ],
)
def test_sought_pages_hold_the_rows_of_the_whole_list(seeking, params):
    for n, day in enumerate((1, 2, 2, 2, 3, 5, 8, 8, 8, 8, 9, 9, 12, 12, 13)):
        EventFactory(date=f"2014-11-{day:02d}", title=f"Event {n % 4}", fatalities_best=day % 4)
    api = APIClient()
    whole = [row["id"] for row in api.get(URL, {**params, "page_size": 100}).json()["results"]]
    for size in (1, 2, 4, 5):
        cache.clear()
        assert walk(api, params, size) == whole  # landmarks recorded on the way
        for page in reversed(range(1, len(whole) // size + 1)):  # and read back, deepest first
            body = api.get(URL, {**params, "page_size": size, "page": page}).json()
            assert [row["id"] for row in body["results"]] == whole[(page - 1) * size :][:size]


def test_events_of_unknown_date_are_sought_where_the_database_sorts_them(seeking):
    events = [EventFactory(date=f"2014-11-{n % 5 + 1:02d}") for n in range(12)]
    # A date whose bounds could not be derived (not something save() writes today).
    Event.objects.filter(pk__in=[e.pk for e in events[::3]]).update(date_start=None)
    api = APIClient()
    for params in ({}, {"ordering": "date_start"}, {"ordering": "-date_start"}):
        whole = [row["id"] for row in api.get(URL, {**params, "page_size": 100}).json()["results"]]
        assert len(whole) == 12
        for size in (1, 2, 5):
            cache.clear()
            assert walk(api, params, size) == whole


def test_a_deep_page_records_its_landmark_for_the_pages_after_it(
    seeking, django_assert_num_queries
):
    for day in range(1, 21):
        EventFactory(date=f"2014-11-{day:02d}")
    api = APIClient()
    whole = [row["id"] for row in api.get(URL, {"page_size": 100}).json()["results"]]
    # The key of row 15 (a landmark); the page; its identifiers; its participants.
    with django_assert_num_queries(4):
        body = api.get(URL, {"page_size": 5, "page": 4}).json()
    assert [row["id"] for row in body["results"]] == whole[15:20]
    with django_assert_num_queries(3):  # the landmark and the count from the cache
        body = api.get(URL, {"page_size": 3, "page": 6}).json()
    assert [row["id"] for row in body["results"]] == whole[15:18]
    with django_assert_num_queries(4):  # row 18's key, found from row 15's
        body = api.get(URL, {"page_size": 2, "page": 10}).json()
    assert [row["id"] for row in body["results"]] == whole[18:20]


def test_a_write_moves_the_pages_after_it(seeking):
    events = [EventFactory(date=f"2014-11-{day:02d}") for day in range(1, 13)]
    api = APIClient()
    before = api.get(URL, {"page_size": 4, "page": 3}).json()["results"]
    assert [row["id"] for row in before] == [str(e.pk) for e in events[3::-1]]
    EventFactory(date="2014-12-01")  # the newest: every row moves one place down
    events[1].status = "retracted"  # no longer listed
    events[1].retraction_reason = "Duplicate of another record."
    events[1].save()
    whole = [row["id"] for row in api.get(URL, {"page_size": 100}).json()["results"]]
    body = api.get(URL, {"page_size": 4, "page": 3}).json()
    assert [row["id"] for row in body["results"]] == whole[8:12]
    assert whole[8:12] == [str(e.pk) for e in (events[4], events[3], events[2], events[0])]
