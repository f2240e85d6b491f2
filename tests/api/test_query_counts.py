"""Every list and detail endpoint reads the database a fixed number of times, however many
rows it serializes: an N+1 would show as a count growing with the rows.

Each list is measured at 1, 10 and 100 fully populated rows (events with three
participants, two citations, a place inside a place and an id in each scheme; actors
with three aliases, two identifiers and a citation; affiliations with two citations; …)
and page_size=1000, so every row is serialized. The expected count is one constant per
endpoint, the same at every size; and every row must carry its identifiers, so that
they are read (and not left out to save a query)."""

import itertools

import pytest
from django.core.cache import cache
from django.urls import reverse

from actors.models import AffiliationCitation
from events.models import Event, EventType
from tests.factories import (
    ActorCitationFactory,
    ActorFactory,
    ActorIdentifierFactory,
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

SIZES = [1, 10, 100]
SEEDED_EVENT_TYPES = 37

# Queries a session-authenticated user adds to any request: the session, the user, and
# the user's own and group permissions (read once, then cached on the user object).
SESSION_QUERIES = 4

_serial = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # Anonymous reads are throttled per process; each test starts with a clean budget.
    cache.clear()


def full_actor(**kwargs):
    actor = ActorFactory(founded="2012-01", country="SY", **kwargs)
    for _ in range(3):
        ActorNameFactory(actor=actor)
    ActorIdentifierFactory(actor=actor, scheme="wikidata")
    ActorIdentifierFactory(actor=actor, scheme="acled")
    ActorCitationFactory(actor=actor)
    return actor


def cite_affiliation(affiliation, times=2):
    for _ in range(times):
        AffiliationCitation.objects.create(
            affiliation=affiliation, document=DocumentFactory(), quote="a verbatim sentence"
        )


def full_event(*participants):
    """An event in a town inside a governorate, with three participants (the given actors
    first), two citations, and (as every event) an id in each scheme, acled and ucdp."""
    governorate = PlaceFactory(kind="admin1")
    town = PlaceFactory(parent=governorate, latitude="35.5", longitude="36.5")
    event = EventFactory(place=town, fatalities_low=1, fatalities_best=2, fatalities_high=3)
    actors = [*participants, *(ActorFactory() for _ in range(3 - len(participants)))]
    for actor, role in zip(actors, ("initiator", "target", "supporter"), strict=True):
        EventParticipantFactory(event=event, actor=actor, role=role)
    EventCitationFactory(event=event)
    EventCitationFactory(event=event)
    return event


# Each builder makes `n` rows and returns (url, params, rows the response must carry).

ALL = {"page_size": 1000}  # one page holds every row


def build_outlets(n):
    for _ in range(n):
        OutletFactory(country="SY", url="https://example.org/", reliability="B")
    return reverse("sources-api:outlet-list"), ALL, n


def build_documents(n):
    for _ in range(n):
        DocumentFactory(authors="A. Writer", summary="What it says.", url="https://x.org/")
    return reverse("sources-api:document-list"), ALL, n


def build_actors(n):
    for _ in range(n):
        full_actor()
    return reverse("actors-api:actor-list"), ALL, n


def build_actor_search(n):
    for _ in range(n):
        full_actor(name=f"Northern Front {next(_serial)}")
    full_actor(name="Unrelated")
    return reverse("actors-api:actor-list"), {"q": "front", **ALL}, n


def build_affiliations(n):
    for _ in range(n):
        cite_affiliation(AffiliationFactory(start_date="2014-10", role="commander"))
    return reverse("actors-api:affiliation-list"), ALL, n


def build_events(n):
    for _ in range(n):
        full_event()
    return reverse("events-api:event-list"), ALL, n


def build_event_search(n):
    for _ in range(n):
        event = full_event()
        Event.objects.filter(pk=event.pk).update(title="Shelling of Kafr Nabl")
    full_event()  # not a match
    return reverse("events-api:event-list"), {"q": "kafr nabl", **ALL}, n


def build_event_types(n):
    strategic = EventType.objects.get(slug="strategic-developments")
    other = EventType.objects.get(slug="other")
    for _ in range(n):
        i = next(_serial)
        EventType.objects.create(
            name=f"Finer kind {i}",
            slug=f"finer-kind-{i}",
            parent=strategic,
            acled_equivalent=other,
            status="published",
        )
    return reverse("events-api:eventtype-list"), ALL, SEEDED_EVENT_TYPES + n


def build_places(n):
    for _ in range(n):
        governorate = PlaceFactory(kind="admin1")
        PlaceFactory(parent=governorate, latitude="35.5", longitude="36.5", alternate_names=["حلب"])
    return reverse("events-api:place-list"), ALL, 2 * n


def build_place_search(n):
    for _ in range(n):
        governorate = PlaceFactory(kind="admin1", name=f"Idlib {next(_serial)}")
        PlaceFactory(parent=governorate, alternate_names=["إدلب"])
    PlaceFactory(name="Unrelated")
    return reverse("events-api:place-list"), {"q": "إدلب", **ALL}, n


def build_actor_events(n):
    centre = full_actor(slug="centre")
    for _ in range(n):
        full_event(centre)
    return reverse("events-api:actor-events", args=["centre"]), ALL, n


def star(n):
    """An actor tied to `n` others, as subject and as object in turn, each tie cited twice."""
    centre = full_actor(slug="centre")
    for i in range(n):
        other = ActorFactory()
        subject, obj = (centre, other) if i % 2 else (other, centre)
        cite_affiliation(AffiliationFactory(subject=subject, object=obj, start_date="2014"))
    return centre


def build_actor_affiliations(n):
    star(n)
    return reverse("actors-api:actor-affiliations", args=["centre"]), ALL, n


def build_actor_network(n):
    star(n)
    # Not paginated: the whole graph, and page_size would be an unknown parameter.
    return reverse("actors-api:actor-network", args=["centre"]), {"as_of": "2015-01-01"}, n


def build_affiliation_network(n):
    star(n)
    # Not paginated: every tie the filters match.
    return reverse("actors-api:affiliation-network"), {"actor": "centre"}, n


def rows_of(response):
    body = response.json()
    rows = body["edges"] if "edges" in body else body["results"]
    for row in rows:
        if "identifiers" in row:  # an actor's two, an event's one a scheme
            assert len(row["identifiers"]) == 2, row
    return rows


LISTS = {
    # SELECT COUNT(*) outlets; SELECT the page.
    "outlets": (build_outlets, 2),
    # COUNT; the page JOIN outlet.
    "documents": (build_documents, 2),
    # COUNT; the page; prefetch names; prefetch identifiers.
    "actors": (build_actors, 4),
    # Ranked by match: the ordered keys of the matches (the count too); the page's
    # rows by key; names; identifiers.
    "actor-search": (build_actor_search, 4),
    # COUNT; the page JOIN subject and object actors.
    "affiliations": (build_affiliations, 2),
    # COUNT; the page's values JOIN event type and place; its identifiers; its
    # participations; their actors.
    "events": (build_events, 5),
    # The events whose text is too long for the search column (none here); then as
    # for the list.
    "event-search": (build_event_search, 6),
    # COUNT; the page JOIN parent and acled_equivalent.
    "event-types": (build_event_types, 2),
    # COUNT; the page JOIN parent.
    "places": (build_places, 2),
    # Ranked by match, as actor-search: the ordered keys of the matches (the count
    # too); the page's rows by key JOIN parent.
    "place-search": (build_place_search, 2),
    # The actor in the path; COUNT; the page's values; its identifiers; its
    # participations; their actors.
    "actor-events": (build_actor_events, 6),
    # The actor in the path; COUNT; the page JOIN subject and object.
    "actor-affiliations": (build_actor_affiliations, 3),
    # The centre (1); the ties one step out (1); the nodes (1); the ties among them,
    # and their citations JOIN document and outlet (2).
    "actor-network": (build_actor_network, 5),
    # The actor the filter names (1); the ties JOIN subject and object, which are the
    # nodes (1); their citations JOIN document and outlet (1).
    "affiliation-network": (build_affiliation_network, 3),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("endpoint", LISTS)
def test_list_queries_are_constant(api, django_assert_num_queries, endpoint, size):
    build, queries = LISTS[endpoint]
    url, params, expected_rows = build(size)
    with django_assert_num_queries(queries):
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    assert len(rows_of(response)) == expected_rows


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("endpoint", ["actor-network", "affiliation-network"])
def test_network_formats_read_as_json_does(api, django_assert_num_queries, endpoint, fmt, size):
    """GraphML and GEXF render the JSON network's data: the same queries."""
    build, queries = LISTS[endpoint]
    url, params, expected_rows = build(size)
    with django_assert_num_queries(queries):
        response = api.get(url, {**params, "format": fmt})
    assert response.status_code == 200, response.content
    assert response.content.count(b"<edge ") == expected_rows


CURATOR_LISTS = {
    # The session's 4 (session, user, user permissions, group permissions), then as
    # for anonymous readers (without the status condition).
    "events": (build_events, SESSION_QUERIES + LISTS["events"][1]),
    "actors": (build_actors, SESSION_QUERIES + 4),
    "actor-network": (build_actor_network, SESSION_QUERIES + 5),
    "affiliation-network": (build_affiliation_network, SESSION_QUERIES + 3),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("endpoint", CURATOR_LISTS)
def test_curator_list_queries_are_constant(api, curator, django_assert_num_queries, endpoint, size):
    build, queries = CURATOR_LISTS[endpoint]
    url, params, expected_rows = build(size)
    draft = {"events": EventFactory, "actors": full_actor}.get(endpoint)
    if draft:
        draft(status="draft")  # curators see drafts too
        expected_rows += 1
    api.force_login(curator)
    with django_assert_num_queries(queries):
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    assert len(rows_of(response)) == expected_rows


def build_event_detail(k):
    event = full_event()
    for _ in range(k):
        EventParticipantFactory(event=event, role="party")
        EventCitationFactory(event=event)
    return reverse("events-api:event-detail", args=[event.pk]), ("participants", "citations")


def build_actor_detail(k):
    actor = full_actor()
    for _ in range(k):
        ActorNameFactory(actor=actor)
        ActorIdentifierFactory(actor=actor, scheme="ucdp")
        ActorCitationFactory(actor=actor)
    return reverse("actors-api:actor-detail", args=[actor.slug]), (
        "names",
        "identifiers",
        "citations",
    )


def build_affiliation_detail(k):
    affiliation = AffiliationFactory(subject=full_actor(), object=full_actor())
    cite_affiliation(affiliation, times=k)
    return reverse("actors-api:affiliation-detail", args=[affiliation.pk]), ("citations",)


DETAILS = {
    # The event JOIN type and place; participants JOIN actor; identifiers; citations
    # JOIN document and outlet.
    "event": (build_event_detail, 4),
    # The actor; names; identifiers; citations JOIN document and outlet.
    "actor": (build_actor_detail, 4),
    # The tie JOIN subject and object; citations JOIN document and outlet.
    "affiliation": (build_affiliation_detail, 2),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("endpoint", DETAILS)
def test_detail_queries_are_constant(api, django_assert_num_queries, endpoint, size):
    build, queries = DETAILS[endpoint]
    url, nested = build(size)
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    for field in nested:
        assert len(body[field]) >= size
    assert len(body.get("identifiers", [0, 0])) >= 2  # an event's, an actor's
