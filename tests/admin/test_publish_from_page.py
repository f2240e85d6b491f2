"""Publish, Publish with its drafts and Retract on a record's own admin page, which lists
the unpublished records it renders (conflictapi.admin.CuratedAdmin)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from events.models import Event
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    OutletFactory,
)

pytestmark = pytest.mark.django_db


def url(view, event):
    return reverse(f"admin:events_event_{view}", args=[event.pk])


@pytest.fixture
def draft_event():
    """A draft event entered with a new draft actor, citing a draft document of a draft
    outlet: three drafts it renders."""
    event = EventFactory(status="draft", title="Clashes near Maarshorin")
    actor = ActorFactory(status="draft", name="Liwa al-Haqq")
    EventParticipantFactory(event=event, actor=actor, role="initiator")
    outlet = OutletFactory(status="draft", name="Idlib Media Centre")
    document = DocumentFactory(status="draft", outlet=outlet, title="Night raid")
    EventCitationFactory(event=event, document=document, quote="fighters attacked")
    return Event.objects.get(pk=event.pk), actor, document, outlet


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_lists_the_drafts_it_renders_with_links(client, editor, draft_event):
    event, actor, document, outlet = draft_event
    client.force_login(editor)
    page = client.get(url("change", event)).content.decode()
    assert "Publishing this needs these published too" in page
    for record, admin in (
        (actor, "actors_actor"),
        (document, "sources_document"),
        (outlet, "sources_outlet"),
    ):
        assert reverse(f"admin:{admin}_change", args=[record.pk]) in page
    assert 'name="publish"' in page and 'name="publish_with_dependencies"' in page
    assert "Retract…" not in page


def test_publish_alone_is_refused_naming_each_draft(client, editor, draft_event):
    event, actor, document, outlet = draft_event
    client.force_login(editor)
    response = client.post(url("publish", event), {"version": event.version}, follow=True)
    (message,) = messages_of(response)
    for name in (actor.name, document.title, outlet.name):
        assert name in message
    event.refresh_from_db()
    assert event.status == "draft"


def test_publish_with_its_drafts_publishes_all_four_in_one_go(client, editor, draft_event):
    event, actor, document, outlet = draft_event
    client.force_login(editor)
    response = client.post(
        url("publish", event),
        {"version": event.version, "with_dependencies": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("change", event)
    (message,) = messages_of(response)
    assert message.startswith("Published event") and actor.name in message
    for record in (event, actor, document, outlet):
        record.refresh_from_db()
        assert record.status == "published", record
    page = client.get(url("change", event)).content.decode()
    assert "Retract…" in page and 'name="publish"' not in page
    assert 'id="unpublished-dependencies"' not in page
    # Anonymous readers now see the whole event.
    body = client.get(f"/api/v1/events/{event.pk}/").json()
    assert body["participants"][0]["actor"]["name"] == actor.name


def test_retract_from_the_page_needs_a_reason(client, editor):
    event = EventFactory(title="A reported massacre")
    client.force_login(editor)
    form = client.get(url("retract", event) + f"?version={event.version}")
    assert form.status_code == 200 and "reason" in form.context["form"].fields
    refused = client.post(url("retract", event), {"version": event.version, "reason": " "})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    event.refresh_from_db()
    assert event.status == "published"
    client.post(url("retract", event), {"version": event.version, "reason": "Misdated"})
    event.refresh_from_db()
    assert (event.status, event.retraction_reason) == ("retracted", "Misdated")
    assert event.history.first().history_change_reason == "retracted: Misdated"


def test_a_record_changed_since_the_page_was_opened_is_not_published(client, editor, draft_event):
    event, *_ = draft_event
    opened = event.version
    event.title = "Clashes near Maarshorin (edited elsewhere)"
    event.save()
    client.force_login(editor)
    response = client.post(
        url("publish", event), {"version": opened, "with_dependencies": "1"}, follow=True
    )
    (message,) = messages_of(response)
    assert "changed since" in message
    event.refresh_from_db()
    assert event.status == "draft"


def test_a_curator_sees_no_buttons_and_may_not_publish(client, curator, draft_event):
    event, *_ = draft_event
    client.force_login(curator)
    page = client.get(url("change", event)).content.decode()
    assert 'name="publish"' not in page and "Retract…" not in page
    assert "Publishing this needs these published too" in page
    assert client.post(url("publish", event), {"version": event.version}).status_code == 403
    assert client.get(url("retract", event)).status_code == 403
    event.refresh_from_db()
    assert event.status == "draft"


def test_publish_is_a_post(client, editor, draft_event):
    event, *_ = draft_event
    client.force_login(editor)
    assert client.get(url("publish", event)).status_code == 405
