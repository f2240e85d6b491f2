"""The `acled` client from PyPI, unmodified, reads this API through a live server: its
base URL is ACLED_API_HOST (read into BaseHttpClient.BASE_URL when it is imported; set
here on the class, as the variable would), legacy key and email as ACLED issued them."""

import datetime

import pytest

from conflictapi.models import Status
from events.models import Event, EventIdentifier
from tests.factories import PlaceFactory
from tests.interop.test_acled_read import clash

acled = pytest.importorskip("acled")
from acled.clients.base_http_client import BaseHttpClient  # noqa: E402

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The client warns that ACLED itself no longer takes key and email.
    pytest.mark.filterwarnings("ignore:Legacy key/email:DeprecationWarning"),
]


@pytest.fixture
def client(live_server, monkeypatch):
    monkeypatch.setattr(BaseHttpClient, "BASE_URL", f"{live_server.url}/api/acled")
    monkeypatch.setattr(BaseHttpClient, "MAX_RETRIES", 0)
    return acled.AcledClient(api_key="legacy-key", email="analyst@example.org")


def test_the_acled_client_reads_events_pages_and_deletions(client):
    syria = PlaceFactory(name="Syria", slug="syria", kind="country", country="SY")
    town = PlaceFactory(
        name="Kafr Ruma", kind="town", parent=syria, latitude="35.6", longitude="36.6"
    )
    for day in range(1, 6):
        clash(town, date=f"2015-03-0{day}")
    clash(town, date="2016-01-01")

    events = client.get_data(
        country="Syria",
        event_date="2015-03-02|2015-03-04",
        limit=2,
        query_params={"event_date_where": "BETWEEN"},
    )
    assert [e["event_date"] for e in events] == [
        datetime.date(2015, 3, 4),
        datetime.date(2015, 3, 3),
    ]
    assert events[0]["fatalities"] == 12 and events[0]["latitude"] == 35.6
    assert events[0]["actor1"] == "Jabhat al-Nusra"
    page2 = client.get_data(
        country="Syria",
        event_date="2015-03-02|2015-03-04",
        limit=2,
        page=2,
        query_params={"event_date_where": "BETWEEN"},
    )
    assert [e["event_date"] for e in page2] == [datetime.date(2015, 3, 2)]

    gone = Event.objects.get(date="2016-01-01")
    Event.objects.filter(pk=gone.pk).update(status=Status.RETRACTED, retraction_reason="dup")
    deleted = client.get_deleted_data(deleted_timestamp=0)
    assert [d["event_id_cnty"] for d in deleted] == [
        EventIdentifier.objects.get(event=gone, scheme="acled").value
    ]
    assert len(client.get_data(limit=50)) == 5
    countries = client.get_country_data()
    assert countries[0]["country"] == "Syria"
