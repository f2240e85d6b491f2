"""The streaming export: every matching event, CSV or NDJSON, complete or visibly cut."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.api.export import COLUMNS
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
    # A draft actor stays hidden from anonymous readers, as in the list.
    assert (first["actors"], first["roles"]) == ("nusra|srf", "initiator|target")


def test_ndjson_ends_with_a_trailer_counting_the_rows(events):
    response = APIClient().get(URL, {"format": "ndjson", "date_from": "2015-01-01"})
    lines = [json.loads(line) for line in body(response).splitlines()]
    assert response["X-Row-Count"] == "1"
    assert [row["title"] for row in lines[:-1]] == ["Truce"]
    assert lines[-1] == {"complete": True, "rows": 1}
    assert lines[0]["actors"] == [] and lines[0]["latitude"] is None


def test_curators_export_drafts_too(events, curator):
    api = APIClient()
    api.force_login(curator)
    response = api.get(URL, {"format": "ndjson"})
    rows = [json.loads(line) for line in body(response).splitlines()][:-1]
    assert len(rows) == 3
    assert "hidden" in next(r for r in rows if r["title"].startswith("Nusra"))["actors"]


@pytest.mark.parametrize(
    ("params", "attr"),
    [({}, "format"), ({"format": "ndjson", "date_from": "soon"}, "date_from")],
)
def test_bad_requests_are_json_400s(params, attr):
    response = APIClient().get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert [e["attr"] for e in response.json()["errors"]] == [attr]
