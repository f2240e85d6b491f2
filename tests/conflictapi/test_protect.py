"""Deletes that would orphan or lose curated facts are refused, and nothing is lost."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from actors.models import Actor, Affiliation
from conflictapi.models import PublishedDeleteError
from events.models import Event, EventType, Place
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


def protected(obj):
    with pytest.raises(ProtectedError), transaction.atomic():
        obj.delete()


def test_actor_with_affiliation_is_kept():
    affiliation = AffiliationFactory(subject__status="draft", object__status="draft")
    protected(affiliation.subject)
    protected(affiliation.object)
    assert Actor.objects.count() == 2
    assert Affiliation.objects.count() == 1


def test_actor_with_event_is_kept():
    participant = EventParticipantFactory(actor__status="draft")
    protected(participant.actor)
    assert Actor.objects.filter(pk=participant.actor_id).exists()
    assert participant.event.participants.count() == 1


def test_document_with_citations_is_kept():
    citation = EventCitationFactory(document__status="draft")
    protected(citation.document)
    assert Document.objects.filter(pk=citation.document_id).exists()


def test_outlet_with_documents_is_kept():
    document = DocumentFactory(outlet__status="draft")
    protected(document.outlet)
    assert Outlet.objects.count() == 1


def test_place_with_events_or_children_is_kept():
    parent = PlaceFactory(status="draft", kind="admin1")
    PlaceFactory(parent=parent)
    protected(parent)
    town = PlaceFactory(status="draft")
    EventFactory(place=town)
    protected(town)
    assert Place.objects.count() == 3


def test_event_type_with_events_is_kept():
    draft_type = EventType.objects.create(
        name="Siege", slug="siege", parent=EventType.objects.get(slug="battles")
    )
    event = EventFactory(event_type=draft_type)
    protected(event.event_type)
    assert EventType.objects.filter(pk=event.event_type_id).exists()


def test_only_drafts_are_deleted():
    published = ActorFactory(status="published")
    with pytest.raises(PublishedDeleteError):
        published.delete()
    assert Actor.objects.filter(pk=published.pk).exists()
    draft = ActorFactory(status="draft")
    draft.delete()
    assert not Actor.objects.filter(pk=draft.pk).exists()


def test_draft_event_deletes_with_its_participants_and_citations():
    event = EventFactory(status="draft")
    EventParticipantFactory(event=event)
    EventCitationFactory(event=event)
    event.delete()
    assert not Event.objects.exists()
    # The actor and the document outlive the event.
    assert Actor.objects.count() == 1
    assert Document.objects.count() == 1
