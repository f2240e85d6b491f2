"""One record, one rendering: the same query through JSON, the list's CSV and GeoJSON,
and the export (CSV, NDJSON and GeoJSON) gives the same values, for an anonymous client
and for a curator (who also sees drafts). The flat formats follow one convention (lines
end in "\\n"; 35.61, not 35.610000; timestamps in UTC ending in Z; lists joined by "|"),
and the typed ones (NDJSON, GeoJSON properties) carry the same columns with the same
text, typed: integers and coordinates as numbers, nothing as null."""

import csv
import datetime
import io
import json

import orjson
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conflictapi.api.renderers import flat_text, pluck, pluck_value
from events.api.export import FLAT_COLUMNS
from tests.factories import (
    ActorFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

EVENTS = reverse("events-api:event-list")
EXPORT = reverse("events-api:event-export")


@pytest.fixture
def events():
    country = PlaceFactory(kind="country", latitude="35.000000", longitude="38.000000")
    town = PlaceFactory(parent=country, latitude="35.650000", longitude="36.700001")
    hidden_town = PlaceFactory(status="draft", latitude="36.1", longitude="37.2")
    nusra, fsa = ActorFactory(name="Jabhat al-Nusra"), ActorFactory(name="FSA")
    draft_actor = ActorFactory(status="draft", name="Unnamed brigade")
    clash = EventFactory(
        place=town,
        title='Nusra takes "Kafr Nabl",\nthen more — جبهة النصرة',
        date="2014-11~",
        geo_precision=2,
        fatalities_low=3,
        fatalities_best=4,
        fatalities_high=10,
    )
    EventParticipantFactory(event=clash, actor=nusra, role="initiator")
    EventParticipantFactory(event=clash, actor=fsa, role="target")
    EventParticipantFactory(event=clash, actor=draft_actor, role="party")
    imported = EventFactory.build(place=country, date="2015-02-27", event_type=event_type())
    imported.save(identifiers={"acled": "SYR1234"})  # ACLED's id, kept
    EventFactory(place=hidden_town, date="2016")
    EventFactory(date="2014-11-01/2014-11-03")  # no place, no participants
    EventFactory(status="draft", date="2014-12")
    EventFactory(status="retracted", retraction_reason="duplicate", date="2014-10")


def client(request, persona):
    api = APIClient()
    if persona != "anonymous":
        api.force_authenticate(request.getfixturevalue(persona))
    return api


COLUMNS = [name for name, _path in FLAT_COLUMNS]
UPDATED_AT = COLUMNS.index("updated_at")
NUMBERS = {
    "latitude": float,
    "longitude": float,
    "geo_precision": int,
    "fatalities_low": int,
    "fatalities_best": int,
    "fatalities_high": int,
}


def assert_typed(record):
    """Typed flat columns: numbers as numbers, the rest as text, nothing as null."""
    for name, value in record.items():
        if value is not None:
            assert type(value) is NUMBERS.get(name, str), (name, value)
            assert value != "", name


def same_instant(values):
    """A flat row with its timestamp as an instant: JSON leaves out a zero fraction of
    a second (…:00Z), the flat formats always write it (…:00.000000Z)."""
    values = list(values)
    if values[UPDATED_AT]:
        values[UPDATED_AT] = datetime.datetime.fromisoformat(values[UPDATED_AT])
    return values


def text_of(response):
    assert response.status_code == 200, response.content
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "curator"])
@pytest.mark.parametrize("params", [{}, {"role": "initiator"}, {"status": "retracted"}])
def test_every_format_gives_the_same_values(request, events, persona, params):
    api = client(request, persona)
    page = {"page_size": 1000, **params}

    results = json.loads(text_of(api.get(EVENTS, page)))["results"]
    assert results, "the query must return rows for the comparison to mean anything"

    # The list's CSV is the JSON, flattened by the one declaration of the columns.
    list_csv = text_of(api.get(EVENTS, {**page, "format": "csv"}))
    header, *rows = list(csv.reader(io.StringIO(list_csv)))
    assert header == [name for name, _path in FLAT_COLUMNS]
    assert [same_instant(r) for r in rows] == [
        same_instant([flat_text(pluck(row, path)) for _n, path in FLAT_COLUMNS]) for row in results
    ]

    # The export's CSV is the list's CSV, byte for byte; its NDJSON the same values.
    export_csv = text_of(api.get(EXPORT, {**params, "format": "csv"}))
    assert export_csv == list_csv
    assert "\r" not in export_csv

    # NDJSON: a record a line, and nothing else; the CSV's values, typed.
    response = api.get(EXPORT, {**params, "format": "ndjson"})
    records = [orjson.loads(line) for line in text_of(response).splitlines()]
    assert response["X-Row-Count"] == str(len(records)) == str(len(results))
    assert [list(r) for r in records] == [COLUMNS] * len(records)
    assert [[flat_text(v) for v in r.values()] for r in records] == rows
    for record, row in zip(records, results, strict=True):
        assert_typed(record)
        # ACLED's id of the event (none in a tombstone), the key its own rows carry.
        acled = [i["value"] for i in row.get("identifiers", []) if i["scheme"] == "acled"]
        assert record["acled_id"] == (acled[0] if acled else None)
        assert (record["acled_id"] is None) == (
            row["status"] == "retracted" and persona != "curator"
        )
        participants = row.get("participants", [])
        assert (record["actors"], record["actor_names"], record["roles"]) == (
            "|".join(p["actor"]["slug"] for p in participants) or None,
            "|".join(p["actor"]["name"] for p in participants) or None,
            "|".join(p["role"] for p in participants) or None,
        )

    if not params:
        assert "SYR1234" in {r["acled_id"] for r in records}

    # GeoJSON, the list's page and the export: a Feature a row, its properties the
    # NDJSON's record, its point from the JSON's coordinates; the page's count and
    # links ride along.
    collection = json.loads(text_of(api.get(EVENTS, {**page, "format": "geojson"})))
    assert (collection["count"], collection["next"]) == (len(results), None)
    assert [f["properties"] for f in collection["features"]] == records
    for feature, row in zip(collection["features"], results, strict=True):
        assert (feature["type"], feature["id"]) == ("Feature", row["id"])
        if row.get("latitude") is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"] == {
                "type": "Point",
                "coordinates": [row["longitude"], row["latitude"]],
            }
    response = api.get(EXPORT, {**params, "format": "geojson"})
    exported = json.loads(text_of(response))
    assert response["X-Row-Count"] == str(len(results))
    assert exported == {"type": "FeatureCollection", "features": collection["features"]}


def test_the_flat_convention():
    assert flat_text(35.61) == "35.61"
    assert flat_text(36.0) == "36"
    assert flat_text(["a", "", None, "b"]) == "a|b"
    assert flat_text(True) == "true"
    assert flat_text(None) == ""


def test_a_column_may_pick_a_list_item_by_key():
    row = {"identifiers": [{"scheme": "acled", "value": "SYR1"}, {"scheme": "ucdp", "value": "7"}]}
    assert pluck_value(row, "identifiers[scheme=ucdp].value") == "7"
    assert pluck_value(row, "identifiers[scheme=gtd].value") is None
    assert pluck_value({"id": "x"}, "identifiers[scheme=acled].value") is None
