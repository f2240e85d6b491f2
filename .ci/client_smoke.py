"""Smoke run of a Python client generated from openapi.yaml, against a live server.

    PYTHONPATH=<dir holding conflict_data_api_client> python .ci/client_smoke.py BASE_URL

The client is generated, untouched, by .ci/api_checks.sh with openapi-python-client. The
run reads as an anonymous client would: it lists events with a date range and a page
size, reads an actor by id, finds it by an alias, and walks its affiliation network on a
day its tie held, two steps out; then reads the page as CSV and the network as GraphML,
each from its own operation. Each answer must be a 200 parsed into the generated models
(or text) with real content; any failure exits non-zero with a message saying what.
"""

import csv
import datetime
import io
import sys
import traceback
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from conflict_data_api_client import Client
from conflict_data_api_client.api.actors import (
    actors_list,
    actors_network_retrieve,
    actors_network_retrieve_graphml,
    actors_retrieve,
)
from conflict_data_api_client.api.affiliations import affiliations_list
from conflict_data_api_client.api.events import events_list, events_list_csv, events_retrieve
from conflict_data_api_client.models import (
    Actor,
    ActorList,
    AffiliationList,
    BriefActor,
    BriefDocument,
    BriefEventType,
    Event,
    EventList,
    Network,
    NetworkEdge,
    NetworkNode,
    PaginatedActorListList,
    PaginatedAffiliationListList,
    PaginatedEventListList,
)
from conflict_data_api_client.types import Unset

CHECKS = []


class SmokeFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise SmokeFailure(message)


def ok(what):
    CHECKS.append(what)
    print(f"  ok  {what}")


def call(endpoint, expected_type, **kwargs):
    """Call a generated endpoint; demand a 200 parsed into the expected model."""
    where = f"{endpoint.__name__.rsplit('.', 1)[-1]}({kwargs_text(kwargs)})"
    try:
        response = endpoint.sync_detailed(**kwargs)
    except Exception as exc:  # a response the generated models cannot parse
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        at = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        raise SmokeFailure(f"{where}: {type(exc).__name__}: {exc} (at {at})") from exc
    check(
        response.status_code == 200,
        f"{where}: HTTP {int(response.status_code)}: {response.content[:500]!r}",
    )
    check(
        isinstance(response.parsed, expected_type),
        f"{where}: parsed as {type(response.parsed).__name__}, not {expected_type.__name__}",
    )
    return response.parsed


def kwargs_text(kwargs):
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items() if k != "client")


