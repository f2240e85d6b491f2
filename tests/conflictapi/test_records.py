"""conflictapi.records.save_record: a record and its rows in one validated write, the
path the API's nested writes take (and importers will)."""

import pytest
from django.core.exceptions import ValidationError

from conflictapi.publishing import UnpublishedDependencies
from conflictapi.records import RowError, save_record
from events.models import Event, EventParticipant
from tests.factories import ActorFactory, EventFactory, PlaceFactory, event_type

pytestmark = pytest.mark.django_db


def test_a_record_and_its_rows_are_written_together():
    first, second = ActorFactory(), ActorFactory()
    event = save_record(
        Event(),
        fields={"title": "Clash", "event_type": event_type(), "date": "2015-03"},
        rows={
            "participants": [
                {"actor": first, "role": "initiator"},
                {"actor": second, "role": "target"},
            ]
        },
    )
    assert {(p.actor_id, p.role) for p in event.participants.all()} == {
        (first.pk, "initiator"),
        (second.pk, "target"),
    }
    # A list given again replaces the rows; one left out keeps them.
    save_record(event, rows={"participants": [{"actor": second, "role": "party"}]})
    save_record(event, fields={"title": "Clash at dawn"})
    assert [(p.actor_id, p.role) for p in event.participants.all()] == [(second.pk, "party")]


def test_a_bad_row_writes_nothing_and_says_which():
    actor = ActorFactory()
    rows = [{"actor": actor, "role": "initiator"}, {"actor": actor, "role": "hero"}]
    with pytest.raises(RowError) as caught:
        save_record(
            Event(),
            fields={"title": "Clash", "event_type": event_type(), "date": "2015-03"},
            rows={"participants": rows},
        )
    assert (caught.value.relation, caught.value.index) == ("participants", 1)
    assert "role" in caught.value.error.message_dict
    assert not Event.objects.exists() and not EventParticipant.objects.exists()


def test_a_bad_record_is_refused_before_anything_is_written():
    with pytest.raises(ValidationError) as caught:
        save_record(Event(), fields={"title": "Clash", "event_type": event_type(), "date": "soon"})
    assert "date" in caught.value.message_dict
    assert not Event.objects.exists()


def test_a_published_record_may_not_be_pointed_at_a_draft():
    event = EventFactory(place=PlaceFactory())
    with pytest.raises(UnpublishedDependencies):
        save_record(event, fields={"place": PlaceFactory(status="draft")})
    event.refresh_from_db()
    assert event.place.status == "published"
