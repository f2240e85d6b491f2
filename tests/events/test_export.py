"""The streaming export: every matching event, CSV, NDJSON or GeoJSON, with the count
of its rows up front (X-Row-Count), so that a cut one shows."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.api.export import COLUMNS, PLACE_COLUMNS
from events.models import Place
from tests.factories import ActorFactory, EventFactory, EventParticipantFactory, PlaceFactory

pytestmark = pytest.mark.django_db
URL = reverse("events-api:event-export")


def body(response):
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def events():
    town = PlaceFactory(slug="kafr-nabl", name="Kafr Nabl", latitude="35.61", longitude="36.56")
    first = EventFactory(title='Nusra takes "Kafr Nabl",\nthen more', date="2014-11", place=town)
    EventParticipantFactory(event=first, actor=ActorFactory(slug="nusra", name="Nusra"))
    EventParticipantFactory(event=first, actor=ActorFactory(slug="srf", name="SRF"), role="target")
    EventParticipantFactory(event=first, actor=ActorFactory(slug="hidden", status="draft"))
    second = EventFactory(title="Truce", date="2016-02-27")
    EventFactory(title="Draft", status="draft")
    return first, second


def test_csv_has_every_row_with_documented_columns(events):
    response = APIClient().get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert response["X-Row-Count"] == str(len(rows)) == "2"
    assert list(rows[0]) == list(COLUMNS)
    first = rows[1]  # newest first
    assert first["title"] == 'Nusra takes "Kafr Nabl",\nthen more'
    assert (first["date_start"], first["date_end"], first["date_precision"]) == (
        "2014-11-01",
        "2014-11-30",
        "month",
    )
    assert (first["place"], first["latitude"]) == ("kafr-nabl", "35.61")
    # A draft actor stays hidden from anonymous readers, as in the list; names follow
    # the slugs' order.
    assert (first["actors"], first["actor_names"], first["roles"]) == (
        "nusra|srf",
        "Nusra|SRF",
        "initiator|target",
    )


def test_ndjson_is_a_record_a_line_and_nothing_else(events):
    """pandas.read_json(lines=True) reads every line as a row: no trailer. A client
    tells a cut export by X-Row-Count against the rows it received."""
    response = APIClient().get(URL, {"format": "ndjson"})
    lines = [json.loads(line) for line in body(response).splitlines()]
    assert response["X-Row-Count"] == str(len(lines)) == "2"
    assert all(list(line) == list(COLUMNS) for line in lines)
    truce, nusra = lines
    assert truce["title"] == "Truce"
    assert (truce["actors"], truce["actor_names"], truce["latitude"]) == (None, None, None)
    # Lists as in CSV: joined by "|".
    assert (nusra["actors"], nusra["actor_names"], nusra["roles"]) == (
        "nusra|srf",
        "Nusra|SRF",
        "initiator|target",
    )
    assert (nusra["latitude"], nusra["longitude"]) == (35.61, 36.56)


def test_geojson_is_a_feature_collection_of_every_row(events):
    response = APIClient().get(URL, {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == 'attachment; filename="events.geojson"'
    text = body(response)
    collection = json.loads(text)
    assert list(collection) == ["type", "features"]
    assert collection["type"] == "FeatureCollection"
    truce, nusra = collection["features"]  # newest first
    assert response["X-Row-Count"] == "2"
    # A Feature a line.
    assert len(text.splitlines()) == 2 + 2
    assert truce == {
        "type": "Feature",
        "id": str(events[1].pk),
        "geometry": None,
        "properties": truce["properties"],
    }
    assert nusra["geometry"] == {"type": "Point", "coordinates": [36.56, 35.61]}
    properties = nusra["properties"]
    assert list(properties) == list(COLUMNS)
    assert (properties["id"], properties["place"], properties["latitude"]) == (
        str(events[0].pk),
        "kafr-nabl",
        35.61,
    )
    assert (properties["actor_names"], properties["fatalities_best"]) == ("Nusra|SRF", None)


def test_an_empty_geojson_export_is_an_empty_collection(events):
    response = APIClient().get(URL, {"format": "geojson", "date_from": "2020-01-01"})
    assert json.loads(body(response)) == {"type": "FeatureCollection", "features": []}
    assert response["X-Row-Count"] == "0"


def test_a_hidden_place_has_no_point_in_the_geojson_export(events):
    Place.objects.filter(slug="kafr-nabl").update(status="draft")
    response = APIClient().get(URL, {"format": "geojson"})
    nusra = json.loads(body(response))["features"][1]
    assert nusra["geometry"] is None
    assert {key: nusra["properties"][key] for key in PLACE_COLUMNS} == dict.fromkeys(PLACE_COLUMNS)


def test_curators_export_drafts_too(events, curator):
    api = APIClient()
    api.force_login(curator)
    response = api.get(URL, {"format": "ndjson"})
    rows = [json.loads(line) for line in body(response).splitlines()]
    assert len(rows) == 3
    nusra = next(r for r in rows if r["title"].startswith("Nusra"))
    assert "hidden" in nusra["actors"].split("|")


@pytest.mark.parametrize(
    ("params", "attr"),
    [({}, "format"), ({"format": "ndjson", "date_from": "soon"}, "date_from")],
)
def test_bad_requests_are_json_400s(params, attr):
    response = APIClient().get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert [e["attr"] for e in response.json()["errors"]] == [attr]
