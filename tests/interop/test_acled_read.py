"""ACLED's read endpoints: rows, query conventions, envelopes, visibility."""

import csv
import datetime
import io

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actors.models import Actor
from conflictapi.models import Status
from conflictapi.publishing import publish, retract
from conflictapi.visibility import Viewer
from events.models import Event, EventIdentifier, EventParticipant
from interop import acled
from interop.models import AcledRow
from sources.models import Document, Outlet
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    OutletFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db
BASE = "/api/acled"


def get(path, client=None, **params):
    response = (client or APIClient()).get(f"{BASE}/{path}", params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def read(path="acled/read", **params):
    response, body = get(path, **params)
    assert response.status_code == 200, body
    return orjson.loads(body)


@pytest.fixture
def places():
    syria = PlaceFactory(name="Syria", slug="syria", kind="country", country="SY")
    idlib = PlaceFactory(name="Idlib", slug="idlib", kind="admin1", parent=syria, country="SY")
    town = PlaceFactory(
        name="Kafr Ruma",
        slug="kafr-ruma",
        kind="town",
        parent=idlib,
        country="SY",
        latitude="35.626",
        longitude="36.611",
    )
    return syria, idlib, town


def clash(town, date="2014-11-02", **kwargs):
    event = EventFactory(
        place=town,
        date=date,
        geo_precision=1,
        fatalities_best=12,
        summary="Heavy clashes.",
        event_type=event_type("armed-clash"),
        **kwargs,
    )
    nusra = ActorFactory(name="Jabhat al-Nusra", kind="armed_group")
    srf = ActorFactory(name="Syrian Revolutionaries Front", kind="armed_group")
    army = ActorFactory(name="Military Forces of Syria", kind="state_force")
    EventParticipantFactory(event=event, actor=nusra, role="initiator")
    EventParticipantFactory(event=event, actor=srf, role="target")
    EventParticipantFactory(event=event, actor=army, role="target")
    for name in ("The Daily Beast", "Reuters"):
        EventCitationFactory(event=event, document=DocumentFactory(outlet=OutletFactory(name=name)))
    return Event.objects.get(pk=event.pk)


def test_an_event_reads_as_an_acled_row_of_strings(places):
    event = clash(places[2])
    body = read()
    assert body["success"] is True and body["status"] == 200 and body["count"] == 1
    row = body["data"][0]
    acled_id = EventIdentifier.objects.get(event=event, scheme="acled").value
    assert row == {
        "event_id_cnty": acled_id,
        "event_date": "2014-11-02",
        "year": "2014",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Jabhat al-Nusra",
        "assoc_actor_1": "",
        "inter1": "2",
        "actor2": "Military Forces of Syria",
        "assoc_actor_2": "Syrian Revolutionaries Front",
        "inter2": "1",
        "interaction": "12",
        "civilian_targeting": "",
        "iso": "760",
        "region": "Middle East",
        "country": "Syria",
        "admin1": "Idlib",
        "admin2": "",
        "admin3": "",
        "location": "Kafr Ruma",
        "latitude": "35.626",
        "longitude": "36.611",
        "geo_precision": "1",
        "source": "Reuters; The Daily Beast",
        "source_scale": "",
        "notes": "Heavy clashes.",
        "fatalities": "12",
        "tags": "",
        "timestamp": str(int(event.updated_at.timestamp())),
    }


def test_the_row_agrees_with_the_events_v1_detail(places):
    event = clash(places[2])
    row = read()["data"][0]
    detail = APIClient().get(f"/api/v1/events/{event.pk}/").json()
    assert row["event_date"] == detail["date_start"]
    assert row["notes"] == detail["summary"]
    assert int(row["fatalities"]) == detail["fatalities_best"]
    assert row["location"] == detail["place"]["name"]
    assert float(row["latitude"]) == float(detail["latitude"])
    assert float(row["longitude"]) == float(detail["longitude"])
    assert row["sub_event_type"] == detail["event_type"]["name"]
    names = {p["actor"]["name"] for p in detail["participants"]}
    assert {row["actor1"], row["actor2"], *row["assoc_actor_2"].split("; ")} == names
    outlets = {c["document"]["outlet"]["name"] for c in detail["citations"]}
    assert set(row["source"].split("; ")) == outlets


def test_hidden_records_are_absent_from_the_row(places):
    _syria, idlib, town = places
    event = clash(town)
    army = event.participants.get(actor__name="Military Forces of Syria").actor
    type(army).objects.filter(pk=army.pk).update(status=Status.DRAFT)
    type(idlib).objects.filter(pk=idlib.pk).update(status=Status.DRAFT)
    draft = EventFactory(status=Status.DRAFT, place=town)
    row = read()["data"]
    assert len(row) == 1 and draft.pk
    row = row[0]
    assert row["actor2"] == "Syrian Revolutionaries Front" and row["assoc_actor_2"] == ""
    assert "Military" not in orjson.dumps(row).decode()
    assert row["admin1"] == "" and row["location"] == "Kafr Ruma"
    type(town).objects.filter(pk=town.pk).update(status=Status.DRAFT)
    row = read()["data"][0]
    assert row["location"] == row["country"] == "" and row["latitude"] is None


def test_filters_pages_fields_and_or(places):
    town = places[2]
    iraq = PlaceFactory(name="Iraq", slug="iraq", kind="country", country="IQ")
    for day in range(1, 8):
        clash(town, date=f"2015-03-0{day}")
    clash(iraq, date="2015-03-04")
    clash(town, date="2016-01-01")
    assert read(country="Syria")["count"] == 8
    assert read(iso="368")["count"] == 1
    assert read(country="Syria:OR:Iraq")["count"] == 9
    assert read(country="Syria:OR:country=Iraq")["count"] == 9
    # The names the API's own country filter takes are ACLED's too.
    assert read(country="Syrian Arab Republic")["count"] == 8
    assert read(country="syria")["count"] == 8
    body = read(event_date="2015-03-02|2015-03-05", event_date_where="BETWEEN")
    assert body["count"] == 5
    assert read(year="2016")["count"] == 1
    assert read(year="2015", year_where=">")["count"] == 1
    assert read(actor1="nusra")["count"] == 9
    assert read(actor2="Military", country="Iraq")["count"] == 1
    # The Front is an assoc_actor_2, not the actor2 column.
    assert read(actor2="Revolutionaries")["count"] == 0
    assert read(assoc_actor_2="Revolutionaries", country="Iraq")["count"] == 1
    assert read(assoc_actor_1="nusra")["count"] == 0
    assert read(event_type="Battles")["count"] == 9
    assert read(event_type="Protests")["count"] == 0
    pages = [read(country="Syria", limit="3", page=str(p))["data"] for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [3, 3, 2, 0]
    dates = [r["event_date"] for p in pages for r in p]
    assert dates == sorted(dates, reverse=True)
    body = read(fields="event_id_cnty|event_date", limit="2", with_total="true")
    assert body["total_count"] == 9 and set(body["data"][0]) == {"event_id_cnty", "event_date"}
    assert read(limit="0")["count"] == 9


def test_timestamp_gives_what_changed_since(places):
    old = clash(places[2])
    Event.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    new = clash(places[2])
    body = read(timestamp=str(int(new.updated_at.timestamp())))
    assert [r["event_id_cnty"] for r in body["data"]] == [
        EventIdentifier.objects.get(event=new, scheme="acled").value
    ]


def test_csv(places):
    clash(places[2])
    response, body = get("acled/read", _format="csv", fields="event_date|actor1|fatalities")
    assert response["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [
        ["event_date", "actor1", "fatalities"],
        ["2014-11-02", "Jabhat al-Nusra", "12"],
    ]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"event_date": "yesterday"}, "event_date"),
        ({"event_date": "2015-01-01", "event_date_where": "BETWEEN"}, "event_date"),
        ({"event_date_where": "NEAR", "event_date": "2015-01-01"}, "event_date_where"),
        ({"country": "Atlantis"}, "country"),
        ({"limit": "many"}, "limit"),
        ({"page": "0"}, "page"),
        ({"fields": "event_date|nonsense"}, "fields"),
        ({"colour": "red"}, "colour"),
        ({"inter1": "rebels"}, "inter1"),
        ({"interaction": "12", "interaction_where": "LIKE"}, "interaction_where"),
        ({"_format": "xml"}, "_format"),
    ],
)
def test_invalid_parameters_are_acled_errors_naming_them(params, named):
    response, body = get("acled/read", **params)
    assert response.status_code == 400
    body = orjson.loads(body)
    assert body["status"] == 400 and body["success"] is False
    assert body["error"][0]["message"].startswith(f"{named}:")


