"""Publishing keeps the visibility rule true: a published record renders only published
records. Publishing with unpublished dependencies is refused (409 naming each) unless
they are published with it; an edit may not point a published record at an unpublished
one; a retraction is allowed, except of a document that is the only published citation
of a published record."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Event, EventType
from sources.models import Document, Outlet
from tests.api.helpers_personas import action_url, detail_url, errors, if_match
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    OutletFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def signed_in(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def draft_world():
    """A draft event whose type, place (and the place around it), actor, document and
    outlet are all drafts too."""
    region = PlaceFactory(status="draft", kind="admin1")
    town = PlaceFactory(status="draft", parent=region)
    kind = EventType.objects.create(
        name="Ambush", slug="ambush", parent=event_type("battles"), status="draft"
    )
    actor = ActorFactory(status="draft")
    outlet = OutletFactory(status="draft")
    document = DocumentFactory(status="draft", outlet=outlet)
    event = EventFactory(status="draft", place=town, event_type=kind)
    EventParticipantFactory(event=event, actor=actor)
    EventCitationFactory(event=event, document=document)
    return {
        "event": event,
        "town": town,
        "actor": actor,
        "outlet": outlet,
        "dependencies": [region, town, kind, actor, outlet, document],
        "by_relation": {
            "place": {region, town},
            "event_type": {kind},
            "participants": {actor},
            "citations": {document, outlet},
        },
    }


def statuses(records):
    return {type(r)._base_manager.get(pk=r.pk).status for r in records}


def test_publishing_with_unpublished_dependencies_is_refused_naming_each(editor, draft_world):
    event = draft_world["event"]
    response = signed_in(editor).post(action_url("event", "publish", event), **if_match(event))
    assert response.status_code == 409, response.content
    named = {}
    for error in errors(response):
        assert error["code"] == "unpublished_dependency"
        named.setdefault(error["attr"], set()).add(error["detail"])
    assert set(named) == set(draft_world["by_relation"])
    for relation, records in draft_world["by_relation"].items():
        for record in records:
            assert any(str(record.pk) in detail for detail in named[relation]), (relation, record)
    assert statuses([event, *draft_world["dependencies"]]) == {"draft"}


def test_publishing_with_dependencies_publishes_them_all(editor, draft_world):
    event = draft_world["event"]
    response = signed_in(editor).post(
        action_url("event", "publish", event),
        {"with_dependencies": True},
        format="json",
        **if_match(event),
    )
    assert response.status_code == 200, response.content
    assert statuses([event, *draft_world["dependencies"]]) == {"published"}

    # Anonymous readers now see the whole event.
    body = APIClient().get(detail_url("event", event)).json()
    assert body["place"]["id"] == str(draft_world["town"].pk)
    assert body["event_type"]["slug"] == "ambush"
    assert [p["actor"]["id"] for p in body["participants"]] == [str(draft_world["actor"].pk)]
    assert body["citations"][0]["document"]["outlet"] is not None


def test_a_retracted_dependency_is_never_republished_along(editor, draft_world):
    outlet = Outlet.objects.get(pk=draft_world["outlet"].pk)
    outlet.status, outlet.retraction_reason = "retracted", "not a real outlet"
    outlet.save()
    event = draft_world["event"]
    response = signed_in(editor).post(
        action_url("event", "publish", event),
        {"with_dependencies": True},
        format="json",
        **if_match(event),
    )
    assert response.status_code == 409
    (error,) = errors(response)
    assert error["attr"] == "citations" and str(outlet.pk) in error["detail"]
    assert "retracted" in error["detail"]
    # One transaction: nothing was published.
    others = [d for d in draft_world["dependencies"] if d.pk != outlet.pk]
    assert statuses([event, *others]) == {"draft"}


def test_curators_may_not_publish_even_with_dependencies(curator, draft_world):
    response = signed_in(curator).post(
        action_url("event", "publish", draft_world["event"]),
        {"with_dependencies": True},
        format="json",
        **if_match(draft_world["event"]),
    )
    assert response.status_code == 403
    assert statuses(draft_world["dependencies"]) == {"draft"}


def test_an_edit_may_not_point_a_published_record_at_a_draft(editor):
    event = EventFactory(place=PlaceFactory())
    before = (event.place_id, event.version)
    draft_place = PlaceFactory(status="draft")
    response = signed_in(editor).patch(
        detail_url("event", event),
        {"place_id": str(draft_place.pk)},
        format="json",
        **if_match(event),
    )
    assert response.status_code == 409, response.content
    (error,) = errors(response)
    assert error["attr"] == "place" and str(draft_place.pk) in error["detail"]
    event.refresh_from_db()
    assert (event.place_id, event.version) == before


def test_a_draft_may_point_at_drafts(curator):
    event = EventFactory(status="draft")
    draft_place = PlaceFactory(status="draft")
    response = signed_in(curator).patch(
        detail_url("event", event),
        {"place_id": str(draft_place.pk)},
        format="json",
        **if_match(event),
    )
    assert response.status_code == 200, response.content


def test_retracting_a_used_place_renders_it_absent(editor):
    place = PlaceFactory(latitude="35.61", longitude="36.64")
    event = EventFactory(place=place)
    response = signed_in(editor).post(
        action_url("place", "retract", place),
        {"reason": "duplicate"},
        format="json",
        **if_match(place),
    )
    assert response.status_code == 200, response.content
    body = APIClient().get(detail_url("event", event)).json()
    assert (body["place"], body["latitude"], body["longitude"]) == (None, None, None)


def test_the_last_published_citation_may_not_be_retracted(editor):
    only, other = DocumentFactory(), DocumentFactory()
    event = EventFactory()
    EventCitationFactory(event=event, document=only)
    response = signed_in(editor).post(
        action_url("document", "retract", only),
        {"reason": "fabricated"},
        format="json",
        **if_match(only),
    )
    assert response.status_code == 409, response.content
    (error,) = errors(response)
    assert str(event.pk) in error["detail"]
    assert Document.objects.get(pk=only.pk).status == "published"

    # Once the event is cited elsewhere too, the document may go.
    EventCitationFactory(event=event, document=other)
    response = signed_in(editor).post(
        action_url("document", "retract", only),
        {"reason": "fabricated"},
        format="json",
        **if_match(only),
    )
    assert response.status_code == 200, response.content
    citations = APIClient().get(detail_url("event", event)).json()["citations"]
    assert [c["document"]["id"] for c in citations] == [str(other.pk)]


def test_the_admin_publish_action_follows_the_same_rule(client, editor):
    place = PlaceFactory(status="draft")
    event = EventFactory(status="draft", place=place)
    client.force_login(editor)
    changelist = reverse("admin:events_event_changelist")
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [event.pk]}, follow=True
    )
    assert Event.objects.get(pk=event.pk).status == "draft"
    messages = [str(m) for m in response.context["messages"]]
    assert any(str(place.pk) in m for m in messages), messages


@pytest.mark.parametrize("resource", ["event", "actor", "affiliation"])
def test_an_uncited_record_is_not_published(editor, resource):
    """Every published fact is tied to its source (issue 12)."""
    from tests.api.helpers_personas import cite, make

    record = make(resource, status="draft")
    api = signed_in(editor)
    response = api.post(action_url(resource, "publish", record), **if_match(record))
    assert response.status_code == 409, response.content
    (error,) = errors(response)
    assert (error["code"], error["attr"]) == ("uncited", "citations")
    assert statuses([record]) == {"draft"}

    cite(record)
    assert api.post(action_url(resource, "publish", record), **if_match(record)).status_code == 200


def test_a_citation_of_a_draft_document_counts_when_published_with_it(editor):
    event = EventFactory(status="draft")
    EventCitationFactory(event=event, document=DocumentFactory(status="draft"))
    api = signed_in(editor)
    refused = api.post(action_url("event", "publish", event), **if_match(event))
    assert refused.status_code == 409
    assert {e["code"] for e in errors(refused)} == {"unpublished_dependency"}
    response = api.post(
        action_url("event", "publish", event),
        {"with_dependencies": True},
        format="json",
        **if_match(event),
    )
    assert response.status_code == 200, response.content
