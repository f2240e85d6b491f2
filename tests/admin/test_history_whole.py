"""History of the whole record: a past version's page shows what reverting does to the
record's rows (participants, citations, names), and the revert restores them with the
record, in one transaction."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from events.models import Event, EventCitation, EventParticipant
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_event():
    """An event entered with two participants and a citation, then edited: its title
    changed, one participant removed, one's role changed, one added, the quote fixed."""
    event = EventFactory(title="Nusra attacks SRF")
    nusra, srf, army = (ActorFactory(name=n) for n in ("Nusra", "SRF", "Syrian Army"))
    EventParticipantFactory(event=event, actor=nusra, role="initiator")
    EventParticipantFactory(event=event, actor=srf, role="target")
    EventCitationFactory(event=event, document=DocumentFactory(), quote="Nusra attacked SRF")
    first = event.history.latest()
    event = Event.objects.get(pk=event.pk)
    event.title = "Nusra and the army clash"
    event.save()
    EventParticipant.objects.get(event=event, actor=srf).delete()
    moved = EventParticipant.objects.get(event=event, actor=nusra)
    moved.role = "party"
    moved.save()
    EventParticipantFactory(event=event, actor=army, role="party")
    citation = EventCitation.objects.get(event=event)
    citation.quote = "Nusra fought the army"
    citation.save()
    return Event.objects.get(pk=event.pk), first, (nusra, srf, army)


def revert_url(event, version):
    return reverse("admin:events_event_simple_history", args=(event.pk, version.history_id))


def post_data(form, event):
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    data["version"] = event.version
    for prefix in ("participants", "citations", "identifiers"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return data


def rows_of(event):
    participants = sorted(
        (p.actor.name, p.role) for p in EventParticipant.objects.filter(event=event)
    )
    return participants, [c.quote for c in EventCitation.objects.filter(event=event)]


def test_the_past_version_shows_what_reverting_does_to_its_rows(client, editor, edited_event):
    event, first, _ = edited_event
    client.force_login(editor)
    page = client.get(revert_url(event, first))
    assert page.status_code == 200
    changes = dict(page.context["row_changes"])
    assert sorted(changes) == ["event citations", "event participants"]
    participants = " | ".join(changes["event participants"])
    assert "restores" in participants and "SRF" in participants
    assert "removes" in participants and "Syrian Army" in participants
    assert "sets" in participants and "(role)" in participants
    # Rows are named as the revert leaves them.
    assert changes["event citations"] == ["sets “Nusra attacked SRF” back (quote)"]


def test_a_revert_restores_the_rows_with_the_record(client, editor, edited_event):
    event, first, _ = edited_event
    client.force_login(editor)
    form = client.get(revert_url(event, first)).context["adminform"].form
    response = client.post(revert_url(event, first), post_data(form, event))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Nusra attacks SRF"
    assert rows_of(event) == ([("Nusra", "initiator"), ("SRF", "target")], ["Nusra attacked SRF"])
    # Each row's own history says what happened to it.
    restored = EventParticipant.objects.get(event=event, actor__name="SRF")
    assert restored.history.latest().history_change_reason == "restored by a revert"
    # A second look at that version: nothing left to restore.
    page = client.get(revert_url(event, first))
    assert page.context["row_changes"] == []


def test_a_revert_that_would_show_a_draft_is_refused_whole(client, editor, edited_event):
    event, first, (_nusra, srf, _army) = edited_event
    srf.status = "draft"
    srf.save()
    client.force_login(editor)
    form = client.get(revert_url(event, first)).context["adminform"].form
    before = rows_of(event)
    response = client.post(revert_url(event, first), post_data(form, event), follow=True)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("Not reverted") and "SRF" in m for m in messages), messages
    assert not any("changed successfully" in m for m in messages)
    event.refresh_from_db()
    assert event.title == "Nusra and the army clash"
    assert rows_of(event) == before
