"""The leak matrix: no read path shows a hidden record, or any sign that it exists.

For every relation a curated record renders (read from the models by
conflictapi.visibility.rendered_relations: an event's type, place, participants and
citations, a document's outlet, a place's parent, …), the related record is put in
draft and in retracted, and every read path is crawled as an anonymous client and as a
signed-in user without a group: every list in JSON, CSV and GeoJSON, cursor pages,
every detail, the export in CSV, NDJSON and GeoJSON, an actor's events and ties, the
networks (an actor's and every tie's, in JSON, GraphML and GEXF), and the filters. The
hidden record's id, slug, name and coordinates must appear nowhere but in its own
tombstone (when retracted: on its own URL and under status=retracted, and then with
nothing but the tombstone's fields); every filter that names it is a 400 like a record
that never existed; and filtered lists only hold rows that show what they were filtered
by (`role=mediator` does not match an event whose only mediator is hidden).

A relation the world below does not populate fails `test_the_world_covers_every_relation`,
so a new relation is covered by adding it to the world, not by remembering this file.
"""

import json
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from conflictapi.models import CuratedModel, Status
from conflictapi.visibility import TOMBSTONE_FIELDS, rendered_relations, required_relations
from events.models import Event, EventType
from tests.api.helpers_personas import fresh_throttle_counts  # noqa: F401
from tests.factories import (
    ActorCitationFactory,
    ActorFactory,
    AffiliationFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    OutletFactory,
    PlaceFactory,
    event_type,
)

CURATED = [m for m in apps.get_models() if issubclass(m, CuratedModel)]
RELATIONS = [(model, path, fk) for model in CURATED for path, fk in rendered_relations(model)]

BASENAMES = {
    "Outlet": "sources-api:outlet",
    "Document": "sources-api:document",
    "Actor": "actors-api:actor",
    "Affiliation": "actors-api:affiliation",
    "Place": "events-api:place",
    "EventType": "events-api:eventtype",
    "Event": "events-api:event",
}
GEOJSON = {"Place", "Event"}
NETWORK_FORMATS = ("json", "graphml", "gexf")


def build_world():
    """One published record of every curated model, with every relation filled."""
    outlet = OutletFactory()
    document = DocumentFactory(outlet=outlet)
    initiator, mediator = ActorFactory(), ActorFactory()
    for actor in (initiator, mediator):
        ActorCitationFactory(actor=actor, document=document)
    tie = AffiliationFactory(subject=initiator, object=mediator)
    tie.citations.create(document=document, quote="they are allied")
    country = PlaceFactory(kind="country", latitude=Decimal("35.0"), longitude=Decimal("38.0"))
    town = PlaceFactory(parent=country, latitude=Decimal("35.61"), longitude=Decimal("36.64"))
    top = event_type("battles")
    kind = EventType.objects.create(
        name="Leak-test skirmish",
        slug="leak-test-skirmish",
        parent=top,
        acled_equivalent=event_type("armed-clash"),
        status=Status.PUBLISHED,
    )
    event = EventFactory(event_type=kind, place=town, title="The event")
    EventParticipantFactory(event=event, actor=initiator, role="initiator")
    EventParticipantFactory(event=event, actor=mediator, role="mediator")
    EventCitationFactory(event=event, document=document)
    records = [outlet, document, initiator, mediator, tie, country, town, kind, event]
    return {"records": records, "event": event, "actors": (initiator, mediator)}


def related_records(record, path, fk):
    if path == fk.name:
        related = getattr(record, path)
        return [related] if related is not None else []
    return [getattr(row, fk.name) for row in getattr(record, path).all()]


def targets(world):
    """(relation label, record) for every record some relation of the world reaches."""
    seen, out = set(), []
    for holder in world["records"]:
        for path, fk in rendered_relations(type(holder)):
            for related in related_records(holder, path, fk):
                if related.pk not in seen:
                    seen.add(related.pk)
                    out.append((f"{type(holder).__name__}.{path}", related))
    return out


@pytest.mark.django_db
def test_the_world_covers_every_relation():
    world = build_world()
    holders = {type(r): r for r in world["records"]}
    for model, path, fk in RELATIONS:
        assert model in holders, f"the leak world has no {model.__name__}"
        assert related_records(holders[model], path, fk), (
            f"the leak world leaves {model.__name__}.{path} empty: add it to build_world"
        )


