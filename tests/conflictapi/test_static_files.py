"""Static files as the admin's pages load them: through the whole middleware stack
(WhiteNoise marks them "Access-Control-Allow-Origin: *"), from the vendored assets."""

import json

import pytest
from django.test import Client, override_settings


@pytest.fixture
def static_client():
    # WhiteNoise reads its settings when the stack is built: a new client builds it.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        yield Client()


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("headers", [{}, {"origin": "https://elsewhere.example"}])
def test_a_static_file_is_served_with_or_without_an_origin(static_client, headers):
    response = static_client.get("/static/admin/js/nav_sidebar.js", headers=headers)
    assert response.status_code == 200
    assert b"sidebar" in body(response)


def test_the_maps_outlines_are_served_as_the_page_reads_them(static_client):
    """place-map.js reads `countries` from the world's outlines and `admin1` from a
    country's divisions (assets/build.py writes both)."""
    world = json.loads(
        body(static_client.get("/static/conflictapi/vendor/outlines/countries-50m.json"))
    )
    names = {g["properties"]["name"] for g in world["objects"]["countries"]["geometries"]}
    assert {"Syria", "Turkey", "Iraq"} <= names
    syria = json.loads(
        body(static_client.get("/static/conflictapi/vendor/outlines/admin1/SY.json"))
    )
    divisions = {g["properties"]["name"] for g in syria["objects"]["admin1"]["geometries"]}
    assert {"Idlib", "Aleppo", "Damascus"} <= divisions
    for asset in ("leaflet/leaflet.js", "leaflet/leaflet.css", "topojson-client.min.js"):
        assert static_client.get(f"/static/conflictapi/vendor/{asset}").status_code == 200


def test_the_favicon_browsers_ask_for_is_there(static_client):
    response = static_client.get("/favicon.ico")
    assert response.status_code == 302
    icon = static_client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in body(icon)
