"""An analyst's typed script against the generated Python client: mypy --strict, then live.

    MYPYPATH=<dir holding conflict_data_api_client> mypy --strict --follow-imports=silent \
        .ci/clients/typed_client.py
    PYTHONPATH=<same dir> python .ci/clients/typed_client.py BASE_URL CURATOR_TOKEN

The client is generated, untouched, from openapi.yaml by openapi-python-client
(.ci/api_checks.sh; --follow-imports=silent reads its types without reporting on its own
code, as for an installed package). This is written as a user writes it from the
client's signatures: the plain `Client` for public reads, `AuthenticatedClient(token=...)`
with its default prefix for a curator, and the fields the API always sends read as they
are: no casts, no `# type: ignore`, no `isinstance(..., Unset)`. At run time a documented
error where a 200 was expected, a missing header or wrong content is a failure; each of
the three parts (events, actors, curator) runs even when another failed.
"""

import datetime
import itertools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from conflict_data_api_client import AuthenticatedClient, Client
from conflict_data_api_client.api.actors import actors_list, actors_network_retrieve
from conflict_data_api_client.api.affiliations import affiliations_list
from conflict_data_api_client.api.events import events_list, events_retrieve
from conflict_data_api_client.models import (
    Event,
    EventsListOrderingItem,
    EventsListStatus,
    Network,
    PaginatedActorListList,
    PaginatedAffiliationListList,
    PaginatedEventListList,
    StatusEnum,
)
from conflict_data_api_client.types import Response

M = TypeVar("M")
FROM, TO = datetime.date(2014, 1, 1), datetime.date(2016, 12, 31)
PASSED: list[str] = []
FAILED: list[str] = []
MARK = [0]  # len(FAILED) at the end of the last step


class CannotGoOn(Exception):
    pass


def check(condition: bool, message: str) -> bool:
    if not condition:
        FAILED.append(message)
        print(f"  FAILED  {message}")
    return condition


def ok(what: str) -> None:
    """A step done: ok unless one of its checks failed."""
    if len(FAILED) == MARK[0]:
        PASSED.append(what)
        print(f"  ok  {what}")
    else:
        print(f"  --  {what}")
    MARK[0] = len(FAILED)


def body(where: str, response: Response[Any], model: type[M]) -> M:
    """The 200's body as the model (a documented error body is not one)."""
    if response.status_code != 200:
        raise CannotGoOn(f"{where}: HTTP {response.status_code}: {response.content[:300]!r}")
    parsed = response.parsed
    if not isinstance(parsed, model):
        raise CannotGoOn(f"{where}: parsed as {type(parsed).__name__}, not {model.__name__}")
    return parsed


def header(where: str, response: Response[Any], name: str) -> str:
    value = response.headers.get(name, "")
    check(bool(value), f"{where}: no {name} header")
    return value


def events(client: Client) -> None:
    where = "events_list country=SY 2014..2016 page_size=20 ordering=[-date_start, title]"
    ordering = [EventsListOrderingItem("-date_start"), EventsListOrderingItem("title")]
    response = events_list.sync_detailed(
        client=client, country="SY", date_from=FROM, date_to=TO, page_size=20, ordering=ordering
    )
    page = body(where, response, PaginatedEventListList)
    count: int = page.count
    if not page.results:
        raise CannotGoOn(f"{where}: no events; the seed has some")
    first = page.results[0]
    title: str = first.title
    day: datetime.date | None = first.date_start
    kind: str | None = first.event_type.slug if first.event_type else None
    best: int | None = first.fatalities_best
    actors: list[str] = [p.actor.slug for p in first.participants]
    check(bool(title and day and kind and actors), f"{where}: {first.id} is bare")
    keys = [(e.date_start or datetime.date.min, e.title) for e in page.results]
    check(
        all(a[0] > b[0] or (a[0] == b[0] and a[1] <= b[1]) for a, b in itertools.pairwise(keys)),
        f"{where}: not ordered by -date_start, title: dates {[str(d) for d, _ in keys]}",
    )
    link = header(where, response, "Link")
    check(count <= 20 or 'rel="next"' in link, f"{where}: {count} events, no next in Link")
    header(where, response, "ETag")
    ok(f"{where}: {count} events; first {title!r} {day} {kind} best={best} {actors}")

    where = f"events_retrieve {first.id}"
    one = events_retrieve.sync_detailed(str(first.id), client=client)
    event = body(where, one, Event)
    cited: int = len(event.citations)
    check(event.title == title and cited > 0, f"{where}: another event, or uncited")
    etag = header(where, one, "ETag")
    again = events_retrieve.sync_detailed(str(first.id), client=client, if_none_match=etag)
    check(again.status_code == 304, f"{where}: If-None-Match {etag} gave {again.status_code}")
    ok(f"{where}: {cited} citations; If-None-Match {etag} gives a 304")


