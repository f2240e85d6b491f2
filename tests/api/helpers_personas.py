"""Shared helpers for the API tests: the personas, a client for each, the resources and
the error shape.

The personas (the users come from tests/conftest.py; the groups from
events/migrations/0003_groups.py):

- anonymous: not signed in. Reads published records, and retracted ones by id or with
  `status=retracted`; never drafts. May not write (401).
- outsider: staff without any group. Signed in but holds no model permission: reads
  like anonymous, every write is 403.
- curator: group `curators`. Sees drafts, may create and change records; may not
  publish, retract or delete (403).
- editor: group `editors`. A curator who may also publish, retract and delete drafts.
"""

import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import EventType
from tests.factories import (
    ActorFactory,
    AffiliationFactory,
    DocumentFactory,
    EventFactory,
    OutletFactory,
    PlaceFactory,
    event_type,
)


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Anonymous requests are throttled (120 a minute) with counts kept in the cache,
    which outlives a test: without a clean slate, a long run gets 429s. Import this
    into a test module to use it."""
    cache.clear()
    yield
    cache.clear()


PERSONAS = ("anonymous", "outsider", "curator", "editor")
PRIVILEGED = ("curator", "editor")
UNPRIVILEGED = ("anonymous", "outsider")


def client_as(request, persona):
    """An APIClient signed in as the named persona; "anonymous" is not signed in."""
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    return client


def event_type_record(**kwargs):
    """A sub-type of Battles, so it can be published, retracted or deleted freely."""
    n = uuid.uuid4().hex[:8]
    kwargs.setdefault("status", "published")
    return EventType.objects.create(
        name=f"Skirmish {n}", slug=f"skirmish-{n}", parent=event_type("battles"), **kwargs
    )


# Each resource: its URL basename and how to make one record of it.
RESOURCES = {
    "outlet": ("sources-api:outlet", OutletFactory),
    "document": ("sources-api:document", DocumentFactory),
    "actor": ("actors-api:actor", ActorFactory),
    "affiliation": ("actors-api:affiliation", AffiliationFactory),
    "event": ("events-api:event", EventFactory),
    "eventtype": ("events-api:eventtype", event_type_record),
    "place": ("events-api:place", PlaceFactory),
}


def make(resource, **kwargs):
    return RESOURCES[resource][1](**kwargs)


def cite(record):
    """A citation of a published document, for a record that needs one to be published
    (events, actors, ties); nothing for the others."""
    if hasattr(type(record), "citations"):
        record.citations.create(document=DocumentFactory(), quote="a verbatim sentence")
    return record


def list_url(resource, **kwargs):
    return reverse(f"{RESOURCES[resource][0]}-list", kwargs=kwargs or None)


def detail_url(resource, ref):
    return reverse(f"{RESOURCES[resource][0]}-detail", args=[getattr(ref, "pk", ref)])


def action_url(resource, action, ref):
    return reverse(f"{RESOURCES[resource][0]}-{action}", args=[getattr(ref, "pk", ref)])


def if_match(record):
    """The If-Match header of a client that has just read `record`: its ETag, the
    version the database holds now. Every change to a record sends one."""
    version = type(record).objects.values_list("version", flat=True).get(pk=record.pk)
    return {"HTTP_IF_MATCH": f'"{version}"'}


def create_payload(resource):
    """A minimal valid body for POST to the resource's list."""
    n = uuid.uuid4().hex[:8]
    if resource == "outlet":
        return {"name": f"Outlet {n}", "slug": f"outlet-{n}", "kind": "news"}
    if resource == "document":
        return {"title": f"Report {n}", "outlet_id": str(OutletFactory().pk)}
    if resource == "actor":
        return {"name": f"Front {n}", "slug": f"front-{n}", "kind": "armed_group"}
    if resource == "affiliation":
        return {
            "subject_id": str(ActorFactory().pk),
            "kind": "allied_with",
            "object_id": str(ActorFactory().pk),
        }
    if resource == "event":
        return {
            "title": f"Clash {n}",
            "event_type_id": str(event_type().pk),
            "date": "2015-03",
        }
    if resource == "eventtype":
        return {
            "name": f"Skirmish {n}",
            "slug": f"skirmish-{n}",
            "parent_id": str(event_type("battles").pk),
        }
    if resource == "place":
        return {"name": f"Town {n}", "slug": f"town-{n}", "kind": "town"}
    raise KeyError(resource)


def ids(response):
    """The ids of a list response's page."""
    return {row["id"] for row in response.json()["results"]}


def errors(response):
    """The errors of a 4xx in the one error shape, checking that shape on the way."""
    body = response.json()
    assert body["type"] in ("validation_error", "client_error"), body
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}, error
    return body["errors"]


def error_attrs(response):
    return {error["attr"] for error in errors(response)}


def row_counts(*models):
    return {model.__name__: model._base_manager.count() for model in models}
