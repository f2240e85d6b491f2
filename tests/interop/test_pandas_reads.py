"""pandas, as an analyst calls it, reads the flat files over HTTP unchanged: the ACLED
CSV of `/api/acled/acled/read` and the export's CSV, typed as their documentation says,
one row an event, agreeing with each other."""

import pytest

from events.models import Event
from tests.factories import EventFactory, PlaceFactory
from tests.interop.test_acled_read import clash

pd = pytest.importorskip("pandas")

# A live server needs a transactional test; the data migrations' event types are put
# back after it (serialized_rollback) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def events():
    syria = PlaceFactory(name="Syria", slug="syria", kind="country", country="SY")
    town = PlaceFactory(
        name="Kafr Ruma",
        kind="town",
        parent=syria,
        country="SY",
        latitude="35.6",
        longitude="36.61",
    )
    return [clash(town, date=f"2015-03-0{day}") for day in range(1, 6)]


def test_pandas_reads_the_acled_csv_and_the_export_and_they_agree(live_server, events):
    frame = pd.read_csv(
        f"{live_server.url}/api/acled/acled/read?_format=csv&limit=0&country=Syria",
        parse_dates=["event_date"],
        dtype={"event_id_cnty": str},
    )

    assert len(frame) == len(events)
    assert frame["event_id_cnty"].is_unique
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert sorted(frame["event_date"].dt.day) == [1, 2, 3, 4, 5]
    assert frame["fatalities"].dtype.kind == "i" and set(frame["fatalities"]) == {12}
    assert frame["latitude"].dtype.kind == "f" and set(frame["longitude"]) == {36.61}
    assert set(frame["country"]) == {"Syria"} and set(frame["iso"]) == {760}
    assert set(frame["actor1"]) == {"Jabhat al-Nusra"}

    export = pd.read_csv(
        f"{live_server.url}/api/v1/events/export/?format=csv&country=SY",
        parse_dates=["date_start", "date_end"],
    )

    assert len(export) == len(frame)
    assert export["id"].is_unique
    assert sorted(export["date_start"]) == sorted(frame["event_date"])
    assert sorted(export["fatalities_best"]) == sorted(frame["fatalities"])
    assert export["latitude"].dtype.kind == "f"


@pytest.fixture
def events_with_gaps(events):
    """The clashes, and events that leave numbers, places and participants out."""
    EventFactory(date="2016", fatalities_low=0, fatalities_high=3)  # no place, no one
    EventFactory(
        date="2015-06~",
        place=PlaceFactory(name="Somewhere in Idlib", kind="region", country="SY"),
        fatalities_best=7,
    )  # a place without a point
    EventFactory(date="2014-11-01/2014-11-03", place=events[0].place, geo_precision=3)
    return Event.objects.all()


INTEGERS = ["geo_precision", "fatalities_low", "fatalities_best", "fatalities_high"]


def test_the_csv_and_ndjson_exports_read_to_the_same_frame(live_server, events_with_gaps):
    """With pandas' nullable dtypes, integer columns are integers (Int64) whether some
    rows lack them or not, in both formats; lists are the same "|"-joined text in
    both, and nothing is missing in one that the other has."""
    export = f"{live_server.url}/api/v1/events/export/"

    from_csv = pd.read_csv(f"{export}?format=csv", dtype_backend="numpy_nullable")
    # dtype=False: read_json would otherwise read `updated_at` (and `date`, where every
    # event has a day) as timestamps, and read_csv does not. Numbers stay numbers.
    from_ndjson = pd.read_json(
        f"{export}?format=ndjson", lines=True, dtype=False, dtype_backend="numpy_nullable"
    )

    assert len(from_csv) == len(events_with_gaps) == 8
    for column in INTEGERS:
        assert str(from_csv[column].dtype) == "Int64", column
        assert from_csv[column].isna().any() and from_csv[column].notna().any(), column
    assert str(from_csv["latitude"].dtype) == "Float64"
    assert set(from_csv["actor_names"].dropna()) == {
        "Jabhat al-Nusra|Military Forces of Syria|Syrian Revolutionaries Front"
    }
    pd.testing.assert_frame_equal(from_ndjson, from_csv)