# Texts of an event's own that only its full rendering shows (ACLED's columns).
EVENT_TEXTS = ("tags", "civilian_targeting", "source_scale", "acled_source")


def hide(record, state):
    """Put the record in `state`, with markers in its names (an event's: its title, its
    ACLED texts and its ids in other schemes) that must not leak."""
    marker = uuid.uuid4().hex[:12]
    updates = {"status": state}
    if state == Status.RETRACTED:
        updates["retraction_reason"] = "withdrawn for the test"
    for field in type(record)._meta.concrete_fields:
        if field.name == "slug":
            updates["slug"] = f"leak-{marker}"
        elif field.name in ("name", "title", *EVENT_TEXTS):
            updates[field.name] = f"LEAK{marker}"[: field.max_length]
        elif field.name in ("latitude",):
            updates[field.name] = Decimal("12.345678")
    type(record)._base_manager.filter(pk=record.pk).update(**updates)
    if isinstance(record, Event):
        for scheme in record.identifiers.values_list("scheme", flat=True):
            record.identifiers.filter(scheme=scheme).update(value=f"{scheme}-{marker}")
    return [str(record.pk), marker, marker.upper(), "12.34567"]


def crawl_urls(world, hidden):
    """Every read path of the world, as (label, url, params)."""
    urls = []
    for model_name, basename in BASENAMES.items():
        list_url = reverse(f"{basename}-list")
        formats = ["json", "csv"] + (["geojson"] if model_name in GEOJSON else [])
        for fmt in formats:
            urls.append((f"{model_name} list {fmt}", list_url, {"format": fmt}))
            urls.append(
                (f"{model_name} retracted {fmt}", list_url, {"format": fmt, "status": "retracted"})
            )
    for record in world["records"]:
        if record.pk == hidden.pk or any(
            getattr(record, name).pk == hidden.pk for name in required_relations(type(record))
        ):
            continue  # its own tombstone is checked apart; a tie without its end is hidden
        name = type(record).__name__
        urls.append((f"{name} detail", reverse(f"{BASENAMES[name]}-detail", args=[record.pk]), {}))
    events = reverse("events-api:event-list")
    export = reverse("events-api:event-export")
    urls += [
        ("events cursor", events, {"cursor": ""}),
        ("export csv", export, {"format": "csv"}),
        ("export ndjson", export, {"format": "ndjson"}),
        ("export geojson", export, {"format": "geojson"}),
        ("export retracted csv", export, {"format": "csv", "status": "retracted"}),
        ("export retracted ndjson", export, {"format": "ndjson", "status": "retracted"}),
        ("export retracted geojson", export, {"format": "geojson", "status": "retracted"}),
        ("events by role", events, {"role": "mediator"}),
        ("events by country", events, {"country": "SY"}),
        ("events in a box", events, {"bbox": "30,30,40,40"}),
        ("export by role", export, {"format": "ndjson", "role": "mediator"}),
    ]
    for actor in world["actors"]:
        if actor.pk == hidden.pk:
            continue
        for action in ("events", "affiliations"):
            urls.append((f"actor {action}", f"/api/v1/actors/{actor.pk}/{action}/", {}))
        network = reverse("actors-api:actor-network", args=[actor.pk])
        for fmt in NETWORK_FORMATS:
            urls.append((f"network {fmt}", network, {"depth": 3, "format": fmt}))
    for fmt in NETWORK_FORMATS:
        urls.append(
            (
                f"affiliation network {fmt}",
                reverse("actors-api:affiliation-network"),
                {"format": fmt},
            )
        )
    return urls


# Filters that name a record, by its model: (list basename, parameter).
NAMING_FILTERS = {
    "Actor": [
        ("events-api:event", "actor"),
        ("actors-api:affiliation", "actor"),
        ("actors-api:affiliation", "subject"),
        ("actors-api:affiliation", "object"),
        ("actors-api:actor", "affiliated_with"),
    ],
    "Place": [
        ("events-api:event", "place"),
        ("events-api:place", "within"),
        ("events-api:place", "parent"),
    ],
    "EventType": [("events-api:event", "event_type"), ("events-api:eventtype", "parent")],
    "Document": [
        ("events-api:event", "document"),
        ("actors-api:actor", "document"),
        ("actors-api:affiliation", "document"),
    ],
    "Outlet": [("events-api:event", "outlet"), ("sources-api:document", "outlet")],
}


