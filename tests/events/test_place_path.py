"""Events carry a copy of their place's path, which `?place=` reads: it must follow the
event's place and every move of a place in the tree, or the filter would lose events."""

import orjson
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Event
from tests.factories import EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db
URL = reverse("events-api:event-list")


def in_place(slug):
    response = APIClient().get(URL, {"place": slug})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def tree():
    syria = PlaceFactory(slug="syria", kind="country")
    iraq = PlaceFactory(slug="iraq", kind="country", country="IQ")
    aleppo = PlaceFactory(slug="aleppo-governorate", kind="admin1", parent=syria)
    town = PlaceFactory(slug="azaz", parent=aleppo)
    return syria, iraq, aleppo, town


def test_event_takes_its_place_path_on_create_and_on_change(tree):
    _syria, iraq, _aleppo, town = tree
    event = EventFactory(place=town)
    assert event.place_path == town.path
    assert in_place("syria") == {str(event.pk)} and in_place("iraq") == set()

    event.place = iraq
    event.save()
    assert Event.objects.get(pk=event.pk).place_path == iraq.path
    assert in_place("syria") == set() and in_place("iraq") == {str(event.pk)}

    event.place = None
    event.save(update_fields=["place"])
    assert Event.objects.get(pk=event.pk).place_path == ""
    assert in_place("iraq") == set()


def test_events_follow_a_place_moved_to_another_parent(tree):
    syria, iraq, aleppo, town = tree
    in_town, in_province, elsewhere = (
        EventFactory(place=town),
        EventFactory(place=aleppo),
        EventFactory(place=syria),
    )
    aleppo.parent = iraq  # a curator corrects the tree
    aleppo.save()
    town.refresh_from_db()
    assert Event.objects.get(pk=in_town.pk).place_path == town.path
    assert town.path.startswith(iraq.path)
    assert in_place("iraq") == {str(in_town.pk), str(in_province.pk)}
    assert in_place("syria") == {str(elsewhere.pk)}
    assert in_place("aleppo-governorate") == {str(in_town.pk), str(in_province.pk)}


def in_country(country, base="/api/v1/events/", key="id", **extra):
    response = APIClient().get(base, {"country": country, **extra})
    assert response.status_code == 200
    body = orjson.loads(b"".join(response) if response.streaming else response.content)
    return {str(row[key]) for row in body.get("results", body.get("data"))}


def test_event_carries_its_places_country_which_the_country_filters_read(tree):
    """Event.country is a copy of its place's country: set on create and on a change of
    place, and following an edit of the place's country; `country=` (ours and ACLED's)
    reads it."""
    syria, iraq, _aleppo, town = tree
    event = EventFactory(place=town)
    homeless = EventFactory(place=None)
    assert (event.country, homeless.country) == ("SY", "")
    assert in_country("SY") == {str(event.pk)}

    event.place = iraq
    event.save(update_fields=["place"])
    assert Event.objects.get(pk=event.pk).country == "IQ"
    assert in_country("SY") == set() and in_country("IQ") == {str(event.pk)}

    # The place's country is corrected: its events follow, and the filters with them.
    iraq.country = "JO"
    iraq.save()
    assert Event.objects.get(pk=event.pk).country == "JO"
    assert in_country("IQ") == set() and in_country("Jordan") == {str(event.pk)}
    acled = {"base": "/api/acled/acled/read", "key": "event_id_cnty"}
    assert in_country("Jordan", **acled) == {event.identifiers.get(scheme="acled").value}
    assert in_country("Syria", **acled) == set()
    assert syria.country == "SY"
