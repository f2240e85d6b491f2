"""The error shape, health checks, throttling, the schema and its documentation pages."""

import base64
import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from tests.api.helpers_personas import (
    RESOURCES,
    client_as,
    detail_url,
    errors,
    fresh_throttle_counts,  # noqa: F401
    list_url,
)

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-0000-0000-000000000000"


# 404s


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_unknown_record_is_a_json_404(resource):
    response = APIClient().get(detail_url(resource, MISSING))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_unknown_record_is_404_for_writers_too(request):
    client = client_as(request, "editor")
    url = detail_url("actor", MISSING)
    assert client.patch(url, {"name": "x"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.post(reverse("actors-api:actor-publish", args=[MISSING])).status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/v1/actors/x/y/z/", "/api/v2/actors/", "/api/nothing/"]
)
def test_unknown_api_path_is_a_json_404(path):
    response = APIClient().get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    [error] = errors(response)
    assert (error["code"], error["attr"]) == ("not_found", None)


def test_unknown_path_outside_the_api_is_not_json():
    response = APIClient().get("/nothing/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_method_not_allowed_in_the_error_shape(request):
    response = client_as(request, "editor").post(detail_url("actor", MISSING))
    assert response.status_code == 405
    assert errors(response)[0]["code"] == "method_not_allowed"


def test_malformed_json_body_in_the_error_shape(request):
    response = client_as(request, "curator").post(
        list_url("actor"), data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert errors(response)[0]["code"] == "parse_error"


def test_unknown_filter_in_the_error_shape():
    response = APIClient().get(list_url("actor"), {"nmae": "Nusra"})
    assert response.status_code == 400
    [error] = errors(response)
    assert error["attr"] == "nmae"
    assert "Unknown query parameter" in error["detail"]


# Health


def test_healthz_touches_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = APIClient().get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_asks_the_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        response = APIClient().get(reverse("readyz"))

    assert response.status_code == 200
    # Without REDIS_URL the cache is each process's own.
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_health_checks_are_get_only(name):
    assert APIClient().post(reverse(name)).status_code == 405


# Throttling


@pytest.fixture
def tight_anon_rate(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    yield
    cache.clear()


def test_anonymous_readers_are_throttled(tight_anon_rate):
    client = APIClient()

    assert client.get(list_url("actor")).status_code == 200
    assert client.get(list_url("outlet")).status_code == 200
    response = client.get(list_url("actor"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    [error] = errors(response)
    assert error["code"] == "throttled"


def test_signed_in_users_are_not_throttled_as_anonymous(request, tight_anon_rate):
    client = client_as(request, "curator")
    for _ in range(4):
        assert client.get(list_url("actor")).status_code == 200


def test_health_checks_are_not_throttled(tight_anon_rate):
    client = APIClient()
    for _ in range(4):
        assert client.get(reverse("healthz")).status_code == 200


# Schema and its documentation


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    """The schema, generated once for the module as `make schema` does (validated,
    every warning an error), on the test run's database."""
    target = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def test_schema_is_openapi_3_with_every_path(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Conflict data API"
    paths = schema["paths"]
    for path in (
        "/api/v1/actors/",
        "/api/v1/actors/{id}/",
        "/api/v1/actors/{id}/network/",
        "/api/v1/actors/{id}/publish/",
        "/api/v1/actors/{id}/retract/",
        "/api/v1/actors/{actor_ref}/events/",
        "/api/v1/actors/{actor_ref}/affiliations/",
        "/api/v1/affiliations/",
        "/api/v1/events/",
        "/api/v1/event-types/",
        "/api/v1/places/",
        "/api/v1/outlets/",
        "/api/v1/documents/",
    ):
        assert path in paths, path


def test_schema_is_served(schema):
    response = APIClient().get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content)["paths"].keys() == schema["paths"].keys()


def test_schema_documents_the_error_shape_and_filters(schema):

    events = schema["paths"]["/api/v1/events/"]["get"]
    params = {p["name"]: p for p in events["parameters"]}
    for name in ("page", "page_size", "date_from", "actor", "bbox", "status", "updated_since"):
        assert params[name].get("description"), name
    assert "400" in events["responses"]
    actor = schema["paths"]["/api/v1/actors/{id}/"]
    assert {"409", "412"} <= set(actor["delete"]["responses"])
    assert {"409", "412"} <= set(actor["patch"]["responses"])
    # Publishing can be refused for what the record renders (conflictapi.publishing).
    publish = schema["paths"]["/api/v1/events/{id}/publish/"]["post"]
    assert {"409", "412"} <= set(publish["responses"])
    assert "413" in schema["paths"]["/api/v1/actors/"]["post"]["responses"]
    body = publish["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert (
        "with_dependencies" in schema["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
    )


def test_schema_says_a_change_needs_if_match_and_a_read_may_ask_if_none_match(schema):
    """Generated clients make If-Match a required argument of every change to a record
    (428 without it), and can ask for a 304."""
    for path, method in (
        ("/api/v1/actors/{id}/", "put"),
        ("/api/v1/actors/{id}/", "patch"),
        ("/api/v1/actors/{id}/", "delete"),
        ("/api/v1/events/{id}/publish/", "post"),
        ("/api/v1/places/{id}/retract/", "post"),
    ):
        operation = schema["paths"][path][method]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True, (path, method)
        assert {"412", "428"} <= set(operation["responses"]), (path, method)
    create = schema["paths"]["/api/v1/actors/"]["post"]
    assert "428" not in create["responses"]
    assert not [p for p in create.get("parameters", []) if p["name"] == "If-Match"]
    read = schema["paths"]["/api/v1/events/{id}/"]["get"]
    assert "If-None-Match" in {p["name"] for p in read["parameters"]}
    assert "304" in read["responses"] and "ETag" in read["responses"]["200"]["headers"]


def documented_codes(schema, path, method, attr):
    """The codes an operation's 400 documents for one attr: its response's description
    lists them field by field (`citations.INDEX.quote`: blank, …), and each must be a
    value of the shared ValidationError's `code`."""
    response = schema["paths"][path][method]["responses"]["400"]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("ErrorResponse400")
    enum = set(schema["components"]["schemas"]["ValidationError"]["properties"]["code"]["enum"])
    for line in response["description"].splitlines():
        match = re.match(r"- `([^`]+)`: (.*)", line)
        if not match:
            continue
        pattern = r"\.".join(
            r"\d+" if part == "INDEX" else re.escape(part) for part in match[1].split(".")
        )
        if re.fullmatch(pattern, attr):
            codes = set(match[2].split(", "))
            assert codes <= enum
            return codes
    raise AssertionError(f"{method} {path}: no error documented for {attr}")


def test_schema_lists_the_codes_the_writes_answer(schema, editor):
    """The 400s a write answers carry codes and attrs its schema lists (schemathesis
    checks the same over every operation in CI): an EDTF error, a malformed id, the
    n-th item of a list."""
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post(
        reverse("events-api:place-list"),
        {
            "name": "X",
            "slug": "x",
            "kind": "town",
            "parent_id": "not-a-uuid",
            "alternate_names": ["ok", "y" * 300],
        },
        format="json",
    )
    assert response.status_code == 400
    got = {(e["attr"], e["code"]) for e in response.json()["errors"]}
    assert got == {("parent_id", "invalid"), ("alternate_names.1", "max_length")}
    response = api.post(
        reverse("actors-api:actor-list"),
        {"name": "X", "kind": "armed_group", "founded": "2014-13-45"},
        format="json",
    )
    assert response.status_code == 400
    got |= {(e["attr"], e["code"]) for e in response.json()["errors"]}
    assert ("founded", "invalid_edtf") in got
    response = api.post(
        reverse("actors-api:actor-list"),
        {"name": "Y", "slug": "y", "kind": "armed_group", "citations": [None]},
        format="json",
    )
    assert response.status_code == 400
    assert {(e["attr"], e["code"]) for e in response.json()["errors"]} == {("citations.0", "null")}
    got.add(("citations.0", "null"))
    response = api.post(
        reverse("actors-api:actor-list"),
        {"name": "Z", "slug": "z", "kind": "armed_group", "citations": None},
        format="json",
    )
    assert {(e["attr"], e["code"]) for e in response.json()["errors"]} == {("citations", "null")}
    got.add(("citations", "null"))
    for attr, code in got:
        actors = ("founded", "citations.0", "citations")
        path = "/api/v1/actors/" if attr in actors else "/api/v1/places/"
        assert code in documented_codes(schema, path, "post", attr), (attr, code)


ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.mark.parametrize("name", ["swagger-ui", "redoc"])
def test_docs_pages_load_assets_from_our_own_static_files(name):
    response = APIClient().get(reverse(name))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "cdn.jsdelivr.net" not in page
    assets = ASSET.findall(page)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        if asset == f"{reverse(name)}?script=":
            # Swagger UI's start-up script, from the page's own view (not inline: CSP).
            script = APIClient().get(asset)
            assert script.status_code == 200
            assert script["Content-Type"].startswith("application/javascript")
            continue
        assert asset.startswith("/static/"), asset
        # ...and the file is there to serve.
        assert finders.find(asset.removeprefix("/static/").split("?")[0]), asset


@pytest.mark.parametrize("name", ["swagger-ui", "redoc"])
def test_docs_pages_point_at_our_schema(name):
    page = APIClient().get(reverse(name)).content.decode()
    if name == "swagger-ui":
        page = APIClient().get(f"{reverse(name)}?script=").content.decode()
    assert "/api/v1/schema/" in page


def test_a_forged_x_forwarded_for_does_not_escape_the_throttle(tight_anon_rate):
    """Issue 12: X-Forwarded-For counts only from configured proxies (API_TRUSTED_PROXIES,
    none by default), so a client cannot pose as a new one with each request."""
    client = APIClient()
    statuses = [
        client.get(list_url("actor"), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_the_client_address_is_its_entry(tight_anon_rate, settings):
    from rest_framework.settings import api_settings

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    api_settings.reload()
    try:
        client = APIClient()
        for n in range(3):  # three clients behind one proxy: each has its own count
            response = client.get(list_url("actor"), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
            assert response.status_code == 200
    finally:
        api_settings.reload()


@pytest.fixture
def tight_login_rates(monkeypatch):
    from conflictapi.api.throttling import LoginAccountThrottle, LoginClientThrottle

    rates = {"login": "3/minute", "login_account": "5/hour"}
    for throttle in (LoginClientThrottle, LoginAccountThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", rates)
    cache.clear()
    yield
    cache.clear()


def basic(username, password):
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def test_wrong_passwords_meet_a_limit_per_client(tight_login_rates, curator):
    """Issue 12: 300 wrong passwords were 300 x 401, never 429."""
    client = APIClient()
    login = reverse("knox-login")
    statuses = [client.post(login, **basic("curator", "wrong")).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.post(login, **basic("curator", "correct horse battery staple"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_wrong_passwords_meet_a_limit_per_account_from_any_address(tight_login_rates, curator):
    client = APIClient()
    login = reverse("knox-login")
    statuses = [
        client.post(login, REMOTE_ADDR=f"198.51.100.{n}", **basic("curator", "wrong")).status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # Another account from a fresh address is not held back.
    response = client.post(login, REMOTE_ADDR="198.51.100.99", **basic("editor", "wrong"))
    assert response.status_code == 401


def test_tokens_expire(curator, settings):
    from knox.settings import knox_settings

    response = APIClient().post(
        reverse("knox-login"), **basic("curator", "correct horse battery staple")
    )
    assert response.status_code == 200, response.content
    assert response.json()["expiry"] is not None
    assert knox_settings.TOKEN_TTL is not None