def check_tombstone(text, label, fmt=None):
    """A retracted record's own rows: only the tombstone's fields carry values."""
    if not text.lstrip().startswith("{"):
        return  # CSV: the markers tell
    if fmt == "ndjson":
        rows = [json.loads(line) for line in text.splitlines()]
    else:
        body = json.loads(text)
        rows = body.get("results") or [f["properties"] for f in body.get("features", [])]
        rows = rows or [body]
    for row in rows:
        # The flat formats' columns are a tombstone's too, null but its own.
        if fmt in ("ndjson", "geojson"):
            row = {key: value for key, value in row.items() if value is not None}
        assert set(row) <= set(TOMBSTONE_FIELDS), (label, row)


def client(request, persona):
    api = APIClient()
    if persona != "anonymous":
        api.force_authenticate(request.getfixturevalue(persona))
    return api


STATES = (Status.DRAFT, Status.RETRACTED)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
@pytest.mark.parametrize("state", STATES)
def test_no_path_shows_a_hidden_related_record(request, persona, state):
    world = build_world()
    api = client(request, persona)
    for label, target in targets(world):
        _crawl_with_hidden(api, world, label, target, state)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
@pytest.mark.parametrize("state", STATES)
def test_no_path_shows_a_hidden_events_own_fields(request, persona, state):
    """What an event shows of its own and no other record does (its ACLED texts, its
    ids in other schemes) shows nowhere while it is hidden: a retraction is a tombstone,
    a draft absent."""
    world = build_world()
    event = world["event"]
    Event.objects.filter(pk=event.pk).update(**dict.fromkeys(EVENT_TEXTS, "shown"))
    api = client(request, persona)
    _crawl_with_hidden(api, world, "the event itself", event, state)


def _crawl_with_hidden(api, world, label, target, state):
    sid = transaction.savepoint()
    try:
        markers = hide(target, state)
        model_name = type(target).__name__
        own_detail = reverse(f"{BASENAMES[model_name]}-detail", args=[target.pk])
        own_list = reverse(f"{BASENAMES[model_name]}-list")

        response = api.get(own_detail)
        if state == Status.DRAFT:
            assert response.status_code == 404, (label, response.content)
        else:
            assert response.status_code == 200, (label, response.content)
            assert set(response.json()) <= set(TOMBSTONE_FIELDS), (label, response.json())
            assert not any(m in response.content.decode() for m in markers[1:]), label

        for what, url, params in crawl_urls(world, target):
            response = api.get(url, params)
            assert response.status_code == 200, (
                label,
                what,
                response.status_code,
                response.content[:300],
            )
            text = (
                b"".join(response.streaming_content).decode()
                if response.streaming
                else response.content.decode()
            )
            own_tombstones = state == Status.RETRACTED and (
                (url == own_list and params.get("status") == "retracted")
                or (what.startswith("export retracted") and model_name == "Event")
            )
            leaked = [m for m in markers if m in text]
            if own_tombstones:
                leaked = [m for m in markers[1:] if m in text]
                check_tombstone(text, (label, what), params.get("format"))
            assert not leaked, f"{label} in {state}: {what} {params} shows {leaked}:\n{text[:2000]}"
            _check_filtered_rows(text, params, (label, state, what))

        for basename, param in NAMING_FILTERS.get(model_name, []):
            refs = [str(target.pk)] + ([target.slug] if hasattr(target, "slug") else [])
            for ref in refs:
                response = api.get(reverse(f"{basename}-list"), {param: ref})
                assert response.status_code == 400, (
                    label,
                    state,
                    basename,
                    param,
                    response.content,
                )
                assert param in {e["attr"] for e in response.json()["errors"]}
    finally:
        transaction.savepoint_rollback(sid)


def _check_filtered_rows(text, params, where):
    """Rows a filter returned show what they were filtered by."""
    if not text.lstrip().startswith("{") or "results" not in text[:200]:
        return
    body = json.loads(text)
    rows = body.get("results", [])
    assert body.get("count", len(rows)) == len(rows) or body.get("next"), where
    for row in rows:
        if "role" in params:
            roles = {p["role"] for p in row.get("participants", [])}
            assert params["role"] in roles, (where, row)
        if {"country", "bbox", "place"} & set(params):
            assert row.get("place") is not None, (where, row)