def test_legacy_key_and_email_are_accepted_and_ignored(places):
    clash(places[2])
    assert read(key="secret", email="someone@example.org")["count"] == 1


def test_deleted_read_lists_retractions_since_a_time(places):
    kept = clash(places[2])
    gone = clash(places[2])
    Event.objects.filter(pk=gone.pk).update(status=Status.RETRACTED, retraction_reason="dup")
    gone.refresh_from_db()
    body = read("deleted/read")
    gone_id = EventIdentifier.objects.get(event=gone, scheme="acled").value
    assert body["data"] == [
        {"event_id_cnty": gone_id, "deleted_timestamp": str(int(gone.updated_at.timestamp()))}
    ]
    later = str(int(gone.updated_at.timestamp()) + 1)
    assert read("deleted/read", deleted_timestamp=later)["count"] == 0
    # acled/read no longer serves it.
    assert [r["event_id_cnty"] for r in read()["data"]] == [
        EventIdentifier.objects.get(event=kept, scheme="acled").value
    ]


def test_actor_actortype_country_and_region_reads(places):
    clash(places[2], date="2014-11-02")
    clash(places[2], date="2015-02-01")
    actors = {r["actor_name"]: r for r in read("actor/read")["data"]}
    assert actors["Jabhat al-Nusra"]["event_count"] == "2"
    assert actors["Jabhat al-Nusra"]["first_event_date"] == "2014-11-02"
    assert actors["Jabhat al-Nusra"]["last_event_date"] == "2015-02-01"
    assert read("actor/read", actor_name="Nusra")["count"] == 1
    types = {r["actor_type_id"]: r for r in read("actortype/read")["data"]}
    assert types["1"]["actor_type_name"] == "State forces" and types["2"]["event_count"] == "2"
    assert read("country/read")["data"] == [
        {
            "country": "Syria",
            "iso": "760",
            "iso3": "SYR",
            "first_event_date": "2014-11-02",
            "last_event_date": "2015-02-01",
            "event_count": "2",
        }
    ]
    assert read("region/read")["data"][0]["region_name"] == "Middle East"


