"""Inputs that used to be 500s (issue 12's list) are 4xx in the one error shape, naming
the parameter or field; nothing is written."""

import pytest
from rest_framework.test import APIClient

from actors.models import Actor
from events.models import Event, Place
from tests.api.helpers_personas import errors
from tests.factories import event_type

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actors/a%00b/",
        "/api/v1/places/a%00b/",
        "/api/v1/event-types/a%00b/",
        "/api/v1/outlets/a%00b/",
        "/api/v1/actors/a%00b/events/",
        "/api/v1/actors/a%00b/affiliations/",
        "/api/v1/actors/a%00b/network/",
    ],
)
def test_a_nul_in_the_path_is_a_404(url):
    response = APIClient().get(url)
    assert response.status_code == 404
    assert errors(response)[0]["code"] == "not_found"


@pytest.mark.parametrize("resource", ["actors", "events", "places"])
def test_a_percent_sign_in_a_country_is_a_400(resource):
    response = APIClient().get(f"/api/v1/{resource}/", {"country": "%s"})
    assert response.status_code == 400
    (error,) = errors(response)
    assert error["attr"] == "country" and "%s" in error["detail"]


@pytest.mark.parametrize("offset", ["+17:00", "-16:00", "+23:59"])
def test_updated_since_takes_any_offset(offset):
    response = APIClient().get("/api/v1/events/", {"updated_since": f"2020-01-01T00:00:00{offset}"})
    assert response.status_code == 200, response.content


def signed_in(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_date_ending_after_9999_is_a_400(curator):
    body = {"title": "Late", "event_type_id": str(event_type().pk), "date": "9999-24"}
    response = signed_in(curator).post("/api/v1/events/", body, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in errors(response)} == {"date"}
    assert not Event.objects.exists()


@pytest.mark.parametrize("where", ["name", "alias"])
def test_a_name_that_outgrows_its_search_key_is_a_400(curator, where):
    long_name = "ﷺ" * 20  # 20 characters, 360 once spelt out for search
    body = {"name": "Brigade", "slug": "brigade", "kind": "armed_group"}
    if where == "name":
        body["name"] = long_name
    else:
        body["names"] = [{"name": long_name, "kind": "short"}]
    response = signed_in(curator).post("/api/v1/actors/", body, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in errors(response)} == {"name" if where == "name" else "names.0.name"}
    assert not Actor.objects.exists()


def test_a_body_over_the_limit_is_a_413(curator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"name": "' + "a" * 20_000 + '"}'
    response = signed_in(curator).generic(
        "POST", "/api/v1/actors/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert errors(response)[0]["code"] == "payload_too_large"


def test_json_nested_too_deep_is_a_400(curator):
    body = "[" * 100_000 + "]" * 100_000
    response = signed_in(curator).generic(
        "POST", "/api/v1/actors/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert errors(response)[0]["code"] == "parse_error"


def test_places_nest_at_most_thirty_deep(curator):
    api = signed_in(curator)
    parent = None
    for level in range(30):
        body = {"name": f"Level {level}", "slug": f"level-{level}", "kind": "site"}
        if parent:
            body["parent_id"] = parent
        response = api.post("/api/v1/places/", body, format="json")
        assert response.status_code == 201, (level, response.content)
        parent = response.json()["id"]
    body = {"name": "Too deep", "slug": "too-deep", "kind": "site", "parent_id": parent}
    response = api.post("/api/v1/places/", body, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in errors(response)} == {"parent_id"}
    assert Place.objects.count() == 30


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("TRACE", "/api/v1/actors/"),
        ("TRACE", "/api/v1/events/export/?format=csv"),
        ("POST", "/api/v1/events/export/?format=csv"),
        ("TRACE", "/api/v1/actors/isis/network/"),
        ("TRACE", "/api/v1/"),
        ("TRACE", "/api/ucdp/gedevents/current"),
        ("POST", "/api/ucdp/gedevents/current"),
        ("TRACE", "/api/acled/acled/read"),
        ("DELETE", "/api/acled/deleted/read"),
    ],
)
@pytest.mark.parametrize("persona", ["anonymous", "curator"])
def test_a_method_a_route_does_not_serve_is_a_405(method, url, persona, request):
    """Whoever asks (a signed-in curator's TRACE to a read-only view was a 500)."""
    client = APIClient()
    if persona == "curator":
        client.force_authenticate(request.getfixturevalue("curator"))
    response = client.generic(method, url)
    assert response.status_code == 405
    assert errors(response)[0]["code"] == "method_not_allowed"
