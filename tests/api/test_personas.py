"""Who may read and write what, persona by persona (see helpers_personas for each
persona's rights), on every resource; and token sign-in."""

import base64

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actors.models import Actor, Affiliation
from events.models import Event, EventType, Place
from sources.models import Document, Outlet
from tests.api.helpers_personas import (
    PERSONAS,
    PRIVILEGED,
    RESOURCES,
    UNPRIVILEGED,
    action_url,
    cite,
    client_as,
    create_payload,
    detail_url,
    error_attrs,
    errors,
    fresh_throttle_counts,  # noqa: F401
    ids,
    if_match,
    list_url,
    make,
)
from tests.factories import (
    AffiliationFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALL = sorted(RESOURCES)

# A write refused: anonymous must sign in (401); signed-in users lack the permission (403).
REFUSED = {"anonymous": 401, "outsider": 403, "curator": 403}

# One harmless change per resource, for PATCH.
CHANGE = {
    "outlet": {"name": "Renamed outlet"},
    "document": {"title": "Renamed report"},
    "actor": {"description": "Changed description"},
    "affiliation": {"role": "commander"},
    "event": {"title": "Renamed clash"},
    "eventtype": {"description": "Changed description"},
    "place": {"name": "Renamed town"},
}


MODELS = {
    "outlet": Outlet,
    "document": Document,
    "actor": Actor,
    "affiliation": Affiliation,
    "event": Event,
    "eventtype": EventType,
    "place": Place,
}


# Reading drafts


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", PRIVILEGED)
def test_privileged_see_drafts_in_lists_and_by_id(request, persona, resource):
    client = client_as(request, persona)
    draft = make(resource, status="draft")
    published = make(resource)

    listed = client.get(list_url(resource), {"page_size": 1000})
    assert listed.status_code == 200
    assert {str(draft.pk), str(published.pk)} <= ids(listed)

    assert client.get(detail_url(resource, draft)).status_code == 200

    drafts_only = client.get(list_url(resource), {"status": "draft", "page_size": 1000})
    assert drafts_only.status_code == 200
    assert str(draft.pk) in ids(drafts_only)
    assert str(published.pk) not in ids(drafts_only)


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", UNPRIVILEGED)
def test_unprivileged_never_see_drafts(request, persona, resource):
    client = client_as(request, persona)
    draft = make(resource, status="draft")
    published = make(resource)

    listed = client.get(list_url(resource), {"page_size": 1000})
    assert listed.status_code == 200
    assert str(published.pk) in ids(listed)
    assert str(draft.pk) not in ids(listed)

    response = client.get(detail_url(resource, draft))
    assert response.status_code == 404
    assert errors(response)[0]["code"] == "not_found"

    asked = client.get(list_url(resource), {"status": "draft"})
    assert asked.status_code == 400
    assert error_attrs(asked) == {"status"}


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", UNPRIVILEGED)
def test_unprivileged_see_retracted_by_id_and_on_request_only(request, persona, resource):
    client = client_as(request, persona)
    retracted = make(resource, status="retracted", retraction_reason="Misattributed.")
    published = make(resource)

    by_id = client.get(detail_url(resource, retracted))
    assert by_id.status_code == 200
    assert by_id.json()["status"] == "retracted"
    assert by_id.json()["retraction_reason"] == "Misattributed."

    default = client.get(list_url(resource), {"page_size": 1000})
    assert str(retracted.pk) not in ids(default)
    assert str(published.pk) in ids(default)

    asked = client.get(list_url(resource), {"status": "retracted", "page_size": 1000})
    assert asked.status_code == 200
    assert ids(asked) == {str(retracted.pk)}


def test_published_event_does_not_reveal_a_draft_participant():
    """Anonymous readers see published records only, also when one is nested in another."""
    event = EventFactory()
    EventParticipantFactory(event=event, actor__slug="known", role="initiator")
    EventParticipantFactory(
        event=event, actor__slug="undisclosed", actor__status="draft", role="target"
    )
    client = APIClient()

    for response in (client.get(list_url("event")), client.get(detail_url("event", event))):
        assert response.status_code == 200
        assert "known" in response.content.decode()
        assert "undisclosed" not in response.content.decode()


# Creating


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", PRIVILEGED)
def test_privileged_create_drafts(request, persona, resource):
    client = client_as(request, persona)
    model = MODELS[resource]
    payload = create_payload(resource)
    before = model.objects.count()

    response = client.post(list_url(resource), payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert model.objects.count() == before + 1
    assert model.objects.get(pk=body["id"]).status == "draft"


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", UNPRIVILEGED)
def test_unprivileged_may_not_create(request, persona, resource):
    client = client_as(request, persona)
    model = MODELS[resource]
    payload = create_payload(resource)
    before = model.objects.count()

    response = client.post(list_url(resource), payload, format="json")

    assert response.status_code == REFUSED[persona]
    assert errors(response)[0]["code"] in ("not_authenticated", "permission_denied")
    assert model.objects.count() == before


def test_anonymous_refusal_asks_for_a_token():
    response = APIClient().post(list_url("actor"), create_payload("actor"), format="json")
    assert response.status_code == 401
    # The scheme the schema documents (RFC 6750); "Token" is accepted as well.
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


# Changing


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", PRIVILEGED)
def test_privileged_change_records(request, persona, resource):
    client = client_as(request, persona)
    record = make(resource)
    (field, value), *_ = CHANGE[resource].items()

    response = client.patch(
        detail_url(resource, record), CHANGE[resource], format="json", **if_match(record)
    )

    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert getattr(record, field) == value
    assert record.version == 2
    assert record.status == "published"


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", UNPRIVILEGED)
def test_unprivileged_may_not_change(request, persona, resource):
    client = client_as(request, persona)
    record = make(resource)
    (field, value), *_ = CHANGE[resource].items()

    response = client.patch(
        detail_url(resource, record), CHANGE[resource], format="json", **if_match(record)
    )

    assert response.status_code == REFUSED[persona]
    record.refresh_from_db()
    assert getattr(record, field) != value
    assert record.version == 1


# Publishing


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("start", ["draft", "retracted"])
def test_editor_publishes(request, resource, start):
    client = client_as(request, "editor")
    reason = "Doubtful." if start == "retracted" else ""
    record = cite(make(resource, status=start, retraction_reason=reason))

    response = client.post(action_url(resource, "publish", record), **if_match(record))

    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert record.status == response.json()["status"] == "published"
    assert record.retraction_reason == ""
    assert response["ETag"] == f'"{record.version}"'
    # Now anonymous readers see it.
    assert APIClient().get(detail_url(resource, record)).status_code == 200


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", ["anonymous", "outsider", "curator"])
def test_only_editors_publish(request, persona, resource):
    client = client_as(request, persona)
    record = make(resource, status="draft")

    response = client.post(action_url(resource, "publish", record), **if_match(record))

    assert response.status_code == REFUSED[persona]
    record.refresh_from_db()
    assert record.status == "draft"
    assert record.version == 1


# Retracting


@pytest.mark.parametrize("resource", ALL)
def test_editor_retracts_with_a_reason(request, resource):
    client = client_as(request, "editor")
    record = make(resource)

    response = client.post(
        action_url(resource, "retract", record),
        {"reason": " Fabricated quote. "},
        format="json",
        **if_match(record),
    )

    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert record.status == "retracted"
    assert record.retraction_reason == "Fabricated quote."
    assert response.json()["retraction_reason"] == "Fabricated quote."


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
@pytest.mark.parametrize("resource", ["actor", "event"])
def test_retract_needs_a_reason(request, resource, body):
    client = client_as(request, "editor")
    record = make(resource)

    response = client.post(
        action_url(resource, "retract", record), body, format="json", **if_match(record)
    )

    assert response.status_code == 400
    assert error_attrs(response) == {"reason"}
    record.refresh_from_db()
    assert record.status == "published"
    assert record.version == 1


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", ["anonymous", "outsider", "curator"])
def test_only_editors_retract(request, persona, resource):
    client = client_as(request, persona)
    record = make(resource)

    response = client.post(
        action_url(resource, "retract", record),
        {"reason": "Because."},
        format="json",
        **if_match(record),
    )

    assert response.status_code == REFUSED[persona]
    record.refresh_from_db()
    assert record.status == "published"


# Deleting


@pytest.mark.parametrize("resource", ALL)
def test_editor_deletes_drafts(request, resource):
    client = client_as(request, "editor")
    record = make(resource, status="draft")

    response = client.delete(detail_url(resource, record), **if_match(record))

    assert response.status_code == 204
    assert not MODELS[resource].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("status", ["published", "retracted"])
def test_editor_may_not_delete_what_was_published(request, resource, status):
    client = client_as(request, "editor")
    reason = "Withdrawn." if status == "retracted" else ""
    record = make(resource, status=status, retraction_reason=reason)

    response = client.delete(detail_url(resource, record), **if_match(record))

    assert response.status_code == 409
    assert errors(response)[0]["code"] == "conflict"
    assert MODELS[resource].objects.filter(pk=record.pk, status=status).exists()


def referenced_draft(resource):
    """A draft that another record refers to, and the referring record."""
    if resource == "actor":
        tie = AffiliationFactory(subject__status="draft")
        return tie.subject, tie
    if resource == "outlet":
        document = DocumentFactory(outlet__status="draft")
        return document.outlet, document
    if resource == "document":
        citation = EventCitationFactory(document__status="draft")
        return citation.document, citation
    if resource == "place":
        event = EventFactory(place=PlaceFactory(status="draft"))
        return event.place, event
    if resource == "eventtype":
        kind = make("eventtype", status="draft")
        return kind, EventFactory(event_type=kind)
    raise KeyError(resource)


@pytest.mark.parametrize("resource", ["actor", "outlet", "document", "place", "eventtype"])
def test_delete_of_a_referenced_draft_is_a_conflict(request, resource):
    client = client_as(request, "editor")
    draft, referrer = referenced_draft(resource)

    response = client.delete(detail_url(resource, draft), **if_match(draft))

    assert response.status_code == 409
    assert errors(response)[0]["code"] == "conflict"
    assert str(referrer) in errors(response)[0]["detail"]
    assert MODELS[resource].objects.filter(pk=draft.pk).exists()
    assert type(referrer).objects.filter(pk=referrer.pk).exists()


def test_delete_of_a_draft_actor_with_affiliation_keeps_everything(request):
    client = client_as(request, "editor")
    tie = AffiliationFactory(subject__status="draft", object__status="draft", status="draft")
    counts = (Actor.objects.count(), Affiliation.objects.count())

    for actor in (tie.subject, tie.object):
        assert client.delete(detail_url("actor", actor), **if_match(actor)).status_code == 409

    assert (Actor.objects.count(), Affiliation.objects.count()) == counts


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("persona", ["anonymous", "outsider", "curator"])
def test_only_editors_delete(request, persona, resource):
    client = client_as(request, persona)
    record = make(resource, status="draft")

    response = client.delete(detail_url(resource, record), **if_match(record))

    assert response.status_code == REFUSED[persona]
    assert MODELS[resource].objects.filter(pk=record.pk).exists()


# Token sign-in


def basic(username, password="correct horse battery staple"):
    raw = f"{username}:{password}".encode()
    return f"Basic {base64.b64encode(raw).decode()}"


def sign_in(username, password="correct horse battery staple"):
    return APIClient().post(
        reverse("knox-login"), HTTP_AUTHORIZATION=basic(username, password), format="json"
    )


# Generated clients (openapi-python-client's AuthenticatedClient, openapi-fetch, Swagger
# UI) send "Bearer"; DRF's and knox's documentation says "Token". Both are the token.
PREFIXES = ["Token", "Bearer", "bearer"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_token_from_basic_credentials_allows_writes(curator, prefix):
    response = sign_in("curator")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token

    client = APIClient(HTTP_AUTHORIZATION=f"{prefix} {token}")
    created = client.post(list_url("actor"), create_payload("actor"), format="json")

    assert created.status_code == 201, created.json()
    # The token also shows the curator drafts.
    assert client.get(detail_url("actor", created.json()["id"])).status_code == 200


def test_token_carries_the_users_rights_only(curator):
    token = sign_in("curator").json()["token"]
    draft = make("actor", status="draft")

    response = APIClient(HTTP_AUTHORIZATION=f"Token {token}").post(
        action_url("actor", "publish", draft), **if_match(draft)
    )

    assert response.status_code == 403


def test_wrong_password_gets_no_token(curator):
    response = sign_in("curator", "wrong")
    assert response.status_code == 401
    assert "token" not in response.json()


def test_sign_in_needs_credentials():
    response = APIClient().post(reverse("knox-login"))
    assert response.status_code == 401


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_token_is_401(curator, method, prefix):
    client = APIClient(HTTP_AUTHORIZATION=f"{prefix} not-a-real-token-0123456789")
    before = Actor.objects.count()

    response = getattr(client, method)(list_url("actor"), create_payload("actor"), format="json")

    assert response.status_code == 401
    assert errors(response)[0]["code"] == "authentication_failed"
    assert Actor.objects.count() == before


@pytest.mark.parametrize("prefix", PREFIXES)
def test_signed_out_token_stops_working(editor, prefix):
    token = sign_in("editor").json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"{prefix} {token}")

    assert client.post(reverse("knox-logout")).status_code == 204

    response = client.post(list_url("actor"), create_payload("actor"), format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Token", "Bearer a b", "Basic Y3VyYXRvcjp4"])
def test_a_malformed_or_foreign_authorization_reads_as_anonymous_or_401(curator, header):
    # A bare prefix or a token with spaces is a 401 naming the problem; another scheme's
    # header (Basic, here a wrong password) is not a token: the read is anonymous.
    draft = make("actor", status="draft")
    response = APIClient(HTTP_AUTHORIZATION=header).get(list_url("actor"))
    if header.startswith("Basic"):
        assert response.status_code == 200
        assert str(draft.pk) not in {row["id"] for row in response.json()["results"]}
    else:
        assert response.status_code == 401
        assert errors(response)[0]["code"] == "authentication_failed"


def test_token_of_a_user_without_groups_cannot_write():
    UserFactory(username="visitor")
    token = sign_in("visitor").json()["token"]

    response = APIClient(HTTP_AUTHORIZATION=f"Token {token}").post(
        list_url("actor"), create_payload("actor"), format="json"
    )

    assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_published_records(request, persona):
    record = make("actor")
    response = client_as(request, persona).get(detail_url("actor", record.slug))
    assert response.status_code == 200
    assert response.json()["id"] == str(record.pk)
