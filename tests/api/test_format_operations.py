"""One operation per format: every list (and the export, and the network) that renders
another format than JSON has a URL of its own for it (`/api/v1/events.csv`), which the
schema documents as its own operation with that one media type. A client generated from
the schema then never receives CSV from the call it parses as JSON; `?format=` and
`Accept` on the plain URL stay aliases."""

import json
from pathlib import Path

import pytest
import yaml
from rest_framework.test import APIClient

from tests.factories import ActorFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
GRAPHML = "application/graphml+xml"
GEXF = "application/gexf+xml"


@pytest.fixture(scope="module")
def schema():
    return yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("suffixed", "plain", "fmt", "content_type"),
    [
        ("events.csv", "events/", "csv", "text/csv"),
        ("events.geojson", "events/", "geojson", "application/geo+json"),
        ("places.geojson", "places/", "geojson", "application/geo+json"),
        ("actors.csv", "actors/", "csv", "text/csv"),
        ("affiliations.csv", "affiliations/", "csv", "text/csv"),
        ("actors/{actor}/events.csv", "actors/{actor}/events/", "csv", "text/csv"),
        ("events/export.csv", "events/export/", "csv", "text/csv"),
        ("events/export.ndjson", "events/export/", "ndjson", "application/x-ndjson"),
        ("actors/{actor}/network.graphml", "actors/{actor}/network/", "graphml", GRAPHML),
        ("actors/{actor}/network.gexf", "actors/{actor}/network/", "gexf", GEXF),
        ("affiliations/network.gexf", "affiliations/network/", "gexf", GEXF),
    ],
)
def test_a_formats_own_url_serves_what_its_alias_serves(suffixed, plain, fmt, content_type):
    actor = ActorFactory()
    for _ in range(3):
        EventFactory(place=PlaceFactory()).participants.create(actor=actor, role="initiator")
    client = APIClient()
    params = {} if "network" in suffixed else {"page_size": 2}  # a network is unpaged

    # Each streamed export is read to its end before the next (an anonymous client
    # holds an export slot while one streams).
    own = client.get(f"{API}/{suffixed.format(actor=actor.slug)}", params)
    own_body = body(own)
    alias = client.get(f"{API}/{plain.format(actor=actor.slug)}", {**params, "format": fmt})
    alias_body = body(alias)
    accepted = client.get(
        f"{API}/{plain.format(actor=actor.slug)}", params, HTTP_ACCEPT=content_type
    )
    accepted_body = body(accepted)

    assert own.status_code == alias.status_code == accepted.status_code == 200
    assert own["Content-Type"].split(";")[0] == content_type
    if fmt == "geojson":  # the same features; next links to the page's own URL
        collections = [json.loads(b) for b in (own_body, alias_body, accepted_body)]
        assert len({json.dumps(c["features"]) for c in collections}) == 1
        assert ".geojson?" in collections[0]["next"]
    elif fmt in ("graphml", "gexf"):  # the same graph; its description is its own URL

        def graph(raw, url):
            return raw.replace(url.encode(), b"URL")

        own_url = f"{API}/{suffixed.format(actor=actor.slug)}"
        plain_url = f"{API}/{plain.format(actor=actor.slug)}"
        assert graph(own_body, own_url) == graph(alias_body, f"{plain_url}?format={fmt}")
        assert graph(own_body, own_url) == graph(accepted_body, plain_url)
    else:
        assert own_body == alias_body == accepted_body
    if "Link" in alias:  # a page links to pages of its own URL
        assert own["Link"] == alias["Link"].replace(
            f"/{plain.format(actor=actor.slug)}?format={fmt}&",
            f"/{suffixed.format(actor=actor.slug)}?",
        ).replace(f"&format={fmt}", "")
        assert f".{fmt}" in own["Link"]