def test_query_count_does_not_grow_with_rows(places):
    def count(n):
        for _ in range(n):
            clash(places[2])
        with CaptureQueriesContext(connection) as queries:
            body = read()
        return len(queries), body["count"]

    small, _ = count(2)
    large, rows_large = count(20)
    assert rows_large == 22 and large == small


def test_query_count_with_the_derived_filters_does_not_grow_with_rows(places):
    filters = {
        "inter1": "2",
        "inter2": "1",
        "interaction": "12",
        "time_precision": "1",
        "latitude": "35|36",
        "latitude_where": "BETWEEN",
        "longitude": "36",
        "longitude_where": ">",
        "actor1": "nusra",
        "actor2": "Military",
        "assoc_actor_2": "Revolutionaries",
    }

    def count(n):
        for _ in range(n):
            clash(places[2])
        with CaptureQueriesContext(connection) as queries:
            body = read(**filters)
        return len(queries), body["count"]

    small, rows_small = count(2)
    large, rows_large = count(20)
    assert (rows_small, rows_large) == (2, 22) and large == small


def test_a_changed_actor_type_moves_the_rows_timestamp(places):
    event = clash(places[2])
    Event.objects.filter(pk=event.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    since = str(int(datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC).timestamp()))
    assert read(timestamp=since)["count"] == 0
    nusra = event.participants.get(role="initiator").actor
    nusra.acled_actor_type = 3
    nusra.save()
    row = read(timestamp=since)["data"][0]
    assert row["inter1"] == "3" and row["interaction"] == "13"


