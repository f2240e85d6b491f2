"""HTTP conventions: compression, Link, Cache-Control, conditional GET on lists,
format precedence, and the front door (/api/v1/, /, /api/)."""

import csv
import gzip
import io
import json
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.helpers_personas import detail_url, list_url
from tests.factories import ActorFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(response):
    return {rel: url for url, rel in LINK.findall(response.get("Link", ""))}


def body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(raw)
    return raw


# Compression


def test_a_page_of_1000_events_is_gzipped_for_clients_that_accept_it():
    EventFactory.create_batch(1000)
    url = list_url("event") + "?page_size=1000"

    plain = APIClient().get(url)
    packed = APIClient().get(url, **GZIP)

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(plain.json()["results"]) == 1000
    # A page of JSON compresses to well under a fifth.
    assert len(packed.content) * 5 < len(plain.content), (len(packed.content), len(plain.content))


@pytest.mark.parametrize(
    ("resource", "fmt"), [("event", "csv"), ("event", "geojson"), ("place", "geojson")]
)
def test_every_list_format_is_gzipped(resource, fmt):
    for _ in range(20):
        (EventFactory if resource == "event" else PlaceFactory)()
    response = APIClient().get(list_url(resource), {"format": fmt}, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content)


# The lines of an export of 30 events: CSV's header, NDJSON's records alone, GeoJSON's
# FeatureCollection around its features.
EXPORT_LINES = {"csv": 1 + 30, "ndjson": 30, "geojson": 1 + 30 + 1}


@pytest.mark.parametrize("fmt", EXPORT_LINES)
def test_the_streamed_export_is_gzipped_and_decompresses_to_the_same_rows(fmt):
    EventFactory.create_batch(30)
    url = reverse("events-api:event-export")

    plain = APIClient().get(url, {"format": fmt})
    packed = APIClient().get(url, {"format": fmt}, **GZIP)

    assert packed.streaming and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["X-Row-Count"] == plain["X-Row-Count"] == "30"
    rows = body(plain)
    assert body(packed) == rows
    assert len(rows.splitlines()) == EXPORT_LINES[fmt]


