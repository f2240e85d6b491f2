import pytest
from django.urls import reverse

from actors.models import Actor
from events.models import Event, EventType
from tests.factories import (
    ActorCitationFactory,
    ActorFactory,
    ActorNameFactory,
    AffiliationFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    OutletFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db

MODELS = {
    "sources.outlet": OutletFactory,
    "sources.document": DocumentFactory,
    "actors.actor": ActorFactory,
    "actors.affiliation": AffiliationFactory,
    "events.place": PlaceFactory,
    "events.eventtype": lambda: EventType.objects.get(slug="statement"),
    "events.event": EventFactory,
    # Citations have pages of their own too, where a passage of a document is cited.
    "events.eventcitation": EventCitationFactory,
    "actors.actorcitation": ActorCitationFactory,
}


def admin_url(label, view, *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.mark.parametrize("label", MODELS)
def test_curator_opens_every_page(client, curator, label):
    obj = MODELS[label]()
    client.force_login(curator)
    for url in (
        admin_url(label, "changelist"),
        admin_url(label, "add"),
        admin_url(label, "change", obj.pk),
        admin_url(label, "history", obj.pk),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("label", MODELS)
def test_staff_without_permission_is_refused(client, outsider, label):
    obj = MODELS[label]()
    client.force_login(outsider)
    assert client.get(admin_url(label, "changelist")).status_code == 403
    assert client.get(admin_url(label, "change", obj.pk)).status_code == 403


@pytest.mark.parametrize("term", ["Da'esh", "daesh", "DA’ESH", "الدولة الإسلامية", "ISIL"])
def test_search_finds_actor_by_alias(client, curator, term):
    isis = ActorFactory(name="Islamic State", slug="islamic-state")
    for alias in ("Da'esh", "ISIL", "الدولة الإسلامية"):
        ActorNameFactory(actor=isis, name=alias)
    ActorFactory(name="Jabhat al-Nusra", slug="jabhat-al-nusra")
    client.force_login(curator)
    response = client.get(admin_url("actors.actor", "changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [isis]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("truce", {"title"}),
        ("TOW MISSILES", {"summary"}),
        # An actor taking part, by name, alias or another spelling of it; listed once
        # though it takes part twice.
        ("nusra", {"nusra"}),
        ("Nosra", {"nusra"}),
        ("Jabhat Fatah al-Sham", {"nusra"}),
        ("deir sonbol", {"place"}),
        ("nothing like it", set()),
    ],
)
def test_event_search(client, curator, term, expected):
    nusra = ActorFactory(name="Jabhat al-Nusra", slug="jabhat-al-nusra")
    ActorNameFactory(actor=nusra, name="Jabhat Fatah al-Sham")
    events = {
        "title": EventFactory(title="Truce announced", summary="", status="draft"),
        "summary": EventFactory(title="Clash", summary="Rebels used TOW missiles."),
        "nusra": EventFactory(title="Attack"),
        "place": EventFactory(title="Shelling", place=PlaceFactory(name="Deir Sonbol")),
    }
    EventParticipantFactory(event=events["nusra"], actor=nusra, role="initiator")
    EventParticipantFactory(event=events["nusra"], actor=nusra, role="target")
    EventParticipantFactory(event=events["title"], actor=ActorFactory(name="SRF"))
    client.force_login(curator)
    response = client.get(admin_url("events.event", "changelist"), {"q": term})
    listed = list(response.context["cl"].result_list)
    assert len(listed) == len(set(listed))
    assert set(listed) == {events[key] for key in expected}


def test_curator_enters_a_whole_event_on_one_page(client, curator):
    nusra, rebels = ActorFactory(name="Nusra"), ActorFactory(name="SRF")
    place, document = PlaceFactory(name="Deir Sonbol"), DocumentFactory()
    client.force_login(curator)
    data = {
        "title": "Nusra takes Deir Sonbol",
        "event_type": EventType.objects.get(slug="non-state-actor-overtakes-territory").pk,
        "date": "2014-10~",
        "place": place.pk,
        "geo_precision": 1,
        "summary": "",
        "fatalities_low": "",
        "fatalities_best": "",
        "fatalities_high": "",
        "tags": "crowd size=no report",
        "civilian_targeting": "",
        "source_scale": "National",
        "acled_source": "",
        "version": "",
        "participants-TOTAL_FORMS": 2,
        "participants-INITIAL_FORMS": 0,
        "participants-0-actor": nusra.pk,
        "participants-0-role": "initiator",
        "participants-1-actor": rebels.pk,
        "participants-1-role": "target",
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 0,
        "citations-0-document": document.pk,
        "citations-0-quote": "Nusra took Deir Sonbol",
        "citations-0-locator": "para 3",
        "citations-0-credibility": 2,
    }
    response = client.post(admin_url("events.event", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert (event.status, str(event.date_start), event.date_precision) == (
        "draft",
        "2014-10-01",
        "month",
    )
    assert sorted((p.actor.name, p.role) for p in event.participants.all()) == [
        ("Nusra", "initiator"),
        ("SRF", "target"),
    ]
    assert event.citations.get().quote == "Nusra took Deir Sonbol"
    # ACLED's columns are entered on the same page (acled/read serves them).
    assert (event.tags, event.source_scale) == ("crowd size=no report", "National")


def test_invalid_edtf_is_a_form_error(client, curator):
    client.force_login(curator)
    response = client.post(
        admin_url("actors.actor", "add"),
        {"name": "X", "slug": "x", "kind": "armed_group", "founded": "late October 2014"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "founded" in errors and "EDTF" in errors["founded"][0]
    assert not Actor.objects.exists()


def actor_form(actor, **changes):
    data = {
        "name": actor.name,
        "slug": actor.slug,
        "kind": actor.kind,
        "description": actor.description,
        "country": "",
        "founded": "",
        "dissolved": "",
        "version": actor.version,
        "names-TOTAL_FORMS": 0,
        "names-INITIAL_FORMS": 0,
        "identifiers-TOTAL_FORMS": 0,
        "identifiers-INITIAL_FORMS": 0,
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_refuses_to_save_over_a_newer_version(client, curator):
    actor = ActorFactory(description="original")
    opened = actor.version
    Actor.objects.get(pk=actor.pk).save()  # someone else saves meanwhile
    client.force_login(curator)
    response = client.post(
        admin_url("actors.actor", "change", actor.pk),
        actor_form(actor, description="mine", version=opened),
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in str(response.context["errors"])
    assert Actor.objects.get(pk=actor.pk).description == "original"


def test_admin_saves_current_version(client, curator):
    actor = ActorFactory(description="original")
    client.force_login(curator)
    response = client.post(
        admin_url("actors.actor", "change", actor.pk), actor_form(actor, description="fixed")
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.description, actor.version) == ("fixed", 2)
    assert actor.history.first().history_user == curator


def test_revert_from_admin_history(client, curator):
    actor = ActorFactory(description="right")
    actor.description = "wrong"
    actor.save()
    first = actor.history.earliest()
    client.force_login(curator)
    url = reverse("admin:actors_actor_simple_history", args=(actor.pk, first.history_id))
    form = client.get(url).context["adminform"].form
    assert form.initial["version"] == 2
    response = client.post(url, actor_form(actor, description="right", version=2))
    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.description, actor.version) == ("right", 3)


def test_editor_publishes_and_retracts_with_reason(client, editor):
    actor = ActorFactory(status="draft")
    actor.citations.create(document=DocumentFactory(), quote="a verbatim sentence")
    client.force_login(editor)
    changelist = admin_url("actors.actor", "changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [actor.pk]})
    actor.refresh_from_db()
    assert actor.status == "published"

    # Without a reason the editor is asked for one and nothing changes.
    response = client.post(changelist, {"action": "retract", "_selected_action": [actor.pk]})
    assert response.status_code == 200
    assert "reason" in response.context["form"].fields
    actor.refresh_from_db()
    assert actor.status == "published"

    client.post(
        changelist,
        {"action": "retract", "_selected_action": [actor.pk], "reason": "Duplicate of X"},
    )
    actor.refresh_from_db()
    assert (actor.status, actor.retraction_reason) == ("retracted", "Duplicate of X")


def test_curator_cannot_publish_or_delete(client, curator):
    actor = ActorFactory(status="draft")
    client.force_login(curator)
    response = client.get(admin_url("actors.actor", "changelist"))
    actions = [
        name
        for name, _ in response.context["cl"].model_admin.get_action_choices(response.wsgi_request)
    ]
    assert "publish" not in actions and "retract" not in actions
    assert (
        client.post(admin_url("actors.actor", "delete", actor.pk), {"post": "yes"}).status_code
        == 403
    )
    assert Actor.objects.filter(pk=actor.pk).exists()


def test_editor_deletes_drafts_only(client, editor):
    draft, published = ActorFactory(status="draft"), ActorFactory(status="published")
    client.force_login(editor)
    assert (
        client.post(admin_url("actors.actor", "delete", published.pk), {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(admin_url("actors.actor", "delete", draft.pk), {"post": "yes"}).status_code
        == 302
    )
    assert list(Actor.objects.all()) == [published]


def test_a_published_event_may_not_be_pointed_at_drafts_in_the_admin(client, curator):
    """The publishing rule holds in the admin too: a published event's place and its
    participants' actors must be published (conflictapi.publishing)."""
    event = EventFactory(place=PlaceFactory(), title="Clash at the crossing")
    draft_place, draft_actor = PlaceFactory(status="draft"), ActorFactory(status="draft")
    client.force_login(curator)
    base = {
        "title": event.title,
        "event_type": event.event_type_id,
        "date": event.date,
        "place": event.place_id,
        "geo_precision": "",
        "summary": "",
        "fatalities_low": "",
        "fatalities_best": "",
        "fatalities_high": "",
        "version": event.version,
        "participants-TOTAL_FORMS": 0,
        "participants-INITIAL_FORMS": 0,
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
    }
    url = admin_url("events.event", "change", event.pk)

    response = client.post(url, {**base, "place": draft_place.pk})
    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors

    with_draft_actor = {
        **base,
        "participants-TOTAL_FORMS": 1,
        "participants-0-actor": draft_actor.pk,
        "participants-0-role": "initiator",
    }
    response = client.post(url, with_draft_actor)
    assert response.status_code == 200
    (participants, _citations) = response.context["inline_admin_formsets"]
    assert "actor" in participants.formset.forms[0].errors

    event.refresh_from_db()
    assert event.place_id == base["place"] and not event.participants.exists()


def test_a_revert_keeps_the_current_status(client, curator):
    """Status changes only by Publish and Retract (issue 12): reverting a retracted
    record to a version from when it was published leaves it retracted, with its reason."""
    actor = ActorFactory(description="right")
    published = actor.history.earliest()
    actor.status, actor.retraction_reason = "retracted", "A duplicate."
    actor.save()
    client.force_login(curator)
    url = reverse("admin:actors_actor_simple_history", args=(actor.pk, published.history_id))
    response = client.post(url, actor_form(actor, description="reverted", version=2))
    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.description, actor.status, actor.retraction_reason) == (
        "reverted",
        "retracted",
        "A duplicate.",
    )
