"""Cached list counts: served from the cache, and never older than the last write."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
URL = reverse("events-api:event-list")


@pytest.fixture(autouse=True)
def counts_cached():
    cache.clear()
    with override_settings(API_COUNT_CACHE_SECONDS=300):
        yield
    cache.clear()


def test_count_is_cached_between_requests(django_assert_num_queries):
    EventFactory.create_batch(3)
    api = APIClient()
    with django_assert_num_queries(4):  # count, page, identifiers, participants
        assert api.get(URL).json()["count"] == 3
    with django_assert_num_queries(3):  # the count comes from the cache
        assert api.get(URL, {"page": 1}).json()["count"] == 3


def test_a_write_invalidates_cached_counts():
    EventFactory.create_batch(2)
    api = APIClient()
    assert api.get(URL).json()["count"] == 2
    event = EventFactory()
    assert api.get(URL).json()["count"] == 3
    event.status = "retracted"
    event.retraction_reason = "duplicate"
    event.save()
    assert api.get(URL).json()["count"] == 2


def test_each_filter_has_its_own_count():
    EventFactory(date="2014-01-01")
    EventFactory(date="2015-01-01")
    api = APIClient()
    assert api.get(URL, {"date_from": "2015-01-01"}).json()["count"] == 1
    assert api.get(URL).json()["count"] == 2