def test_latitude_and_longitude_filter_the_shown_coordinates(places):
    syria, _idlib, town = places
    north = PlaceFactory(
        name="Azaz",
        slug="azaz",
        kind="town",
        parent=syria,
        country="SY",
        latitude="36.586",
        longitude="37.046",
    )
    clash(town)
    clash(north)
    clash(syria)  # no coordinates: null in the row, matched by no number
    assert read(latitude="35.626")["count"] == 1
    assert read(latitude="36", latitude_where=">")["data"][0]["location"] == "Azaz"
    assert read(latitude="33|37", latitude_where="BETWEEN")["count"] == 2
    assert read(longitude="37", longitude_where="<=")["data"][0]["location"] == "Kafr Ruma"
    assert read(longitude="36.611:OR:longitude=37.046")["count"] == 2
    assert read(latitude="35|36", latitude_where="BETWEEN", longitude="36.611")["count"] == 1
    # A hidden place's coordinates are null in the row: the filter does not match them.
    type(north).objects.filter(pk=north.pk).update(status=Status.DRAFT)
    body = read(latitude="33|37", latitude_where="BETWEEN")
    assert [r["location"] for r in body["data"]] == ["Kafr Ruma"]
    assert all(r["latitude"] is not None for r in body["data"])


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"latitude": "north"}, "latitude"),
        ({"latitude": "NaN"}, "latitude"),
        ({"longitude": "1", "longitude_where": "LIKE"}, "longitude_where"),
        ({"longitude": "1", "longitude_where": "BETWEEN"}, "longitude"),
    ],
)
def test_invalid_coordinates_are_errors_naming_them(params, named):
    test_invalid_parameters_are_acled_errors_naming_them(params, named)


COMPARISONS = [
    ("=", lambda a, b: a == b),
    (">", lambda a, b: a > b),
    ("<", lambda a, b: a < b),
    (">=", lambda a, b: a >= b),
    ("<=", lambda a, b: a <= b),
]


def assert_filter_agrees_with_rows(field, values, rows, client=None, **extra):
    """For each value and operator, the rows `field=value` returns are exactly those
    whose row's `field` compares so (a row's empty value matches nothing)."""
    ids = {r["event_id_cnty"] for r in rows}
    for value in values:
        for op, holds in COMPARISONS:
            params = {field: str(value), f"{field}_where": op, "limit": "0", **extra}
            response, body = get("acled/read", client=client, **params)
            assert response.status_code == 200, body
            got = {r["event_id_cnty"] for r in orjson.loads(body)["data"]}
            want = {r["event_id_cnty"] for r in rows if r[field] and holds(int(r[field]), value)}
            assert got == want and got <= ids, (field, op, value)
    low, high = values[0], values[-1]
    params = {field: f"{low}|{high}", f"{field}_where": "BETWEEN", "limit": "0", **extra}
    response, body = get("acled/read", client=client, **params)
    got = {r["event_id_cnty"] for r in orjson.loads(body)["data"]}
    assert got == {r["event_id_cnty"] for r in rows if r[field] and low <= int(r[field]) <= high}


def test_time_precision_filter_agrees_with_the_rows(places):
    dates = [
        "2014-11-02",  # a day: 1
        "2014-11-02~",  # an approximate day
        "2014-11-02/2014-11-02",  # a one-day range
        "2014-11-01/2014-11-05",  # within a week: 2
        "2014-11-01/2014-11-07",  # 7 days: 2
        "2014-11-01/2014-11-08",  # 8 days: 3
        "2014-02",  # a month (28 days): 3
        "2014",  # a year: 3
        "2014-11-02?",  # an uncertain day
        "2014-12-31/2015-01-06",  # across a year: 2
    ]
    for date in dates:
        EventFactory(place=places[2], date=date)
    rows = read(limit="0")["data"]
    assert len(rows) == len(dates)
    assert {r["time_precision"] for r in rows} >= {"1", "2", "3"}
    assert_filter_agrees_with_rows("time_precision", [1, 2, 3], rows)
    assert read(time_precision="2")["count"] == 3


def actors_event(town, date, *participants):
    """An event with participants (role, name, kind, acled_actor_type, status)."""
    event = EventFactory(place=town, date=date)
    for role, name, kind, acled_type, status in participants:
        actor = ActorFactory(name=name, kind=kind, acled_actor_type=acled_type, status=status)
        EventParticipantFactory(event=event, actor=actor, role=role)
    return event


P, D = Status.PUBLISHED, Status.DRAFT