def actors(client: Client) -> None:
    where = "actors_list q=Nusra"
    found = body(where, actors_list.sync_detailed(client=client, q="Nusra"), PaginatedActorListList)
    aliases: list[str] = [n.name for a in found.results for n in a.names]
    check(found.count > 0 and len(aliases) > 0, f"{where}: no actor, or no alias")
    ok(f"{where}: {found.count} actors, aliases {aliases[:3]}")

    where = "affiliations_list page_size=100"
    listed = affiliations_list.sync_detailed(client=client, page_size=100)
    ties = body(where, listed, PaginatedAffiliationListList)
    if not ties.results:
        raise CannotGoOn(f"{where}: no ties; the seed has some")
    tie = ties.results[0]
    ok(f"{where}: {ties.count} ties; {tie.subject.slug} {tie.kind} {tie.object_.slug}")

    where = f"actors_network_retrieve {tie.subject.slug} depth=2"
    answer = actors_network_retrieve.sync_detailed(str(tie.subject.id), client=client, depth=2)
    net = body(where, answer, Network)
    check(net.centre == tie.subject.id and net.depth == 2, f"{where}: centre or depth wrong")
    check(tie.id in {e.id for e in net.edges}, f"{where}: tie {tie.id} is not an edge")
    statuses: set[StatusEnum] = {e.status for e in net.edges}
    check(statuses == {StatusEnum.PUBLISHED}, f"{where}: edge statuses {statuses}")
    header(where, answer, "ETag")
    ok(f"{where}: {len(net.nodes)} nodes, {len(net.edges)} edges")


def curator(client: AuthenticatedClient, anonymous: Client) -> None:
    where = "curator events_list status=draft"
    drafts = events_list.sync_detailed(client=client, status=EventsListStatus.DRAFT)
    ok(f"{where}: {body(where, drafts, PaginatedEventListList).count} drafts (anonymous: 400)")

    where = "curator events_list country=SY 2014..2016"
    listed = events_list.sync_detailed(client=client, country="SY", date_from=FROM, date_to=TO)
    mine = body(where, listed, PaginatedEventListList)
    public = events_list.sync_detailed(client=anonymous, country="SY", date_from=FROM, date_to=TO)
    theirs = body(where + " (anonymous)", public, PaginatedEventListList)
    check(mine.count >= theirs.count, f"{where}: {mine.count} events, anonymous {theirs.count}")
    ok(f"{where}: {mine.count} events (anonymous: {theirs.count})")


def attempt(part: Callable[..., None], *clients: Client | AuthenticatedClient) -> None:
    try:
        part(*clients)
    except Exception as exc:  # CannotGoOn, or an answer the client could not parse
        check(False, f"{type(exc).__name__}: {exc}")
        MARK[0] = len(FAILED)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    base_url, token = argv[1].rstrip("/"), argv[2]
    print(f"typed client run against {base_url}")
    timeout = httpx.Timeout(30.0)
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True, timeout=timeout)
    signed_in = AuthenticatedClient(
        base_url=base_url, token=token, raise_on_unexpected_status=True, timeout=timeout
    )
    attempt(events, anonymous)
    attempt(actors, anonymous)
    attempt(curator, signed_in, anonymous)
    if FAILED:
        print(f"typed client FAILED: {len(FAILED)} failures, {len(PASSED)} checks passed")
        return 1
    print(f"typed client: all {len(PASSED)} checks good")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
