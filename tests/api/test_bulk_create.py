"""Bulk creation: a JSON list posted to a resource's list URL creates every record in
one transaction, or none; an error names the item's index and its field."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, Affiliation
from events.models import Event, EventParticipant
from tests.api.helpers_personas import (
    client_as,
    create_payload,
    errors,
    fresh_throttle_counts,  # noqa: F401
    list_url,
    row_counts,
)
from tests.factories import ActorFactory, PlaceFactory, event_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(request, curator):
    return client_as(request, "curator")


def event_item(n, actors=()):
    return {
        "title": f"Clash {n}",
        "event_type_id": str(event_type().pk),
        "date": "2015-03~",
        "participants": [{"actor_id": str(a.pk), "role": "party"} for a in actors],
    }


@pytest.mark.parametrize("resource", ["actor", "affiliation", "event", "place"])
def test_a_list_body_creates_every_record(client, resource):
    body = [create_payload(resource) for _ in range(3)]
    model = {"actor": Actor, "affiliation": Affiliation, "event": Event}.get(resource)
    before = model.objects.count() if model else None

    response = client.post(list_url(resource), body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert isinstance(data, list) and len(data) == 3
    assert all(item["status"] == "draft" and item["version"] == 1 for item in data)
    if model:
        assert model.objects.count() == before + 3
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} >= {
            i["id"] for i in data
        }


def test_created_events_carry_their_participants_in_order(client):
    nusra, srf = ActorFactory(slug="nusra"), ActorFactory(slug="srf")
    body = [event_item(1, [nusra]), event_item(2, [nusra, srf])]

    response = client.post(list_url("event"), body, format="json")

    assert response.status_code == 201, response.content
    assert [e["title"] for e in response.json()] == ["Clash 1", "Clash 2"]
    assert [sorted(p["actor"]["slug"] for p in e["participants"]) for e in response.json()] == [
        ["nusra"],
        ["nusra", "srf"],
    ]
    assert EventParticipant.objects.count() == 3


@pytest.mark.parametrize(
    ("bad", "attr"),
    [
        ({"date": "late October"}, "2.date"),
        ({"event_type_id": "00000000-0000-0000-0000-000000000000"}, "2.event_type_id"),
        ({"fatalities_low": 9, "fatalities_best": 3}, "2.non_field_errors"),
        ({"participants": [{"actor_id": "nope", "role": "party"}]}, "2.participants.0.actor_id"),
    ],
)
def test_one_bad_item_is_a_400_naming_its_index_and_nothing_is_written(client, bad, attr):
    actor = ActorFactory()
    body = [event_item(n, [actor]) for n in range(4)]
    body[2].update(bad)
    before = row_counts(Event, EventParticipant)

    response = client.post(list_url("event"), body, format="json")

    assert response.status_code == 400, response.content
    assert attr in {e["attr"] for e in errors(response)}, errors(response)
    assert row_counts(Event, EventParticipant) == before


@pytest.mark.parametrize("item", [None, 7, "an event", []])
def test_an_item_that_is_not_an_object_is_named_by_its_index_as_text(client, item):
    """The error shape's `attr` is a text path: "1", as "2.date" is (schemathesis
    found `[null]` answered with the number 0)."""
    actor = ActorFactory()
    body = [event_item(0, [actor]), item]
    before = row_counts(Event, EventParticipant)

    response = client.post(list_url("event"), body, format="json")

    assert response.status_code == 400, response.content
    assert [e["attr"] for e in errors(response)] in (["1"], ["1.non_field_errors"])
    assert row_counts(Event, EventParticipant) == before


def test_a_clash_between_two_items_names_the_later_and_writes_nothing(client):
    """The serializer validates each item alone; the second of two actors with one
    slug is refused by the model when it is written, after the first, which is then
    rolled back with it."""
    body = [create_payload("actor"), create_payload("actor"), create_payload("actor")]
    body[2]["slug"] = body[0]["slug"]
    before = Actor.objects.count()

    response = client.post(list_url("actor"), body, format="json")

    assert response.status_code == 400, response.content
    assert [e["attr"] for e in errors(response)] == ["2.slug"]
    assert Actor.objects.count() == before


def test_an_empty_list_is_a_400(client):
    response = client.post(list_url("actor"), [], format="json")

    assert response.status_code == 400
    assert errors(response)[0]["code"] == "empty"


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_a_list_needs_the_add_permission(request, persona):
    response = client_as(request, persona).post(
        list_url("actor"), [create_payload("actor")], format="json"
    )

    assert response.status_code in (401, 403)
    assert not Actor.objects.exists()


def test_a_list_body_over_the_limit_is_a_413_and_nothing_is_written(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = [create_payload("actor") for _ in range(200)]
    assert len(json.dumps(body)) > 10_000

    response = client.generic(
        "POST", list_url("actor"), json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 413
    assert errors(response)[0]["code"] == "payload_too_large"
    assert not Actor.objects.exists()


def test_queries_grow_by_a_constant_per_item(client):
    """Each item is validated and written as a single create is (its related ids
    looked up, the model's checks, the row, its history, its participants and their
    history, its identifiers): a fixed number of queries per item, never per item
    already written. It is not one INSERT for the list, because each record is saved
    through its model (version, derived dates, history, search keys)."""
    actors = [ActorFactory() for _ in range(2)]
    PlaceFactory()

    def queries(n):
        body = [event_item(f"{n}-{i}", actors) for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            response = client.post(list_url("event"), body, format="json")
        assert response.status_code == 201, response.content
        return len(captured)

    queries(1)  # the first request of a test reads what later ones find cached
    one, four, eight = queries(1), queries(4), queries(8)
    per_item = (four - one) // 3
    assert four - one == 3 * per_item
    assert eight - four == 4 * per_item
    # With two participants an event costs about 50: its two related ids and the
    # participants' actors looked up, a savepoint and a SELECT for each of its
    # constraints, the row and its history, two identifiers, each participant's
    # checks, row and history.
    assert per_item <= 60