@pytest.fixture
def sides_events(places):
    town = places[2]
    clash(town, date="2014-11-01")  # initiator 2; targets 2 and 1 (by name): 12
    events = [
        # Only parties: the first by name is actor1, the other actor2: 17.
        [("party", "Zeta", "state", None, P), ("party", "Alpha", "other", 7, P)],
        # Three parties: 28, the third an assoc_actor_2.
        [
            ("party", "Bravo", "armed_group", None, P),
            ("party", "Charlie", "political_organisation", None, P),
            ("party", "Able", "person", None, P),
        ],
        # A speaker alone: 70.
        [("speaker", "Radio", "media", None, P)],
        # Nobody: empty columns.
        [],
        # A hidden initiator: for anonymous the party is actor1 (26); for a curator 12.
        [
            ("initiator", "Secret", "state_force", None, D),
            ("target", "Target", "armed_group", None, P),
            ("party", "Onlooker", "other", 6, P),
        ],
        # A target alone: inter2 only, no interaction.
        [("target", "Lonely", "state", None, P)],
        # An initiator and a party: the party is on side 2: 35.
        [("initiator", "Init", "other", 3, P), ("party", "Pal", "other", 5, P)],
        # Names ordered by code point ("B" before "a"), whatever the collation: 45.
        [("party", "apple", "other", 4, P), ("party", "Banana", "other", 5, P)],
        # A speaker, a subject and an initiator: the initiator (last by name) is actor1: 36.
        [
            ("speaker", "Aardvark", "state", None, P),
            ("subject", "Sub", "other", 6, P),
            ("initiator", "Zulu", "other", 3, P),
        ],
        # A hidden party and a visible one: one side only: 40 (anonymous).
        [("party", "Hidden", "other", 2, D), ("party", "Seen", "other", 4, P)],
        # Same type both sides: 22.
        [("initiator", "R1", "armed_group", None, P), ("target", "R2", "coalition", None, P)],
    ]
    for day, participants in enumerate(events, start=2):
        actors_event(town, f"2014-11-{day:02}", *participants)
    return len(events) + 1


def test_inter_columns_of_the_rows(sides_events):
    rows = {r["event_date"]: r for r in read(limit="0")["data"]}
    got = {d[-2:]: (r["inter1"], r["inter2"], r["interaction"]) for d, r in rows.items()}
    assert got == {
        "01": ("2", "1", "12"),
        "02": ("7", "1", "17"),
        "03": ("8", "2", "28"),
        "04": ("7", "", "70"),
        "05": ("", "", ""),
        "06": ("6", "2", "26"),
        "07": ("", "1", ""),
        "08": ("3", "5", "35"),
        "09": ("5", "4", "45"),
        "10": ("3", "6", "36"),
        "11": ("4", "", "40"),
        "12": ("2", "2", "22"),
    }
    assert rows["2014-11-09"]["actor1"] == "Banana"
    assert rows["2014-11-10"]["actor1"] == "Zulu"


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_inter_filters_agree_with_the_rows(sides_events, who, request):
    client = APIClient()
    if who == "curator":
        client.force_authenticate(request.getfixturevalue("curator"))
    response, body = get("acled/read", client=client, limit="0")
    assert response.status_code == 200, body
    rows = orjson.loads(body)["data"]
    assert len(rows) == sides_events
    assert_filter_agrees_with_rows("inter1", list(range(1, 9)), rows, client)
    assert_filter_agrees_with_rows("inter2", list(range(1, 9)), rows, client)
    codes = sorted({int(r["interaction"]) for r in rows if r["interaction"]})
    assert_filter_agrees_with_rows("interaction", [10, *codes, 88], rows, client)
    if who == "curator":
        assert next(r for r in rows if r["event_date"] == "2014-11-06")["interaction"] == "12"


def names_of(row, field):
    return [n for n in row[field].split("; ") if n] if field.startswith("assoc") else [row[field]]


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_actor_filters_match_their_own_column(sides_events, who, request):
    client = APIClient()
    if who == "curator":
        client.force_authenticate(request.getfixturevalue("curator"))
    response, body = get("acled/read", client=client, limit="0")
    assert response.status_code == 200, body
    rows = orjson.loads(body)["data"]
    names = {n for r in rows for f in ("actor1", "actor2") for n in [r[f]] if n}
    names |= {n for r in rows for f in ("assoc_actor_1", "assoc_actor_2") for n in names_of(r, f)}
    assert any(r["assoc_actor_1"] for r in rows) and any(r["assoc_actor_2"] for r in rows)
    terms = [*sorted(names), "Secret", "Hidden", "a", "r", "ar", "nobody"]
    for field in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"):
        for op in ("LIKE", "="):
            for term in terms:
                params = {field: term, f"{field}_where": op, "limit": "0"}
                response, body = get("acled/read", client=client, **params)
                assert response.status_code == 200, body
                got = {r["event_id_cnty"] for r in orjson.loads(body)["data"]}
                want = {
                    r["event_id_cnty"]
                    for r in rows
                    if any(
                        term.casefold() in n.casefold()
                        if op == "LIKE"
                        else term.casefold() == n.casefold()
                        for n in names_of(r, field)
                        if n
                    )
                }
                assert got == want, (field, op, term)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database writes rows on PG")