def smoke(base_url):
    client = Client(base_url=base_url, raise_on_unexpected_status=True, timeout=30.0)

    # Events: a page, then a date range around the first event found.
    page = call(events_list, PaginatedEventListList, client=client, page_size=2)
    check(page.count > 0 and page.results, "events: the list is empty; the server has data")
    check(len(page.results) <= 2, f"events: page_size=2 gave {len(page.results)} results")
    if page.count > 2:
        check(isinstance(page.next_, str), "events: more than a page but no next link")
    for event in page.results:
        check(isinstance(event, EventList), "events: a result is not an EventList")
        check(isinstance(event.id, uuid.UUID), "events: id is not parsed as a UUID")
        check(isinstance(event.event_type, BriefEventType), "events: event_type not parsed")
        check(event.title, "events: a result has no title")
    ok(f"events_list page_size=2: {len(page.results)} of {page.count}, typed EventList")

    dated = next((e for e in page.results if isinstance(e.date_start, datetime.date)), None)
    check(dated is not None, "events: no event on the first page has a date_start")
    day = dated.date_start
    ranged = call(
        events_list,
        PaginatedEventListList,
        client=client,
        date_from=day,
        date_to=day,
        page_size=1000,
    )
    ids = {e.id for e in ranged.results}
    check(dated.id in ids, f"events: date_from=date_to={day} misses event {dated.id}")
    for event in ranged.results:
        check(
            (event.date_start is None or event.date_start <= day)
            and (event.date_end is None or event.date_end >= day),
            f"events: {event.id} ({event.date_start}..{event.date_end}) is outside {day}",
        )
    ok(f"events_list date_from=date_to={day}: {ranged.count} events, all overlapping")

    later = day + datetime.timedelta(days=1)
    after = call(events_list, PaginatedEventListList, client=client, date_from=later)
    check(
        all(e.date_end is None or e.date_end >= later for e in after.results),
        f"events: date_from={later} returned an event that ended before it",
    )
    ok(f"events_list date_from={later}: {after.count} events, none ended before")

    event = call(events_retrieve, Event, client=client, id=str(dated.id))
    check(event.id == dated.id, "events_retrieve: another event came back")
    check(isinstance(event.citations, list), "events_retrieve: citations not a list")
    ok(f"events_retrieve {event.id}: {event.title!r}")

    # An affiliation with a date: its subject is the actor to read and walk.
    ties = call(
        affiliations_list,
        PaginatedAffiliationListList,
        client=client,
        page_size=1000,
    )
    check(ties.results, "affiliations: the list is empty; the server has data")
    check(all(isinstance(t, AffiliationList) for t in ties.results), "affiliations: untyped")
    tie = next(
        (t for t in ties.results if isinstance(t.start_date_start, datetime.date)),
        ties.results[0],
    )
    check(isinstance(tie.subject, BriefActor), "affiliations: subject not a BriefActor")
    ok(f"affiliations_list: {ties.count} ties, typed AffiliationList")

    actor = call(actors_retrieve, Actor, client=client, id=str(tie.subject.id))
    check(actor.id == tie.subject.id, "actors_retrieve: another actor came back")
    check(actor.name == tie.subject.name, "actors_retrieve: name differs from the tie's")
    check(isinstance(actor.names, list), "actors_retrieve: names not a list")
    ok(f"actors_retrieve {actor.slug}: {actor.name!r}, {len(actor.names)} other names")

    by_slug = call(actors_retrieve, Actor, client=client, id=actor.slug)
    check(by_slug.id == actor.id, "actors_retrieve by slug: another actor came back")
    ok(f"actors_retrieve by slug {actor.slug}")

    aliased = actor if actor.names else None
    if aliased is None:
        everyone = call(actors_list, PaginatedActorListList, client=client, page_size=1000)
        aliased = next((a for a in everyone.results if a.names), None)
        check(aliased is not None, "actors: no actor has an alias; the data set has one")
        check(isinstance(aliased, ActorList), "actors: a result is not an ActorList")
    alias = aliased.names[0].name
    found = call(actors_list, PaginatedActorListList, client=client, q=alias)
    check(
        aliased.id in {a.id for a in found.results},
        f"actors_list q={alias!r} does not find {aliased.slug}",
    )
    ok(f"actors_list q={alias!r} finds {aliased.slug}")

    # The network on a day the tie held, two steps out.
    as_of = tie.start_date_start
    if not isinstance(as_of, datetime.date):
        as_of = tie.end_date_end if isinstance(tie.end_date_end, datetime.date) else None
    kwargs = {"as_of": as_of} if as_of else {}
    net = call(
        actors_network_retrieve,
        Network,
        client=client,
        id=str(actor.id),
        depth=2,
        **kwargs,
    )
    check(net.centre == actor.id, "network: centre is not the actor asked for")
    check(net.depth == 2, f"network: depth {net.depth}, asked for 2")
    check(net.as_of == as_of, f"network: as_of {net.as_of}, asked for {as_of}")
    check(all(isinstance(n, NetworkNode) for n in net.nodes), "network: a node is untyped")
    check(all(isinstance(e, NetworkEdge) for e in net.edges), "network: an edge is untyped")
    nodes = {n.id: n for n in net.nodes}
    check(actor.id in nodes and nodes[actor.id].depth == 0, "network: centre not at depth 0")
    check(tie.id in {e.id for e in net.edges}, f"network as_of={as_of}: tie {tie.id} missing")
    other = tie.object_.id
    check(other in nodes and nodes[other].depth == 1, "network: the tie's other end not at 1")
    check(all(0 <= n.depth <= 2 for n in net.nodes), "network: a node deeper than 2")
    for edge in net.edges:
        check(edge.subject in nodes and edge.object_ in nodes, "network: an edge leaves it")
    cited = [c for e in net.edges for c in e.citations]
    check(cited, "network: no edge carries a citation")
    check(
        all(isinstance(c.document, BriefDocument) and c.quote for c in cited),
        "network: a citation has no parsed document or no quote",
    )
    unset = [e.id for e in net.edges if isinstance(e.status, Unset)]
    check(not unset, f"network: edges without a status: {unset}")
    ok(
        f"actors_network_retrieve {actor.slug} as_of={as_of} depth=2: "
        f"{len(net.nodes)} nodes, {len(net.edges)} edges, {len(cited)} citations"
    )

    # Other formats: each its own operation, its body the format's text.
    text = call(events_list_csv, str, client=client, page_size=2)
    rows = list(csv.DictReader(io.StringIO(text)))
    check(len(rows) == len(page.results), f"events_list_csv: {len(rows)} rows, not 2")
    check(
        [row["id"] for row in rows] == [str(e.id) for e in page.results],
        "events_list_csv: not the JSON page's events",
    )
    ok(f"events_list_csv page_size=2: {len(rows)} rows, the JSON page's")

    graphml = call(
        actors_network_retrieve_graphml, str, client=client, id=str(actor.id), depth=2, **kwargs
    )
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    ids = {node.get("id") for node in ET.fromstring(graphml).iter(f"{ns}node")}
    check(ids == {str(n) for n in nodes}, "network.graphml: not the JSON network's nodes")
    ok(f"actors_network_retrieve_graphml {actor.slug}: {len(ids)} nodes, the JSON's")


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    print(f"client smoke run against {argv[1]}")
    try:
        smoke(argv[1].rstrip("/"))
    except SmokeFailure as exc:
        print(f"client smoke FAILED: {exc}")
        return 1
    print(f"client smoke: all {len(CHECKS)} checks good")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