@pytest.mark.parametrize("url", ["events.xml", "events.ndjson", "places.ndjson", "actors.geojson"])
def test_a_format_no_list_renders_is_a_json_404(url):
    response = APIClient().get(f"{API}/{url}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_record_has_no_csv_url():
    event = EventFactory()
    # (Django's APPEND_SLASH sends it to the record URL of that name, which is none.)
    response = APIClient().get(f"{API}/events/{event.pk}.csv", follow=True)
    assert response.status_code == 404


def test_the_suffix_wins_over_accept_and_format():
    EventFactory()
    response = APIClient().get(
        f"{API}/events.csv", {"format": "geojson"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


# The schema


def operations(schema):
    for path, item in schema["paths"].items():
        if not path.startswith(API):
            continue
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_success_of_the_api_has_one_media_type(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code.startswith("2") and "content" in response:
                assert len(response["content"]) == 1, (path, method, code)


def test_no_operation_takes_a_format_parameter(schema):
    for path, method, operation in operations(schema):
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert "format" not in names, (path, method)


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/api/v1/events/", "application/json"),
        ("/api/v1/events.csv", "text/csv"),
        ("/api/v1/events.geojson", "application/geo+json"),
        ("/api/v1/places.geojson", "application/geo+json"),
        ("/api/v1/actors/{actor_ref}/events.csv", "text/csv"),
        ("/api/v1/events/export.csv", "text/csv"),
        ("/api/v1/events/export.ndjson", "application/x-ndjson"),
        ("/api/v1/actors/{id}/network/", "application/json"),
        ("/api/v1/actors/{id}/network.graphml", GRAPHML),
        ("/api/v1/affiliations/network.gexf", GEXF),
    ],
)
def test_each_format_is_its_own_operation(schema, path, media_type):
    operation = schema["paths"][path]["get"]
    assert list(operation["responses"]["200"]["content"]) == [media_type]
    suffix = path.rsplit(".", 1)[1] if "." in path else None
    if suffix:
        assert operation["operationId"].endswith(f"_{suffix}")


def test_the_json_list_documents_its_results(schema):
    # openapi-typescript types `data.results` only when the 200 is JSON alone.
    content = schema["paths"]["/api/v1/events/"]["get"]["responses"]["200"]["content"]
    ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "results" in schema["components"]["schemas"][ref]["required"]


def test_the_export_and_the_csv_declare_their_count_headers(schema):
    export = schema["paths"]["/api/v1/events/export.csv"]["get"]["responses"]["200"]
    assert "X-Row-Count" in export["headers"]
    page = schema["paths"]["/api/v1/events.csv"]["get"]["responses"]["200"]
    assert {"X-Total-Count", "Link", "ETag"} <= set(page["headers"])


def test_the_errors_are_a_few_shared_components(schema):
    # A client generated from the schema is mostly its resources, not error types:
    # every operation's 400 is the one ErrorResponse400, its fields and codes listed in
    # the response's description.
    components = schema["components"]["schemas"]
    errors = [name for name in components if "Error" in name]
    assert len(errors) * 2 < len(components), errors
    for path, _method, operation in operations(schema):
        bad_request = operation["responses"].get("400")
        if bad_request and path.startswith(API):
            ref = bad_request["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] in ("ErrorResponse400", "ParseErrorResponse")


@pytest.mark.parametrize(
    "url", ["events.csv", "actors/{actor}/network.gexf", "affiliations/network.graphml"]
)
def test_a_formats_url_is_read_only(url):
    # OPTIONS is the plain URL's; a format's URL answers GET and HEAD only (OPTIONS was
    # a 500: the metadata rendered as GraphML).
    actor = ActorFactory()
    response = APIClient().options(f"{API}/{url.format(actor=actor.slug)}")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_a_networks_node_without_a_country_conforms(schema):
    # An actor with no country is "" in the network, which the schema allows.
    node = schema["components"]["schemas"]["NetworkNode"]["properties"]["country"]
    assert node["type"] == "string" and "enum" not in node
