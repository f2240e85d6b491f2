"""Event ids in ACLED's and UCDP's schemes: given once, when the event is created, never
re-derived, and never equal to an id of theirs."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from actors.models import AcledActorType, ActorKind
from events.models import (
    OWN_UCDP_START,
    Event,
    EventIdentifier,
    IdentifierCounter,
    PlaceKind,
)
from tests.factories import ActorFactory, EventFactory, PlaceFactory, event_type

pytestmark = pytest.mark.django_db

# ACLED's event_id_cnty: an ISO 3166 alpha-3 code and digits.
ACLED_ID = re.compile(r"^[A-Z]{3}\d+$")
# UCDP GED ids are below ten million.
UCDP_MAX = 10_000_000


def ids_of(event):
    return dict(EventIdentifier.objects.filter(event=event).values_list("scheme", "value"))


def test_a_new_event_gets_an_id_of_our_own_in_each_scheme():
    events = [EventFactory() for _ in range(5)]
    acled = [ids_of(e)["acled"] for e in events]
    ucdp = [int(ids_of(e)["ucdp"]) for e in events]
    assert all(re.fullmatch(r"CDA-\d+", v) and not ACLED_ID.match(v) for v in acled)
    assert len(set(acled)) == 5
    assert all(OWN_UCDP_START <= v < 2**53 and v >= UCDP_MAX for v in ucdp)
    # Consecutive, in the order of creation.
    assert ucdp == list(range(ucdp[0], ucdp[0] + 5))
    assert [int(v.removeprefix("CDA-")) for v in acled] == [
        int(acled[0].removeprefix("CDA-")) + i for i in range(5)
    ]


def test_a_resave_keeps_the_ids():
    event = EventFactory()
    before = ids_of(event)
    event.title = "Renamed"
    event.save()
    Event.objects.get(pk=event.pk).save()
    assert ids_of(event) == before
    assert EventIdentifier.objects.filter(event=event).count() == 2


def test_an_imported_event_keeps_its_given_id():
    event = Event(title="Imported", event_type=event_type(), date="2020-01-02")
    event.save(identifiers={"acled": "SYR12345"})
    ids = ids_of(event)
    assert ids["acled"] == "SYR12345"
    assert int(ids["ucdp"]) >= OWN_UCDP_START


def test_an_id_another_event_holds_is_refused_and_nothing_is_written():
    first = Event(title="One", event_type=event_type(), date="2020-01-02")
    first.save(identifiers={"acled": "SYR1"})
    second = Event(title="Two", event_type=event_type(), date="2020-01-02")
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save(identifiers={"acled": "SYR1"})
    assert not Event.objects.filter(title="Two").exists()


def test_allocated_blocks_do_not_overlap():
    a = IdentifierCounter.allocate("acled", 100)
    b = IdentifierCounter.allocate("acled", 1)
    c = IdentifierCounter.allocate("acled", 50)
    assert b == a + 100 and c == b + 1
    event = EventFactory()
    assert ids_of(event)["acled"] == f"CDA-{c + 50}"


def test_the_counter_is_recreated_after_a_flush():
    IdentifierCounter.objects.all().delete()
    assert IdentifierCounter.allocate("ucdp", 3) == OWN_UCDP_START
    assert IdentifierCounter.allocate("acled", 1) == 1


def test_the_migration_backfills_every_event_and_moves_the_counters_past_them():
    events = [EventFactory() for _ in range(4)]
    EventIdentifier.objects.all().delete()
    kept = EventFactory()  # holds its ids; the backfill leaves them
    kept_ids = ids_of(kept)
    migration = importlib.import_module("events.migrations.0018_event_identifiers_backfill")
    migration.backfill(apps, SimpleNamespace(connection=connection))
    for event in [*events, kept]:
        assert set(ids_of(event)) == {"acled", "ucdp"}
    assert ids_of(kept) == kept_ids
    values = list(EventIdentifier.objects.values_list("scheme", "value"))
    assert len(values) == len(set(values)) == 10
    # A new event's ids collide with none of them.
    later = EventFactory()
    assert set(ids_of(later).items()).isdisjoint(values)


def test_actor_acled_type_defaults_from_the_kind_and_curators_override_it():
    assert ActorFactory(kind=ActorKind.STATE_FORCE).effective_acled_actor_type == 1
    assert ActorFactory(kind=ActorKind.ARMED_GROUP).effective_acled_actor_type == 2
    assert ActorFactory(kind=ActorKind.MEDIA).effective_acled_actor_type == 7
    actor = ActorFactory(kind=ActorKind.ARMED_GROUP, acled_actor_type=AcledActorType.CIVILIANS)
    assert actor.effective_acled_actor_type == 7
    actor.acled_actor_type = 9
    with pytest.raises(Exception, match="acled_actor_type"):
        actor.full_clean()


def test_places_may_be_third_level_divisions():
    place = PlaceFactory(kind=PlaceKind.ADMIN3)
    place.full_clean()
    assert place.kind == "admin3"
