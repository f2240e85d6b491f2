"""CSV on every list, GeoJSON on events and places, and pagination."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conflictapi.api.renderers import flat_text
from sources.models import Outlet
from tests.api.helpers_personas import (
    error_attrs,
    errors,
    fresh_throttle_counts,  # noqa: F401
    list_url,
    make,
)
from tests.factories import (
    ActorFactory,
    ActorIdentifierFactory,
    ActorNameFactory,
    AffiliationFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db

# The documented columns of each list's CSV, in order.
CSV_COLUMNS = {
    "outlet": "id slug name kind country homepage reliability status updated_at",
    "document": "id title outlet outlet_name authors published_on source_url language status "
    "updated_at",
    "actor": "id slug name kind country founded dissolved aliases identifiers status updated_at",
    "affiliation": "id subject subject_name kind object object_name role start_date end_date "
    "status updated_at subject_id object_id",
    "event": "id title event_type date date_start date_end date_precision place place_name "
    "country latitude longitude geo_precision fatalities_low fatalities_best fatalities_high "
    "actors actor_names roles status updated_at acled_id",
    "eventtype": "id slug name parent acled_equivalent is_acled status",
    "place": "id slug name kind parent country latitude longitude alternate_names geonames_id "
    "status updated_at",
}


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def get(url, **params):
    return APIClient().get(url, params)


# CSV


@pytest.mark.parametrize("resource", sorted(CSV_COLUMNS))
def test_csv_on_every_list(resource):
    records = [make(resource) for _ in range(3)]
    make(resource, status="draft")  # not for anonymous readers
    params = {"format": "csv", "page_size": 1000}
    expected = {str(r.pk) for r in records}
    if resource == "eventtype":  # the seeded vocabulary is listed too
        expected |= {row["id"] for row in get(list_url(resource), page_size=1000).json()["results"]}

    rows = read_csv(get(list_url(resource), **params))

    assert rows[0] == CSV_COLUMNS[resource].split()
    assert all(len(row) == len(rows[0]) for row in rows)
    assert {row[0] for row in rows[1:]} == expected
    assert len(rows) - 1 == len(expected)
    # The same records in the same order as the JSON list.
    listed = get(list_url(resource), page_size=1000).json()["results"]
    assert [row[0] for row in rows[1:]] == [row["id"] for row in listed]


@pytest.mark.parametrize("name", ["actors-api:actor-affiliations", "events-api:actor-events"])
def test_csv_on_the_actor_sublists(name):
    actor = ActorFactory()
    AffiliationFactory(subject=actor)
    AffiliationFactory()  # someone else's
    EventParticipantFactory(actor=actor)
    EventParticipantFactory()  # someone else's

    rows = read_csv(get(reverse(name, kwargs={"actor_ref": actor.slug}), format="csv"))

    resource = "affiliation" if "affiliations" in name else "event"
    assert rows[0] == CSV_COLUMNS[resource].split()
    assert len(rows) == 2


def test_csv_actor_rows_keep_arabic_and_join_aliases():
    actor = ActorFactory(name="Jabhat al-Nusra", slug="jabhat-al-nusra", country="SY")
    ActorNameFactory(actor=actor, name="جبهة النصرة", kind="transliteration", language="ar")
    ActorNameFactory(actor=actor, name="JN", kind="acronym")
    ActorIdentifierFactory(actor=actor, scheme="wikidata", value="Q1163220")
    ActorFactory(name="الدولة الإسلامية", slug="islamic-state")

    response = get(list_url("actor"), format="csv")
    rows = as_dicts(read_csv(response))

    text = response.content.decode("utf-8")
    assert "\r" not in text and text.count("\n") == 3  # one line ending: "\n"
    by_slug = {row["slug"]: row for row in rows}
    nusra = by_slug["jabhat-al-nusra"]
    assert nusra["name"] == "Jabhat al-Nusra"
    assert nusra["aliases"] == "JN|جبهة النصرة"
    assert nusra["identifiers"] == "Q1163220"
    assert nusra["country"] == "SY"
    assert by_slug["islamic-state"]["name"] == "الدولة الإسلامية"
    assert by_slug["islamic-state"]["aliases"] == ""


def test_csv_event_rows_join_participants():
    place = PlaceFactory(slug="aleppo", name="Aleppo", latitude=36.2, longitude=37.15)
    event = EventFactory(date="2016-02-27", place=place, fatalities_best=12)
    EventParticipantFactory(event=event, actor__slug="ypg", actor__name="YPG", role="target")
    EventParticipantFactory(event=event, actor__slug="nusra", actor__name="Nusra", role="initiator")
    EventFactory(title="No place", date="2014")

    rows = {row["id"]: row for row in as_dicts(read_csv(get(list_url("event"), format="csv")))}

    row = rows[str(event.pk)]
    # Participants in role order: initiator, then target.
    assert row["actors"] == "nusra|ypg"
    assert row["actor_names"] == "Nusra|YPG"
    assert row["roles"] == "initiator|target"
    assert (row["date"], row["date_start"], row["date_end"], row["date_precision"]) == (
        "2016-02-27",
        "2016-02-27",
        "2016-02-27",
        "day",
    )
    assert (row["place"], row["place_name"]) == ("aleppo", "Aleppo")
    assert (float(row["latitude"]), float(row["longitude"])) == (36.2, 37.15)
    assert (row["fatalities_low"], row["fatalities_best"]) == ("", "12")
    assert row["event_type"] == "armed-clash"
    [unplaced] = [r for r in rows.values() if r["id"] != str(event.pk)]
    assert (unplaced["place"], unplaced["latitude"], unplaced["actors"]) == ("", "", "")


def test_csv_carries_the_total_and_the_next_page():
    for _ in range(3):
        make("outlet")

    response = get(list_url("outlet"), format="csv", page_size=2)

    assert len(read_csv(response)) == 3
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]
    assert "page=2" in response["Link"]


@pytest.mark.parametrize(
    "resource, param, value",
    [
        ("event", "date_from", "yesterday"),
        ("event", "colour", "red"),
        ("actor", "kind", "pirate"),
        ("place", "bbox", "1,2,3"),
        ("document", "outlet", "no-such-outlet"),
    ],
)
def test_csv_with_a_bad_filter_is_a_json_400(resource, param, value):
    response = get(list_url(resource), format="csv", **{param: value})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert error_attrs(response) == {param}


def test_csv_is_offered_on_lists_only():
    actor = ActorFactory()
    response = get(reverse("actors-api:actor-detail", args=[actor.pk]), format="csv")
    assert response.status_code == 404
    assert errors(response)[0]["code"] == "not_found"


# GeoJSON


def test_geojson_events():
    aleppo = PlaceFactory(name="Aleppo", latitude=36.2, longitude=37.15)
    region = PlaceFactory(name="Northern Syria", kind="region")  # no coordinates
    placed = EventFactory(place=aleppo, date="2016-02-27")
    vague = EventFactory(place=region, date="2016-02")
    nowhere = EventFactory(place=None, date="2016")
    EventFactory(status="draft", place=aleppo)

    response = get(list_url("event"), format="geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert collection["count"] == 3
    assert collection["next"] is None
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == {str(placed.pk), str(vague.pk), str(nowhere.pk)}
    assert all(feature["type"] == "Feature" for feature in features.values())
    assert features[str(placed.pk)]["geometry"] == {"type": "Point", "coordinates": [37.15, 36.2]}
    assert features[str(vague.pk)]["geometry"] is None
    assert features[str(nowhere.pk)]["geometry"] is None
    properties = features[str(placed.pk)]["properties"]
    assert properties["id"] == str(placed.pk)
    assert properties["title"] == placed.title
    assert properties["date"] == "2016-02-27"
    assert (properties["place"], properties["place_name"]) == (aleppo.slug, "Aleppo")


@pytest.mark.parametrize("resource", ["event", "place"])
def test_geojson_properties_are_the_csv_columns_typed(resource):
    """What GDAL, QGIS and GeoPandas read as a table: the CSV's columns, with numbers
    as numbers, lists joined by "|" and nothing as null; never a nested record."""
    town = PlaceFactory(
        name="Kafr Nabl",
        parent=PlaceFactory(name="Idlib", slug="idlib", kind="region"),
        latitude="35.000000",
        longitude="36.560000",
        alternate_names=["Kafranbel", "Kafr Nubl"],
        geonames_id=169304,
    )
    event = EventFactory(place=town, date="2014-11", geo_precision=2, fatalities_best=0)
    EventParticipantFactory(event=event, actor__slug="nusra", actor__name="Nusra")
    EventParticipantFactory(event=event, actor__slug="srf", actor__name="SRF", role="target")

    response = get(list_url(resource), format="geojson")
    rows = as_dicts(read_csv(get(list_url(resource), format="csv")))

    features = json.loads(response.content)["features"]
    assert [list(f["properties"]) for f in features] == [CSV_COLUMNS[resource].split()] * len(rows)
    for feature, row in zip(features, rows, strict=True):
        for name, value in feature["properties"].items():
            assert value is None or type(value) in (str, int, float), (name, value)
            assert value != "", name
            assert flat_text(value) == row[name], (name, value, row[name])
    if resource == "event":
        properties = features[0]["properties"]
        assert properties["fatalities_best"] == 0 and properties["fatalities_low"] is None
        assert properties["geo_precision"] == 2
        assert (properties["actors"], properties["actor_names"], properties["roles"]) == (
            "nusra|srf",
            "Nusra|SRF",
            "initiator|target",
        )
        assert (properties["place"], properties["country"]) == (town.slug, town.country)
    else:
        properties = next(f["properties"] for f in features if f["id"] == str(town.pk))
        assert properties["geonames_id"] == 169304
        assert properties["alternate_names"] == "Kafranbel|Kafr Nubl"
        assert properties["parent"] == "idlib"
    # Coordinates are numbers with a decimal point, even whole ones.
    assert (properties["latitude"], properties["longitude"]) == (35.0, 36.56)
    assert b'"latitude": 35.0' in response.content


def test_geojson_places():
    idlib = PlaceFactory(name="Idlib", slug="idlib", latitude=35.93, longitude=36.63)
    somewhere = PlaceFactory(name="Somewhere", kind="region")

    collection = json.loads(get(list_url("place"), format="geojson").content)

    features = {feature["properties"]["name"]: feature for feature in collection["features"]}
    assert set(features) == {"Idlib", "Somewhere"}
    assert features["Idlib"]["id"] == str(idlib.pk)
    assert features["Idlib"]["geometry"] == {"type": "Point", "coordinates": [36.63, 35.93]}
    assert features["Somewhere"]["id"] == str(somewhere.pk)
    assert features["Somewhere"]["geometry"] is None


def test_geojson_filters_and_pages_like_json():
    inside = PlaceFactory(latitude=36.2, longitude=37.15)
    outside = PlaceFactory(latitude=33.5, longitude=36.3)
    for _ in range(3):
        EventFactory(place=inside)
    EventFactory(place=outside)

    collection = json.loads(
        get(list_url("event"), format="geojson", bbox="36,35,38,37", page_size=2).content
    )

    assert collection["count"] == 3
    assert len(collection["features"]) == 2
    assert "page=2" in collection["next"]
    assert "format=geojson" in collection["next"]


@pytest.mark.parametrize("resource", ["event", "place"])
def test_geojson_coordinates_in_properties_stay_numbers(resource):
    """A feature's properties are the record as the JSON list gives it."""
    EventFactory(place=PlaceFactory(name="Aleppo", latitude=36.2, longitude=37.15))

    record = get(list_url(resource)).json()["results"][0]
    feature = json.loads(get(list_url(resource), format="geojson").content)["features"][0]

    assert record["latitude"] == 36.2
    assert feature["properties"]["latitude"] == record["latitude"]
    assert feature["properties"]["longitude"] == record["longitude"]