@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_the_databases_rows_are_row_ofs_rows(sides_events, places, who, request):
    """On PostgreSQL acled/read's rows are written by the database (pg_row_sql); they
    are the rows row_of derives in Python (SQLite's path), field for field, over events
    with every arrangement of sides, hidden and shown places at several levels, types,
    coordinates, sources and no date."""
    syria, idlib, _town = places
    hidden_district = PlaceFactory(
        name="Ariha", kind="admin2", parent=idlib, country="SY", status=Status.DRAFT
    )
    subdistrict = PlaceFactory(name="Mhambal", kind="admin3", parent=hidden_district, country="SY")
    village = PlaceFactory(
        name="Bsanqul",
        kind="village",
        parent=subdistrict,
        country="SY",
        latitude="35.8",
        longitude="-0.50",
    )
    hidden_village = PlaceFactory(
        name="Secret", kind="village", parent=idlib, country="SY", status=Status.DRAFT
    )
    EventFactory(place=village, date="2015-03", geo_precision=2, acled_source="A; B")
    EventFactory(place=hidden_village, date="2015/2016", tags="crowd size=no report")
    EventFactory(place=syria, date="2015-05-01/2015-05-04", civilian_targeting="Civilian targeting")
    EventFactory(place=None, date="../2015-07-01", fatalities_best=None)
    clash(idlib, date="2015-06-01")

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue("curator")
    viewer = Viewer(user)
    types = acled.event_types(viewer)
    events = acled.visible_events(viewer)
    full_places = viewer.full(acled.Place)

    def show(status):
        return full_places or status == Status.PUBLISHED

    python = [acled.row_of(v, types, show) for v in acled.acled_rows(events, viewer, "postgresql")]
    rows_sql, rows_params = acled.acled_rows(
        events, viewer, "postgresql", sides_in_sql=True
    ).query.sql_with_params()
    sql, params = acled.pg_row_sql(rows_sql, acled.FIELDS, types, full_places)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*rows_params, *params))
        database = [dict(zip(acled.FIELDS, row, strict=True)) for row in cursor.fetchall()]
    assert len(python) == Event.objects.count() > 15
    assert database == python


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_a_client_syncing_by_timestamp_and_deletions_ends_with_exactly_our_rows(
    places, who, request
):
    """The sync ACLED's clients do: every row once, then the rows changed since the
    newest timestamp seen (acled/read, timestamp>=) and the events deleted since then
    (deleted/read). After edits, a publication, retractions (of a published event and
    of a draft), an actor's and a place's rename (rows that change through records they
    show), the client's copy is what a full read gives, for each persona."""
    client = APIClient()
    if who == "curator":
        client.force_authenticate(request.getfixturevalue("curator"))

    def rows(path="acled/read", **params):
        response, body = get(path, client, limit="0", **params)
        assert response.status_code == 200, body
        return orjson.loads(body)["data"]

    syria, idlib, town = places
    kept = clash(town, date="2015-01-01")
    edited = clash(town, date="2015-01-02")
    doomed = clash(town, date="2015-01-03")
    waiting = clash(town, date="2015-01-04", status=Status.DRAFT)
    abandoned = clash(town, date="2015-01-05", status=Status.DRAFT)

    copy = {r["event_id_cnty"]: r for r in rows()}
    assert len(copy) == (3 if who == "anonymous" else 5)
    since = max(int(r["timestamp"]) for r in copy.values())

    edited.summary = "Heavier clashes than first reported."
    edited.save()
    retract(Event.objects.get(pk=doomed.pk), reason="A duplicate.")
    publish(Event.objects.get(pk=waiting.pk), with_dependencies=True)
    retract(Event.objects.get(pk=abandoned.pk), reason="Not an event.")
    army = kept.participants.get(role="target", actor__name="Military Forces of Syria").actor
    army.name = "Syrian Arab Army"
    army.save()
    idlib.name = "Idleb"
    idlib.save()

    for row in rows("deleted/read", deleted_timestamp=str(since)):
        copy.pop(row["event_id_cnty"], None)
    for row in rows(timestamp=str(since)):
        copy[row["event_id_cnty"]] = row

    assert copy == {r["event_id_cnty"]: r for r in rows()}
    assert len(copy) == 3  # kept, edited and the one published
    assert {r["admin1"] for r in copy.values()} == {"Idleb"}
    kept_id = EventIdentifier.objects.get(event=kept, scheme="acled").value
    assert copy[kept_id]["actor2"] == "Syrian Arab Army"  # first by name now
    assert syria.name == "Syria"


