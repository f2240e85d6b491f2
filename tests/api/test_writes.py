"""Writes: nested creates, all-or-nothing validation, nested updates, ETags and
If-Match, read-only status, and slug or UUID lookups."""

import uuid

import pytest
from django.urls import reverse

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from events.models import Event, EventCitation, EventIdentifier, EventParticipant
from tests.api.helpers_personas import (
    action_url,
    cite,
    client_as,
    detail_url,
    error_attrs,
    errors,
    fresh_throttle_counts,  # noqa: F401
    if_match,
    list_url,
    make,
    row_counts,
)
from tests.factories import (
    ActorFactory,
    ActorIdentifierFactory,
    ActorNameFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

ACTOR_ROWS = (Actor, ActorName, ActorIdentifier, ActorCitation)
EVENT_ROWS = (Event, EventParticipant, EventCitation, EventIdentifier)
AFFILIATION_ROWS = (Affiliation, AffiliationCitation)


@pytest.fixture
def client(request, curator):
    return client_as(request, "curator")


def assert_names(response, attr):
    """A 400 whose errors name `attr` (or a key inside it, e.g. `names.0.name`)."""
    assert response.status_code == 400, response.content
    attrs = error_attrs(response)
    assert any(a == attr or a.startswith(f"{attr}.") for a in attrs), attrs


# Nested creates


def event_body(**overrides):
    nusra, ahrar = ActorFactory(slug="nusra"), ActorFactory(slug="ahrar")
    document = DocumentFactory()
    body = {
        "title": "Nusra and Ahrar take Idlib",
        "event_type_id": str(event_type("non-state-actor-overtakes-territory").pk),
        "place_id": str(PlaceFactory(slug="idlib", latitude=35.93, longitude=36.63).pk),
        "date": "2015-03~",
        "fatalities_low": 10,
        "fatalities_best": 20,
        "fatalities_high": 40,
        "participants": [
            {"actor_id": str(nusra.pk), "role": "initiator"},
            {"actor_id": str(ahrar.pk), "role": "initiator", "note": "Jaish al-Fatah"},
        ],
        "citations": [
            {
                "document_id": str(document.pk),
                "quote": "the rebels seized the provincial capital",
                "locator": "para. 3",
                "credibility": 2,
            }
        ],
    }
    body.update(overrides)
    return body


def test_create_event_with_participants_and_citations(client):
    body = event_body()

    response = client.post(list_url("event"), body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft"
    assert data["event_type"]["slug"] == "non-state-actor-overtakes-territory"
    assert data["place"]["slug"] == "idlib"
    assert (data["date"], data["date_start"], data["date_end"], data["date_precision"]) == (
        "2015-03~",
        "2015-03-01",
        "2015-03-31",
        "month",
    )
    assert sorted((p["actor"]["slug"], p["role"], p["note"]) for p in data["participants"]) == [
        ("ahrar", "initiator", "Jaish al-Fatah"),
        ("nusra", "initiator", ""),
    ]
    [citation] = data["citations"]
    assert citation["document"]["id"] == body["citations"][0]["document_id"]
    assert (citation["quote"], citation["locator"], citation["credibility"]) == (
        "the rebels seized the provincial capital",
        "para. 3",
        2,
    )

    event = Event.objects.get(pk=data["id"])
    assert event.participants.count() == 2
    assert event.citations.get().quote == "the rebels seized the provincial capital"
    # What was written reads back the same.
    again = client.get(detail_url("event", event)).json()
    assert again["participants"] == data["participants"]
    assert again["citations"] == data["citations"]


ACLED_FIELDS = {
    "tags": "crowd size=no report; women targeted: candidates",
    "civilian_targeting": "Civilian targeting",
    "source_scale": "Subnational-National",
    "acled_source": "Enab Baladi; SOHR",
}


def test_curators_write_an_events_acled_fields_and_it_gets_its_ids(client):
    # Ids are given on creation, not written: one sent is ignored, as status is.
    body = event_body(**ACLED_FIELDS, identifiers=[{"scheme": "acled", "value": "SYR1"}])

    response = client.post(list_url("event"), body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert {k: data[k] for k in ACLED_FIELDS} == ACLED_FIELDS
    event = Event.objects.get(pk=data["id"])
    stored = sorted(event.identifiers.values_list("scheme", "value"))
    assert [(i["scheme"], i["value"]) for i in data["identifiers"]] == stored
    assert [scheme for scheme, _ in stored] == ["acled", "ucdp"]
    assert stored[0][1].startswith("CDA-")

    response = client.patch(
        detail_url("event", event), {"civilian_targeting": ""}, format="json", **if_match(event)
    )

    assert response.status_code == 200, response.json()
    assert response.json()["civilian_targeting"] == ""
    assert response.json()["tags"] == ACLED_FIELDS["tags"]
    event.refresh_from_db()
    assert (event.civilian_targeting, event.version) == ("", 2)
    assert sorted(event.identifiers.values_list("scheme", "value")) == stored


def test_create_actor_with_names_identifiers_and_citations(client):
    document = DocumentFactory()
    body = {
        "name": "Jabhat al-Nusra",
        "slug": "jabhat-al-nusra",
        "kind": "armed_group",
        "country": "SY",
        "founded": "2012-01",
        "names": [
            {"name": "جبهة النصرة", "kind": "transliteration", "language": "ar"},
            {"name": "JN", "kind": "acronym", "language": "en"},
        ],
        "identifiers": [
            {"scheme": "wikidata", "value": "Q1163220"},
            {"scheme": "ucdp", "value": "1034"},
        ],
        "citations": [{"document_id": str(document.pk), "quote": "al-Qaeda's Syrian affiliate"}],
    }

    response = client.post(list_url("actor"), body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert {n["name"] for n in data["names"]} == {"جبهة النصرة", "JN"}
    assert {(i["scheme"], i["value"]) for i in data["identifiers"]} == {
        ("wikidata", "Q1163220"),
        ("ucdp", "1034"),
    }
    assert data["citations"][0]["quote"] == "al-Qaeda's Syrian affiliate"
    assert data["citations"][0]["credibility"] == 6  # cannot be judged, by default
    assert (data["founded_start"], data["founded_end"]) == ("2012-01-01", "2012-01-31")

    actor = Actor.objects.get(pk=data["id"])
    assert actor.names.count() == 2
    assert actor.identifiers.count() == 2
    assert actor.citations.count() == 1
    # The new names find the actor.
    found = client.get(list_url("actor"), {"q": "جبهة النصرة"}).json()
    assert [row["id"] for row in found["results"]] == [data["id"]]


def test_create_affiliation_with_citations(client):
    nusra, qaeda = ActorFactory(), ActorFactory()
    body = {
        "subject_id": str(nusra.pk),
        "kind": "branch_of",
        "object_id": str(qaeda.pk),
        "start_date": "2013-04",
        "citations": [{"document_id": str(DocumentFactory().pk), "quote": "pledged allegiance"}],
    }

    response = client.post(list_url("affiliation"), body, format="json")

    assert response.status_code == 201, response.json()
    tie = Affiliation.objects.get(pk=response.json()["id"])
    assert (tie.subject, tie.kind, tie.object) == (nusra, "branch_of", qaeda)
    assert tie.citations.get().quote == "pledged allegiance"


# All or nothing: a bad row anywhere is a 400 naming it, and nothing is saved


def bad_actor_bodies():
    def body(**overrides):
        n = uuid.uuid4().hex[:6]
        return {
            "name": f"Front {n}",
            "slug": f"front-{n}",
            "kind": "armed_group",
            "names": [{"name": f"F{n}", "kind": "acronym"}],
            "identifiers": [{"scheme": "wikidata", "value": f"Q{n}"}],
            "citations": [{"document_id": str(DocumentFactory().pk), "quote": "a quote"}],
            **overrides,
        }

    taken = ActorIdentifierFactory(scheme="acled", value="3001")
    return {
        # The second identifier is another actor's: saved rows before it roll back.
        "identifier held by another actor": (
            body(
                identifiers=[
                    {"scheme": "wikidata", "value": "Q999001"},
                    {"scheme": taken.scheme, "value": taken.value},
                ]
            ),
            "identifiers.1",
        ),
        "identifier listed twice": (
            body(identifiers=[{"scheme": "ucdp", "value": "7"}, {"scheme": "ucdp", "value": "7"}]),
            "identifiers.1",
        ),
        "bad identifier scheme": (
            body(identifiers=[{"scheme": "Wiki Data", "value": "Q1"}]),
            "identifiers.0.scheme",
        ),
        "name listed twice": (
            body(names=[{"name": "JN", "kind": "acronym"}, {"name": "JN", "kind": "short"}]),
            "names.1",
        ),
        "bad name language": (
            body(names=[{"name": "JN", "kind": "acronym", "language": "Arabic!"}]),
            "names.0.language",
        ),
        "citation without quote": (
            body(citations=[{"document_id": str(DocumentFactory().pk)}]),
            "citations.0.quote",
        ),
        "citation with empty quote": (
            body(citations=[{"document_id": str(DocumentFactory().pk), "quote": ""}]),
            "citations.0.quote",
        ),
        "citation of unknown document": (
            body(citations=[{"document_id": str(uuid.uuid4()), "quote": "q"}]),
            "citations.0.document_id",
        ),
        "credibility out of scale": (
            body(
                citations=[
                    {"document_id": str(DocumentFactory().pk), "quote": "q", "credibility": 9}
                ]
            ),
            "citations.0.credibility",
        ),
        "invalid founded date": (body(founded="late 2012"), "founded"),
        "slug taken": (body(slug=ActorFactory().slug), "slug"),
    }


ACTOR_CASES = [
    "identifier held by another actor",
    "identifier listed twice",
    "bad identifier scheme",
    "name listed twice",
    "bad name language",
    "citation without quote",
    "citation with empty quote",
    "citation of unknown document",
    "credibility out of scale",
    "invalid founded date",
    "slug taken",
]


@pytest.mark.parametrize("case", ACTOR_CASES)
def test_bad_actor_write_saves_nothing(client, case):
    body, attr = bad_actor_bodies()[case]
    before = row_counts(*ACTOR_ROWS)

    response = client.post(list_url("actor"), body, format="json")

    assert_names(response, attr)
    assert row_counts(*ACTOR_ROWS) == before


def bad_event_bodies():
    base = event_body()
    first = base["participants"][0]
    return {
        "participant with unknown actor": (
            {**base, "participants": [first, {"actor_id": str(uuid.uuid4()), "role": "target"}]},
            "participants.1.actor_id",
        ),
        "participant without role": (
            {**base, "participants": [{"actor_id": first["actor_id"]}]},
            "participants.0.role",
        ),
        "participant with unknown role": (
            {**base, "participants": [{**first, "role": "bystander"}]},
            "participants.0.role",
        ),
        # Passes the serializer; the database constraint catches it after the event and
        # the first participant were saved, which must roll back.
        "same actor twice in one role": (
            {**base, "participants": [first, {**first, "note": "again"}]},
            "participants.1",
        ),
        "citation without quote": (
            {**base, "citations": [{"document_id": base["citations"][0]["document_id"]}]},
            "citations.0.quote",
        ),
        "invalid EDTF date": ({**base, "date": "2015-13-45"}, "date"),
        "prose date": ({**base, "date": "late October"}, "date"),
        "interval ending before it starts": ({**base, "date": "2015-03-02/2015-03-01"}, "date"),
        "unknown event type": ({**base, "event_type_id": str(uuid.uuid4())}, "event_type_id"),
        "unknown place": ({**base, "place_id": str(uuid.uuid4())}, "place_id"),
        "negative fatalities": ({**base, "fatalities_low": -1}, "fatalities_low"),
        "civilian_targeting too long": (
            {**base, "civilian_targeting": "x" * 31},
            "civilian_targeting",
        ),
        "source_scale too long": ({**base, "source_scale": "x" * 101}, "source_scale"),
        "tags not text": ({**base, "tags": ["a", "b"]}, "tags"),
    }


EVENT_CASES = [
    "participant with unknown actor",
    "participant without role",
    "participant with unknown role",
    "same actor twice in one role",
    "citation without quote",
    "invalid EDTF date",
    "prose date",
    "interval ending before it starts",
    "unknown event type",
    "unknown place",
    "negative fatalities",
    "civilian_targeting too long",
    "source_scale too long",
    "tags not text",
]


@pytest.mark.parametrize("case", EVENT_CASES)
def test_bad_event_write_saves_nothing(client, case):
    body, attr = bad_event_bodies()[case]
    before = row_counts(*EVENT_ROWS)

    response = client.post(list_url("event"), body, format="json")

    assert_names(response, attr)
    assert row_counts(*EVENT_ROWS) == before


@pytest.mark.parametrize(
    "fatalities",
    [
        {"fatalities_low": 50, "fatalities_high": 10},
        {"fatalities_low": 50, "fatalities_best": 10},
        {"fatalities_best": 50, "fatalities_high": 10},
    ],
)
def test_fatalities_out_of_order_save_nothing(client, fatalities):
    body = event_body(fatalities_low=None, fatalities_best=None, fatalities_high=None)
    body.update(fatalities)
    before = row_counts(*EVENT_ROWS)

    response = client.post(list_url("event"), body, format="json")

    assert response.status_code == 400
    # A rule across two fields: reported as a non-field error that says which.
    [error] = errors(response)
    assert error["attr"] in ("non_field_errors", *fatalities)
    assert "Fatalities" in error["detail"]
    assert row_counts(*EVENT_ROWS) == before


@pytest.mark.parametrize(
    "change, words",
    [
        ({"same": True}, "itself"),
        ({"start_date": "2015-06", "end_date": "2014"}, "end date"),
        ({"start_date": "2015-06-10", "end_date": "2015-06-09"}, "end date"),
    ],
)
def test_bad_affiliation_saves_nothing(client, change, words):
    subject = ActorFactory()
    body = {
        "subject_id": str(subject.pk),
        "kind": "allied_with",
        "object_id": str(subject.pk if change.pop("same", False) else ActorFactory().pk),
        "citations": [{"document_id": str(DocumentFactory().pk), "quote": "q"}],
        **change,
    }
    before = row_counts(*AFFILIATION_ROWS)

    response = client.post(list_url("affiliation"), body, format="json")

    assert response.status_code == 400
    [error] = errors(response)
    assert error["attr"] in ("non_field_errors", "object_id", "end_date")
    assert words in error["detail"]
    assert row_counts(*AFFILIATION_ROWS) == before


def test_bad_nested_row_on_update_changes_nothing(client):
    actor = ActorFactory(name="Old name")
    ActorNameFactory(actor=actor, name="Kept alias")
    taken = ActorIdentifierFactory()
    before = row_counts(*ACTOR_ROWS)

    response = client.patch(
        detail_url("actor", actor),
        {
            "name": "New name",
            "names": [{"name": "Fresh alias", "kind": "short"}],
            "identifiers": [{"scheme": taken.scheme, "value": taken.value}],
        },
        format="json",
        **if_match(actor),
    )

    assert_names(response, "identifiers.0")
    assert row_counts(*ACTOR_ROWS) == before
    actor.refresh_from_db()
    assert actor.name == "Old name"
    assert actor.version == 1
    assert list(actor.names.values_list("name", flat=True)) == ["Kept alias"]


# Updates of nested lists


def test_patch_replaces_a_nested_list_that_is_sent_and_keeps_the_others(client):
    actor = ActorFactory()
    ActorNameFactory(actor=actor, name="Old alias")
    ActorIdentifierFactory(actor=actor, scheme="wikidata", value="Q1")

    response = client.patch(
        detail_url("actor", actor),
        {"names": [{"name": "New alias", "kind": "short"}]},
        format="json",
        **if_match(actor),
    )

    assert response.status_code == 200, response.json()
    assert [n["name"] for n in response.json()["names"]] == ["New alias"]
    assert list(actor.names.values_list("name", flat=True)) == ["New alias"]
    assert list(actor.identifiers.values_list("scheme", "value")) == [("wikidata", "Q1")]


def test_patch_with_an_empty_list_clears_it(client):
    actor = ActorFactory()
    ActorNameFactory(actor=actor)

    response = client.patch(
        detail_url("actor", actor), {"names": []}, format="json", **if_match(actor)
    )

    assert response.status_code == 200
    assert response.json()["names"] == []
    assert not actor.names.exists()


def test_put_replaces_what_it_sends_and_keeps_what_it_omits(client):
    event = EventFactory(title="Old")
    EventParticipantFactory(event=event, role="initiator")
    kept = EventCitationFactory(event=event, quote="kept quote")
    newcomer = ActorFactory(slug="newcomer")

    response = client.put(
        detail_url("event", event),
        {
            "title": "New",
            "event_type_id": str(event.event_type_id),
            "date": "2014-11",
            "participants": [{"actor_id": str(newcomer.pk), "role": "target"}],
        },
        format="json",
        **if_match(event),
    )

    assert response.status_code == 200, response.json()
    event.refresh_from_db()
    assert (event.title, event.date, event.date_precision) == ("New", "2014-11", "month")
    assert list(event.participants.values_list("actor__slug", "role")) == [("newcomer", "target")]
    assert list(event.citations.values_list("pk", flat=True)) == [kept.pk]


def test_patch_of_a_scalar_keeps_every_nested_list(client):
    event = EventFactory()
    EventParticipantFactory(event=event)
    EventCitationFactory(event=event)

    response = client.patch(
        detail_url("event", event), {"summary": "More detail."}, format="json", **if_match(event)
    )

    assert response.status_code == 200
    assert event.participants.count() == 1
    assert event.citations.count() == 1


# ETags and If-Match


def test_detail_etag_is_the_version(client):
    actor = ActorFactory()
    actor.description = "edited"
    actor.save()

    response = client.get(detail_url("actor", actor))

    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize("resource", ["outlet", "document", "affiliation", "eventtype", "place"])
def test_every_detail_has_an_etag(client, resource):
    record = make(resource)
    response = client.get(detail_url(resource, record))
    assert response["ETag"] == f'"{record.version}"'


def test_patch_with_stale_if_match_is_412_and_changes_nothing(client):
    actor = ActorFactory(description="original")
    etag = client.get(detail_url("actor", actor))["ETag"]
    actor.description = "someone else's edit"
    actor.save()

    response = client.patch(
        detail_url("actor", actor), {"description": "mine"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 412
    assert errors(response)[0]["code"] == "precondition_failed"
    actor.refresh_from_db()
    assert actor.description == "someone else's edit"
    assert actor.version == 2


@pytest.mark.parametrize("if_match", ['"1"', "1", 'W/"1"', '"7", "1"'])
def test_patch_with_current_if_match_bumps_the_version(client, if_match):
    actor = ActorFactory(description="original")

    response = client.patch(
        detail_url("actor", actor), {"description": "mine"}, format="json", HTTP_IF_MATCH=if_match
    )

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    actor.refresh_from_db()
    assert (actor.description, actor.version) == ("mine", 2)


def test_put_with_stale_if_match_is_412(client):
    place = PlaceFactory(name="Idlib")
    response = client.put(
        detail_url("place", place),
        {"name": "Idleb", "slug": place.slug, "kind": "town"},
        format="json",
        HTTP_IF_MATCH='"5"',
    )
    assert response.status_code == 412
    place.refresh_from_db()
    assert place.name == "Idlib"


@pytest.mark.parametrize(
    "action, body", [("publish", None), ("retract", {"reason": "Wrong."}), ("delete", None)]
)
def test_stale_if_match_stops_publish_retract_and_delete(request, action, body):
    client = client_as(request, "editor")
    status = "published" if action == "retract" else "draft"
    actor = ActorFactory(status=status)

    if action == "delete":
        response = client.delete(detail_url("actor", actor), HTTP_IF_MATCH='"9"')
    else:
        response = client.post(
            action_url("actor", action, actor), body, format="json", HTTP_IF_MATCH='"9"'
        )

    assert response.status_code == 412
    actor.refresh_from_db()
    assert (actor.status, actor.version) == (status, 1)


@pytest.mark.parametrize("header", [None, "*", ""])
@pytest.mark.parametrize(
    "action, body",
    [
        ("patch", {"description": "mine"}),
        ("put", None),
        ("delete", None),
        ("publish", None),
        ("retract", {"reason": "Wrong."}),
    ],
)
def test_a_change_without_the_records_etag_is_428_and_changes_nothing(
    request, action, body, header
):
    """No lost update by omission: a change names the version it was read at (`*`,
    which guards nothing, is not enough)."""
    client = client_as(request, "editor")
    status = "published" if action == "retract" else "draft"
    actor = cite(ActorFactory(status=status, description="original"))
    if action == "put":
        body = {"name": "New", "slug": actor.slug, "kind": actor.kind}
    headers = {} if header is None else {"HTTP_IF_MATCH": header}

    if action in ("publish", "retract"):
        response = client.post(action_url("actor", action, actor), body, format="json", **headers)
    else:
        response = getattr(client, action)(
            detail_url("actor", actor), body, format="json", **headers
        )

    assert response.status_code == 428, response.content
    (error,) = errors(response)
    assert error["code"] == "precondition_required" and "If-Match" in error["detail"]
    actor.refresh_from_db()
    assert (actor.status, actor.description, actor.version) == (status, "original", 1)


def test_a_read_then_write_round_trip_uses_the_etag_it_was_given(request):
    """What a client does: GET, keep the ETag, send it back; a second write with the
    same (now stale) ETag is refused, and a GET with the new ETag is a 304."""
    client = client_as(request, "curator")
    actor = ActorFactory(description="original")
    url = detail_url("actor", actor)
    etag = client.get(url)["ETag"]

    first = client.patch(url, {"description": "one"}, format="json", HTTP_IF_MATCH=etag)
    second = client.patch(url, {"description": "two"}, format="json", HTTP_IF_MATCH=etag)

    assert (first.status_code, second.status_code) == (200, 412)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    actor.refresh_from_db()
    assert actor.description == "one"


# Status is read-only except through publish and retract


@pytest.mark.parametrize("method", ["patch", "put"])
def test_status_cannot_be_written_directly(client, method):
    actor = ActorFactory(status="draft")
    body = {
        "name": actor.name,
        "slug": actor.slug,
        "kind": actor.kind,
        "status": "published",
        "retraction_reason": "sneaky",
        "version": 99,
    }

    response = getattr(client, method)(
        detail_url("actor", actor), body, format="json", **if_match(actor)
    )

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    actor.refresh_from_db()
    assert (actor.status, actor.retraction_reason, actor.version) == ("draft", "", 2)


def test_status_is_ignored_on_create(client):
    response = client.post(
        list_url("outlet"),
        {"name": "Enab Baladi", "slug": "enab-baladi", "kind": "news", "status": "published"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"


# Slug or UUID lookups


@pytest.mark.parametrize("resource", ["actor", "place", "outlet", "eventtype"])
def test_slug_lookup(client, resource):
    record = make(resource)

    by_slug = client.get(detail_url(resource, record.slug))
    by_id = client.get(detail_url(resource, record))

    assert by_slug.status_code == by_id.status_code == 200
    assert by_slug.json() == by_id.json()


def test_slug_lookup_for_writes_and_actions(request):
    client = client_as(request, "editor")
    actor = cite(ActorFactory(slug="isis", status="draft"))

    assert (
        client.patch(detail_url("actor", "isis"), {"country": "IQ"}, **if_match(actor)).status_code
        == 200
    )
    assert client.post(action_url("actor", "publish", "isis"), **if_match(actor)).status_code == 200

    actor.refresh_from_db()
    assert (actor.country, actor.status) == ("IQ", "published")


@pytest.mark.parametrize("resource", ["document", "event", "affiliation"])
def test_uuid_only_resources_refuse_anything_else(client, resource):
    record = make(resource)
    assert client.get(detail_url(resource, record)).status_code == 200

    for ref in ("report-1", str(record.pk).replace("-", "")[:-1], "1"):
        response = client.get(detail_url(resource, ref))
        assert response.status_code == 404, ref
        assert errors(response)[0]["code"] == "not_found"


def test_unknown_slug_is_404(client):
    response = client.get(reverse("actors-api:actor-detail", args=["no-such-actor"]))
    assert response.status_code == 404