@pytest.mark.parametrize("resource", ["event", "place"])
def test_geojson_feature_ids_lead_to_the_records(resource):
    """A feature's `id` is its record's (the detail offers JSON only)."""
    EventFactory(place=PlaceFactory(name="Aleppo", latitude=36.2, longitude=37.15))

    feature = json.loads(get(list_url(resource), format="geojson").content)["features"][0]

    url = reverse(f"events-api:{resource}-detail", args=[feature["id"]])
    assert APIClient().get(url).status_code == 200, url


@pytest.mark.parametrize("resource", ["actor", "affiliation", "outlet", "document", "eventtype"])
def test_geojson_is_not_offered_elsewhere(resource):
    make(resource)

    response = get(list_url(resource), format="geojson")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response)[0]["code"] == "not_found"


def test_geojson_with_a_bad_filter_is_a_json_400():
    response = get(list_url("event"), format="geojson", bbox="200,0,0,0")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert error_attrs(response) == {"bbox"}


# Pagination


def outlets(n):
    Outlet.objects.bulk_create(
        Outlet(name=f"Outlet {i:04}", slug=f"outlet-{i:04}", kind="news", status="published")
        for i in range(n)
    )


def test_default_page_is_50():
    outlets(51)

    body = get(list_url("outlet")).json()

    assert list(body) == ["count", "count_exact", "next", "previous", "results"]
    assert body["count_exact"] is True
    assert body["count"] == 51
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert "page=2" in body["next"]

    second = APIClient().get(body["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None


def test_page_size_is_capped_at_1000():
    outlets(1001)

    body = get(list_url("outlet"), page_size=5000).json()

    assert body["count"] == 1001
    assert len(body["results"]) == 1000
    assert body["next"] is not None


def test_page_size_chooses_the_page_length():
    outlets(5)
    body = get(list_url("outlet"), page_size=2, page=3).json()
    assert [row["slug"] for row in body["results"]] == ["outlet-0004"]


@pytest.mark.parametrize("page", ["9", "0", "abc", "-1"])
def test_invalid_page_is_a_json_404(page):
    outlets(3)

    response = get(list_url("outlet"), page=page)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response)[0]["code"] == "not_found"