def test_monadic_rows_are_one_a_side_paged_as_rows(sides_events):
    """export_type=monadic: a row for each side of an event, its actor in actor1 (side
    2's actor2, assoc_actor_2 and inter2 moved there), an actorless event one row; the
    columns lose actor2, assoc_actor_2 and inter2; limit and page count these rows."""
    dyadic = read(limit="0")["data"]
    expected = []
    for row in dyadic:
        if row["actor1"] or not row["actor2"]:
            expected.append((row["event_id_cnty"], row["actor1"], row["assoc_actor_1"]))
        if row["actor2"]:
            expected.append((row["event_id_cnty"], row["actor2"], row["assoc_actor_2"]))
    body = read(export_type="monadic", limit="0", with_total="true")
    rows = body["data"]
    assert [(r["event_id_cnty"], r["actor1"], r["assoc_actor_1"]) for r in rows] == expected
    assert body["count"] == body["total_count"] == len(expected) > len(dyadic)
    assert all(tuple(r) == acled.MONADIC_FIELDS for r in rows)
    by_event = {r["event_id_cnty"]: r for r in dyadic}
    for row in rows:
        source = by_event[row["event_id_cnty"]]
        inter = source["inter1"] if row["actor1"] == source["actor1"] else source["inter2"]
        assert row["inter1"] == inter and row["interaction"] == source["interaction"]

    pages = [read(export_type="monadic", limit="5", page=str(k))["data"] for k in (1, 2, 3, 4, 5)]
    assert [len(p) for p in pages] == [5, 5, 5, 5, len(expected) - 20]
    assert [r for page in pages for r in page] == rows

    response, body = get("acled/read", export_type="monadic", _format="csv", limit="3")
    assert next(csv.reader(io.StringIO(body.decode()))) == list(acled.MONADIC_FIELDS)
    response, body = get("acled/read", export_type="monadic", fields="actor2")
    assert response.status_code == 400 and b"actor2" in body
    response, body = get("acled/read", export_type="triadic")
    assert response.status_code == 400 and b"export_type" in body


# -- stored rows (interop.models.AcledRow, PostgreSQL) ---------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="rows are stored on PostgreSQL only"
)


def all_rows(client=None, **params):
    response, body = get("acled/read", client=client, limit="0", **params)
    assert response.status_code == 200, body
    return orjson.loads(body)["data"]


def refresh(*args):
    out = io.StringIO()
    call_command("refresh_acled_rows", *args, stdout=out)
    return out.getvalue()


@on_postgresql
def test_stored_rows_serve_what_derived_rows_do(sides_events, places, curator):
    """With every published event's row stored, anonymous readers get the rows they got
    without (every arrangement of sides, hidden actors, sources); a curator, who sees
    drafts, is never served the anonymous rows."""
    anonymous, as_curator = all_rows(), all_rows(curator_client(curator))
    monadic = all_rows(export_type="monadic")
    assert "written" in refresh()
    stored = AcledRow.objects.count()
    assert stored == Event.objects.filter(status=Status.PUBLISHED).count() >= sides_events
    assert all_rows() == anonymous
    assert all_rows(export_type="monadic") == monadic
    assert all_rows(curator_client(curator)) == as_curator
    # The stored row is what is read while it is current: a row the database changed
    # behind the model's back (never done but here) shows, so the rows above came from
    # storage, not from deriving again.
    clash_row = AcledRow.objects.get(event__date_start=datetime.date(2014, 11, 1))
    AcledRow.objects.filter(pk=clash_row.pk).update(actor1="Stored")
    assert {r["actor1"] for r in all_rows()} >= {"Stored"}
    assert "Stored" not in {r["actor1"] for r in all_rows(curator_client(curator))}