def test_a_patch_with_the_weak_etag_of_a_compressed_read_succeeds(curator):
    actor = ActorFactory(description="x" * 2000)  # long enough to be compressed
    client = APIClient()
    client.force_authenticate(curator)

    read = client.get(detail_url("actor", actor), **GZIP)
    assert read["Content-Encoding"] == "gzip"
    assert read["ETag"] == 'W/"1"'
    # The weak tag still validates the client's copy...
    again = client.get(detail_url("actor", actor), HTTP_IF_NONE_MATCH=read["ETag"], **GZIP)
    assert again.status_code == 304
    # ...and still names the version a change is made to.
    changed = client.patch(
        detail_url("actor", actor),
        {"description": "mine"},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2


# Link


@pytest.mark.parametrize("fmt", [None, "csv", "geojson"])
def test_page_number_lists_link_first_prev_next_last_in_every_format(fmt):
    EventFactory.create_batch(7)
    params = {"page_size": 2, "page": 2} | ({"format": fmt} if fmt else {})

    response = APIClient().get(list_url("event"), params)

    assert response.status_code == 200
    got = links(response)
    assert set(got) == {"first", "prev", "next", "last"}
    assert "page=" not in got["first"] and "page_size=2" in got["first"]
    assert "page=3" in got["next"] and "page=4" in got["last"]
    if fmt:
        assert f"format={fmt}" in got["next"]
    first = APIClient().get(got["first"])
    assert set(links(first)) == {"first", "next", "last"}


def test_a_single_page_links_first_and_last_only():
    PlaceFactory()
    assert set(links(APIClient().get(list_url("place")))) == {"first", "last"}


def test_keyset_pages_link_next():
    EventFactory.create_batch(3)
    response = APIClient().get(list_url("event"), {"cursor": "", "page_size": 2})
    got = links(response)
    assert set(got) == {"next"}
    assert got["next"] == response.json()["next"]


# Cache-Control and conditional GET


@override_settings(API_CACHE_SECONDS=90)
def test_anonymous_reads_are_publicly_cacheable():
    PlaceFactory()
    response = APIClient().get(list_url("place"))
    assert response["Cache-Control"] == "public, max-age=90"
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept", "Accept-Encoding", "Authorization", "Cookie"} <= vary


def test_signed_in_reads_and_writes_are_not_stored_by_shared_caches(curator):
    actor = ActorFactory()
    client = APIClient()
    client.force_authenticate(curator)
    assert client.get(list_url("actor"))["Cache-Control"] == "private, no-cache"
    changed = client.patch(
        detail_url("actor", actor), {"description": "d"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert changed["Cache-Control"] == "no-store"


def test_a_token_read_is_private():
    PlaceFactory()
    response = APIClient().get(list_url("place"), HTTP_AUTHORIZATION="Token nonsense")
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("fmt", [None, "csv", "geojson"])
def test_lists_answer_if_none_match_with_304(fmt):
    PlaceFactory.create_batch(3)
    params = {"format": fmt} if fmt else {}
    first = APIClient().get(list_url("place"), params, **GZIP)
    etag = first["ETag"]
    assert etag.startswith('W/"')

    again = APIClient().get(list_url("place"), params, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    PlaceFactory()
    changed = APIClient().get(list_url("place"), params, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_export_has_no_etag():
    EventFactory()
    response = APIClient().get(reverse("events-api:event-export"), {"format": "csv"})
    body(response)  # read to the end: the export's transaction closes with its stream
    assert "ETag" not in response


# Format precedence


@pytest.mark.parametrize("url", [list_url("event"), reverse("events-api:event-export")])
def test_format_in_the_url_beats_gdals_accept_header(url):
    EventFactory()
    response = APIClient().get(
        url, {"format": "geojson"}, HTTP_ACCEPT="text/plain, application/json"
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/geo+json")
    text = body(response) if response.streaming else response.content
    assert json.loads(text)["type"] == "FeatureCollection"


@pytest.mark.parametrize("resource", ["event", "place", "actor", "affiliation", "outlet"])
def test_accept_text_csv_alone_gives_csv_on_every_list(resource):
    response = APIClient().get(list_url(resource), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("accept", ["text/csv", "application/x-ndjson", "application/geo+json"])
def test_accept_alone_chooses_the_export_format(accept):
    EventFactory.create_batch(2)
    response = APIClient().get(reverse("events-api:event-export"), HTTP_ACCEPT=accept)
    assert response.status_code == 200
    rows = body(response).decode()
    assert response["Content-Type"].startswith(accept)
    assert response["X-Row-Count"] == "2"
    if accept == "text/csv":
        assert len(list(csv.reader(io.StringIO(rows)))) == 3
    elif accept == "application/x-ndjson":
        assert [json.loads(line)["status"] for line in rows.splitlines()] == ["published"] * 2
    else:
        assert len(json.loads(rows)["features"]) == 2


def test_the_export_without_a_format_or_an_accept_naming_one_is_a_400():
    response = APIClient().get(reverse("events-api:event-export"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "format"


# The front door


def test_the_api_root_lists_every_resource_and_the_docs():
    response = APIClient().get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data["resources"]) == {
        "actors",
        "affiliations",
        "events",
        "event_types",
        "places",
        "outlets",
        "documents",
    }
    assert data["resources"]["events"] == "http://testserver" + list_url("event")
    assert data["schema"].endswith("/api/v1/schema/")
    assert data["docs"].endswith("/api/v1/docs/")
    assert data["redoc"].endswith("/api/v1/redoc/")
    for url in [*data["resources"].values(), data["schema"], data["docs"], data["redoc"]]:
        assert APIClient().get(url).status_code == 200, url


@pytest.mark.parametrize("path", ["/", "/api/"])
def test_the_bare_host_and_api_lead_to_the_api_root(path):
    response = APIClient().get(path)
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"


def test_make_run_prints_the_docs_url():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "/api/v1/docs/" in run


@pytest.mark.parametrize("name", ["swagger-ui", "redoc"])
def test_no_docs_page_names_another_host(name):
    """Nothing the docs load comes from elsewhere: no absolute URL in the page, no logo
    (`x-logo`) or other off-host URL in the schema they render, and the CSP allows no
    other host for scripts, styles, images or fonts."""
    page = APIClient().get(reverse(name))
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", page.content.decode())
    schema = APIClient().get(reverse("schema"), {"format": "json"}).content.decode()
    assert "x-logo" not in schema
    policy = page["Content-Security-Policy"]
    for directive in ("default-src", "script-src", "style-src", "img-src", "font-src"):
        sources = next(
            (d.split()[1:] for d in policy.split(";") if d.split()[:1] == [directive]), None
        )
        if sources is not None:
            assert not [s for s in sources if "." in s or s.startswith("http")], (
                directive,
                sources,
            )


@pytest.mark.parametrize("kind", ["record", "list"])
def test_a_read_with_a_stale_if_match_is_a_412_in_the_error_shape(kind):
    event = EventFactory()
    url = detail_url("event", event.pk) if kind == "record" else list_url("event")
    response = APIClient().get(url, HTTP_IF_MATCH='"not-the-current-one"')
    assert response.status_code == 412
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "precondition_failed"
    assert response.json()["errors"][0]["attr"] is None
    if kind == "record":  # its current (strong) ETag still reads; a page's is weak,
        # which If-Match never matches (RFC 9110 13.1.1: strong comparison)
        current = APIClient().get(url)["ETag"]
        assert APIClient().get(url, HTTP_IF_MATCH=current).status_code == 200


@pytest.fixture
def wsgi_app():
    """The WSGI application as a server runs it (the test client drops a HEAD's body
    itself), with the request signals' connection closing off, as in the test client."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def serve(app, method, path, query):
    """One request as a WSGI server serves it: the body iterated to the end (gunicorn
    does so for HEAD too, sending none of it), then closed."""
    from wsgiref.util import setup_testing_defaults

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "127.0.0.1"
    status_headers = []

    def start_response(status, headers, exc_info=None):
        status_headers.append((status, headers))

    result = app(environ, start_response)
    try:
        chunks = b"".join(result)
    finally:
        result.close()
    status, headers = status_headers[0]
    return status, dict(headers), chunks


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "geojson"])
def test_head_on_the_export_counts_the_rows_and_reads_none(fmt, monkeypatch, wsgi_app):
    EventFactory.create_batch(3)
    path = reverse("events-api:event-export")
    got_status, got, rows = serve(wsgi_app, "GET", path, f"format={fmt}")
    assert got_status.startswith("200") and rows

    def no_rows(*args, **kwargs):
        raise AssertionError("HEAD read the rows")

    monkeypatch.setattr("events.api.export._python_lines", no_rows)
    monkeypatch.setattr("events.api.export._pg_lines", no_rows)
    status, headers, chunks = serve(wsgi_app, "HEAD", path, f"format={fmt}")
    assert status.startswith("200")
    assert headers["X-Row-Count"] == "3"
    assert headers["Content-Type"] == got["Content-Type"]
    assert chunks == b""
