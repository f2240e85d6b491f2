"""A change to what a record shows inside others advances their updated_at, so that a
client syncing with `updated_since` sees the new rendering (conflictapi.dependents)."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actors.models import Actor, Affiliation
from events.models import Event, Place
from sources.models import Document, Outlet
from tests.factories import (
    ActorFactory,
    AffiliationFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db


def synced_since(resource, moment):
    response = APIClient().get(
        reverse(f"{resource}-list"), {"updated_since": moment.isoformat(), "page_size": 1000}
    )
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world():
    place = PlaceFactory(latitude="35.61", longitude="36.64")
    actor, other = ActorFactory(), ActorFactory()
    document = DocumentFactory()
    event = EventFactory(place=place)
    EventParticipantFactory(event=event, actor=actor)
    EventCitationFactory(event=event, document=document)
    tie = AffiliationFactory(subject=actor, object=other)
    bystander = EventFactory(place=PlaceFactory())
    # Everything above was written "an hour ago".
    past = timezone.now() - datetime.timedelta(hours=1)
    for model in (Place, Actor, Document, Outlet, Event, Affiliation):
        model.objects.update(updated_at=past)
    return {
        "place": place,
        "actor": actor,
        "document": document,
        "event": event,
        "tie": tie,
        "bystander": bystander,
        "since": past + datetime.timedelta(minutes=1),
    }


def test_renaming_an_actor_advances_its_events_and_ties(world):
    actor = Actor.objects.get(pk=world["actor"].pk)
    actor.name = "Jaysh al-Fath"
    actor.save()
    assert synced_since("events-api:event", world["since"]) == {str(world["event"].pk)}
    assert synced_since("actors-api:affiliation", world["since"]) == {str(world["tie"].pk)}


def test_moving_a_place_advances_its_events(world):
    place = Place.objects.get(pk=world["place"].pk)
    place.latitude = "35.70"
    place.save()
    assert synced_since("events-api:event", world["since"]) == {str(world["event"].pk)}


def test_renaming_or_moving_a_region_advances_the_events_anywhere_below_it(world):
    """An event's ACLED row names the places above its own (admin1–admin3): renaming
    the governorate, or moving it, is a change to every event below it, once."""
    governorate = PlaceFactory(name="Idlib", kind="admin1")
    place = Place.objects.get(pk=world["place"].pk)
    place.parent = governorate
    place.save()
    Event.objects.update(updated_at=world["since"] - datetime.timedelta(seconds=1))
    version = Event.objects.get(pk=world["event"].pk).version

    governorate.name = "Idleb"
    governorate.save()
    assert synced_since("events-api:event", world["since"]) == {str(world["event"].pk)}
    assert Event.objects.get(pk=world["event"].pk).version == version + 1
    response = APIClient().get("/api/acled/acled/read")
    rows = json.loads(b"".join(response.streaming_content))["data"]
    assert [r["admin1"] for r in rows if r["location"] == place.name] == ["Idleb"]

    Event.objects.update(updated_at=world["since"] - datetime.timedelta(seconds=1))
    governorate.parent = PlaceFactory(name="Syria", kind="country")
    governorate.save()
    assert synced_since("events-api:event", world["since"]) == {str(world["event"].pk)}


def test_renaming_an_outlet_advances_its_documents_and_what_they_support(world):
    outlet = Outlet.objects.get(pk=world["document"].outlet_id)
    outlet.name = "The Daily Beast (archive)"
    outlet.save()
    assert synced_since("sources-api:document", world["since"]) == {str(world["document"].pk)}
    assert synced_since("events-api:event", world["since"]) == {str(world["event"].pk)}


def test_retracting_a_document_advances_what_cites_it(world):
    document = Document.objects.get(pk=world["document"].pk)
    document.status, document.retraction_reason = "retracted", "fabricated"
    document.save()
    assert synced_since("events-api:event", world["since"]) == {str(world["event"].pk)}


def test_a_change_others_do_not_show_advances_nothing_else(world):
    actor = Actor.objects.get(pk=world["actor"].pk)
    actor.description = "A coalition of Islamist factions."
    actor.save()
    place = Place.objects.get(pk=world["place"].pk)
    place.latitude = "35.610000"  # the same number
    place.save()
    assert synced_since("events-api:event", world["since"]) == set()
    assert synced_since("actors-api:affiliation", world["since"]) == set()


def test_the_etag_moves_with_what_the_record_renders(world):
    """Issue 12: an event's ETag stayed "1" after a participant it renders was renamed."""
    url = reverse("events-api:event-detail", args=[world["event"].pk])
    first = APIClient().get(url)
    etag = first["ETag"]
    assert APIClient().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    actor = Actor.objects.get(pk=world["actor"].pk)
    actor.name = "Jaysh al-Fath"
    actor.save()
    again = APIClient().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert [p["actor"]["name"] for p in again.json()["participants"]] == ["Jaysh al-Fath"]