def curator_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@on_postgresql
@pytest.mark.parametrize(
    "change",
    [
        "rename_actor_by_update",
        "rename_actor_by_save",
        "unpublish_actor_by_update",
        "add_participant",
        "remove_participant",
        "change_role",
        "retract_document_by_update",
        "rename_outlet_by_update",
        "replace_identifier",
        "event_version_moves",
    ],
)
def test_a_stored_row_is_never_served_once_what_it_shows_changed(places, change):
    """However a change is written (a model's save, a queryset's update(), a row added
    or removed), the next read shows it: the database forgets the stored row, or the
    event's version no longer matches it."""
    event = clash(places[2])
    refresh()
    assert AcledRow.objects.filter(event=event).exists()
    nusra = event.participants.get(role="initiator").actor
    citation = event.citations.select_related("document__outlet").first()
    if change == "rename_actor_by_update":
        Actor.objects.filter(pk=nusra.pk).update(name="Hay'at Tahrir al-Sham")
        want = ("actor1", "Hay'at Tahrir al-Sham")
    elif change == "rename_actor_by_save":
        nusra.name = "Jabhat Fath al-Sham"
        nusra.save()
        want = ("actor1", "Jabhat Fath al-Sham")
    elif change == "unpublish_actor_by_update":
        Actor.objects.filter(pk=nusra.pk).update(status=Status.DRAFT)
        want = ("actor1", "")  # hidden; side 1 had no one else
    elif change == "add_participant":
        EventParticipant.objects.create(
            event=event, actor=ActorFactory(name="Aaa Brigade"), role="initiator"
        )
        want = ("actor1", "Aaa Brigade")
    elif change == "remove_participant":
        EventParticipant.objects.filter(event=event, actor=nusra).delete()
        want = ("actor1", "")
    elif change == "change_role":
        EventParticipant.objects.filter(event=event, role="target").update(role="supporter")
        want = ("actor2", "")
    elif change == "retract_document_by_update":
        Document.objects.filter(eventcitations__event=event).update(status=Status.DRAFT)
        want = ("source", "")
    elif change == "rename_outlet_by_update":
        Outlet.objects.filter(pk=citation.document.outlet_id).update(name="AAA Wire")
        want = ("source", "AAA Wire; ")
    elif change == "replace_identifier":
        EventIdentifier.objects.filter(event=event, scheme="acled").update(value="SYR99")
        want = ("event_id_cnty", "SYR99")
    else:  # the stored row says otherwise, but it was derived from an older version
        AcledRow.objects.filter(event=event).update(actor1="Stale")
        Event.objects.filter(pk=event.pk).update(version=F("version") + 1)
        want = ("actor1", "Jabhat al-Nusra")
    (row,) = all_rows()
    field, value = want
    assert row[field].startswith(value) if value.endswith("; ") else row[field] == value
    if change != "event_version_moves":
        # Forgotten by the database itself, not only outdated.
        assert not AcledRow.objects.filter(event=event).exists()
    refresh()
    (again,) = all_rows()
    assert again == row


@on_postgresql
def test_a_saved_event_stores_its_row_when_the_transaction_commits(
    places, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = clash(places[2])
    row = AcledRow.objects.get(event=event)
    assert (row.version, row.actor1) == (event.version, "Jabhat al-Nusra")
    assert row.outlets == "Reuters; The Daily Beast"
    with django_capture_on_commit_callbacks(execute=True):
        actor = Actor.objects.get(name="Jabhat al-Nusra")
        actor.name = "Jabhat Fath al-Sham"
        actor.save()
    row = AcledRow.objects.get(event=event)
    event.refresh_from_db()
    assert (row.version, row.actor1) == (event.version, "Jabhat Fath al-Sham")


@on_postgresql
def test_refresh_drops_the_rows_of_events_no_longer_published(places):
    event = clash(places[2])
    refresh()
    Event.objects.filter(pk=event.pk).update(status=Status.DRAFT)
    assert "0 written, 1 dropped" in refresh()
    assert not AcledRow.objects.exists()


def test_refresh_refuses_a_batch_size_below_one():
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("refresh_acled_rows", "--batch-size", "0", stdout=io.StringIO())
