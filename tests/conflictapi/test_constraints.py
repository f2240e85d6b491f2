"""Each database constraint refuses the row that violates it, without Python's help.

The rows are written with QuerySet.create / save(), which skip full_clean(): only the
database stands between them and the table.
"""

import pytest
from django.db import IntegrityError, transaction

from actors.models import ActorCitation, ActorIdentifier, ActorName, Affiliation
from events.models import Event, EventParticipant, EventType, Place
from sources.models import Outlet
from tests.factories import (
    ActorFactory,
    ActorNameFactory,
    AffiliationFactory,
    DocumentFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_no_self_affiliation():
    actor = ActorFactory()
    refused(lambda: Affiliation.objects.create(subject=actor, object=actor, kind="allied_with"))


def test_affiliation_end_not_before_start():
    refused(lambda: AffiliationFactory(start_date="2015-03", end_date="2014"))
    # Overlapping vague bounds are allowed: "2014" may end after "2014-10" began.
    assert AffiliationFactory(start_date="2014-10", end_date="2014").pk


def test_actor_dissolved_not_before_founded():
    refused(lambda: ActorFactory(founded="2013-04-08", dissolved="2012"))


@pytest.mark.parametrize(
    ("low", "best", "high"),
    [(10, 5, None), (None, 20, 10), (30, None, 20)],
)
def test_fatalities_ordered(low, best, high):
    refused(lambda: EventFactory(fatalities_low=low, fatalities_best=best, fatalities_high=high))


def test_fatalities_in_order_are_kept():
    event = EventFactory(fatalities_low=5, fatalities_best=7, fatalities_high=12)
    assert (event.fatalities_low, event.fatalities_best, event.fatalities_high) == (5, 7, 12)


def test_fatalities_not_negative():
    refused(lambda: EventFactory(fatalities_best=-1))


def test_event_needs_a_date():
    refused(lambda: Event.objects.create(title="Undated", event_type=event_type()))


@pytest.mark.parametrize(
    ("lat", "lon"), [(91, 36), (-90.5, 36), (35, 181), (35, -180.1), (35, None), (None, 36)]
)
def test_coordinates_in_range_and_paired(lat, lon):
    refused(lambda: PlaceFactory(latitude=lat, longitude=lon))


def test_place_not_its_own_parent():
    place = PlaceFactory()
    refused(lambda: Place.objects.filter(pk=place.pk).update(parent=place))


def test_identifier_unique_per_scheme():
    ActorIdentifier.objects.create(actor=ActorFactory(), scheme="wikidata", value="Q1")
    refused(
        lambda: ActorIdentifier.objects.create(actor=ActorFactory(), scheme="wikidata", value="Q1")
    )
    # The same value in another scheme is another identifier.
    assert ActorIdentifier.objects.create(actor=ActorFactory(), scheme="acled", value="Q1")


def test_alias_unique_per_actor():
    alias = ActorNameFactory(name="JN")
    refused(lambda: ActorName.objects.create(actor=alias.actor, name="JN", kind="acronym"))
    # Another actor may share the alias.
    assert ActorName.objects.create(actor=ActorFactory(), name="JN", kind="acronym")


def test_participant_role_unique_per_event():
    participant = EventParticipantFactory()
    refused(
        lambda: EventParticipant.objects.create(
            event=participant.event, actor=participant.actor, role=participant.role
        )
    )


def test_retraction_needs_reason():
    refused(lambda: Outlet.objects.create(name="X", slug="x", kind="news", status="retracted"))


def test_citation_needs_quote_and_credible_scale():
    actor, document = ActorFactory(), DocumentFactory()
    refused(lambda: ActorCitation.objects.create(actor=actor, document=document, quote=""))
    refused(
        lambda: ActorCitation.objects.create(
            actor=actor, document=document, quote="q", credibility=7
        )
    )


def test_unique_slugs():
    ActorFactory(slug="jabhat-al-nusra")
    refused(lambda: ActorFactory(slug="jabhat-al-nusra"))


def test_event_type_name_unique_within_parent():
    battles = EventType.objects.get(slug="battles")
    refused(
        lambda: EventType.objects.create(name="Armed clash", slug="armed-clash-2", parent=battles)
    )
