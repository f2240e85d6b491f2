"""GDAL reads the events' GeoJSON straight from the API's URLs, the list's page and the
export: a layer of points, one column a flat column, typed (integers as integers, text
as text), one feature an event. Through pyogrio, as GeoPandas calls it.

GDAL's GeoJSON driver fetches a URL itself (as ogr2ogr and QGIS do with a plain URL,
and pyogrio with `GeoJSON:<url>`), asking with `Accept: text/plain, application/json`:
the `?format=geojson` in the URL wins over it. pyogrio opens a plain URL through
/vsicurl/, which reads byte ranges of a file whose length it knows first: the list's
page has one (Content-Length); the streamed export has none, so it is read as
`GeoJSON:<url>`."""

import pytest

from events.api.export import COLUMNS
from tests.factories import ActorFactory, EventFactory, EventParticipantFactory, PlaceFactory

pyogrio = pytest.importorskip("pyogrio")
from pyogrio.raw import read  # noqa: E402  (after the skip when pyogrio is missing)

# A live server needs a transactional test; the data migrations' event types are put
# back after it (serialized_rollback) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

INTEGERS = ("geo_precision", "fatalities_low", "fatalities_best", "fatalities_high")
TEXTS = ("title", "event_type", "place", "place_name", "actors", "actor_names", "roles")


@pytest.fixture(autouse=True)
def one_request_a_connection():
    """GDAL keeps its HTTP connections open for the next read: the live server's thread
    on one would hold its database session past the test (and the test database's
    teardown)."""
    pyogrio.set_gdal_config_options({"GDAL_HTTP_HEADERS": "Connection: close"})
    yield
    pyogrio.set_gdal_config_options({"GDAL_HTTP_HEADERS": None})


@pytest.fixture
def clash():
    town = PlaceFactory(name="Kafr Nabl", country="SY", latitude="35.6", longitude="36.56")
    region = PlaceFactory(name="Idlib countryside", kind="region", country="SY")  # no point
    clash = EventFactory(place=town, date="2014-11", geo_precision=2, fatalities_best=12)
    EventParticipantFactory(event=clash, actor=ActorFactory(slug="nusra", name="Nusra"))
    EventParticipantFactory(event=clash, actor=ActorFactory(slug="srf", name="SRF"), role="target")
    EventFactory(place=region, date="2015-02-27", fatalities_low=0, fatalities_high=4)
    EventFactory(place=None, date="2016")
    EventFactory(status="draft", place=town)  # not for anonymous readers
    return clash


@pytest.mark.parametrize(
    "source",
    [
        "{server}/api/v1/events/?format=geojson",
        "GeoJSON:{server}/api/v1/events/?format=geojson",
        "GeoJSON:{server}/api/v1/events/export/?format=geojson",
    ],
)
def test_gdal_reads_the_events_geojson_from_its_url(live_server, clash, source):
    source = source.format(server=live_server.url)

    info = pyogrio.read_info(source)

    assert info["driver"] == "GeoJSON"
    assert info["geometry_type"] == "Point"
    assert info["features"] == 3
    assert list(info["fields"]) == list(COLUMNS)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    for name in INTEGERS:
        assert types[name] in ("int32", "int64"), (name, types[name])
    for name in ("latitude", "longitude"):
        assert types[name] == "float64", (name, types[name])
    for name in TEXTS:
        assert types[name] == "object", (name, types[name])

    # numpy has no integer with nulls: pyogrio's arrays give GDAL's integer columns
    # as floats where some are null (GeoPandas with use_arrow=True, as Int32).
    meta, _fids, geometry, fields = read(source)
    rows = [dict(zip(meta["fields"], values, strict=True)) for values in zip(*fields, strict=True)]
    assert len(rows) == 3
    [row] = [row for row in rows if row["id"] == str(clash.pk)]
    assert (row["place_name"], row["actors"], row["actor_names"]) == (
        "Kafr Nabl",
        "nusra|srf",
        "Nusra|SRF",
    )
    assert (row["fatalities_best"], row["geo_precision"]) == (12, 2)
    assert (row["latitude"], row["longitude"]) == (35.6, 36.56)
    assert sum(point is not None for point in geometry) == 1
