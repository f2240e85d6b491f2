"""The pictures on records' pages (issue 16, item 4): an actor's affiliation network as it
stood on a day, and the place of an event or a place on a map over vendored outlines."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from conflictapi.env import env_tile_url
from tests.admin.test_admin import admin_url
from tests.factories import ActorFactory, AffiliationFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def page(client, obj, **params):
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    response = client.get(admin_url(label, "change", obj.pk), params)
    assert response.status_code == 200
    return response.content.decode()


def drawn_ties(html):
    """Each drawn tie: its page's URL -> (kind, status, has an arrowhead, dashed)."""
    ties = {}
    for match in re.finditer(
        r'<a href="([^"]+)" class="tie" data-kind="(\w+)" data-status="(\w+)">(.*?)</a>',
        html,
        re.S,
    ):
        url, kind, status, body = match.groups()
        ties[url] = (kind, status, "marker-end" in body, "stroke-dasharray" in body)
    return ties


def tie_url(tie):
    return admin_url("actors.affiliation", "change", tie.pk)


@pytest.fixture
def nusra_ties():
    nusra = ActorFactory(name="Nusra")
    qaeda, isis, golani, front = (
        ActorFactory(name=n) for n in ("Qaeda", "ISIS", "Golani", "Front")
    )
    return {
        "nusra": nusra,
        "branch": AffiliationFactory(
            subject=nusra, kind="branch_of", object=qaeda, start_date="2012", end_date="2016-07"
        ),
        "rival": AffiliationFactory(subject=nusra, kind="rival_of", object=isis, status="draft"),
        "leader": AffiliationFactory(
            subject=golani, kind="leader_of", object=nusra, start_date="2012-01"
        ),
        "gone": AffiliationFactory(
            subject=nusra,
            kind="allied_with",
            object=front,
            status="retracted",
            retraction_reason="not in the source",
        ),
        # Two ties away: reached at depth 2 only.
        "far": AffiliationFactory(
            subject=ActorFactory(name="Zawahiri"), kind="leader_of", object=qaeda
        ),
    }


def test_an_actors_page_draws_its_ties_with_kind_direction_and_status(client, curator, nusra_ties):
    client.force_login(curator)
    ties = drawn_ties(page(client, nusra_ties["nusra"]))
    assert ties == {
        tie_url(nusra_ties["branch"]): ("branch_of", "published", True, False),
        # rival_of reads both ways: no head; a draft: dashed.
        tie_url(nusra_ties["rival"]): ("rival_of", "draft", False, True),
        tie_url(nusra_ties["leader"]): ("leader_of", "published", True, False),
    }


def test_the_network_is_drawn_as_it_stood_on_the_day_asked(client, curator, nusra_ties):
    client.force_login(curator)
    html = page(client, nusra_ties["nusra"], network_as_of="2017-01-01")
    assert set(drawn_ties(html)) == {tie_url(nusra_ties["rival"]), tie_url(nusra_ties["leader"])}
    assert "Affiliation network on 1 January 2017" in html
    before = drawn_ties(page(client, nusra_ties["nusra"], network_as_of="2011-06-01"))
    # The undated tie (rival) is open at both ends; the others began after.
    assert set(before) == {tie_url(nusra_ties["rival"])}


def test_two_ties_deep_reaches_the_neighbours_neighbours(client, curator, nusra_ties):
    client.force_login(curator)
    assert tie_url(nusra_ties["far"]) not in drawn_ties(page(client, nusra_ties["nusra"]))
    deep = drawn_ties(page(client, nusra_ties["nusra"], network_depth="2"))
    assert tie_url(nusra_ties["far"]) in deep


def test_a_day_that_is_not_a_date_is_named_and_every_tie_drawn(client, curator, nusra_ties):
    client.force_login(curator)
    html = page(client, nusra_ties["nusra"], network_as_of="2016-02-30")
    assert "“2016-02-30” is not a date: give it as YYYY-MM-DD." in html
    assert len(drawn_ties(html)) == 3


def test_an_actor_without_ties_says_so(client, curator):
    client.force_login(curator)
    html = page(client, ActorFactory())
    assert 'id="network-empty"' in html and 'class="network-svg"' not in html


def test_the_network_costs_the_same_queries_for_few_ties_or_many(client, curator):
    client.force_login(curator)

    def queries(n):
        centre = ActorFactory()
        for _ in range(n):
            AffiliationFactory(subject=centre, kind="supports", object=ActorFactory())
        with CaptureQueriesContext(connection) as captured:
            html = page(client, centre, network_depth="2")
        assert len(drawn_ties(html)) == n
        return len(captured)

    assert queries(3) == queries(30)


def map_data(html):
    match = re.search(r'<div class="place-map-canvas"(.*?)></div>', html, re.S)
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', match.group(1))) if match else None


def test_a_places_page_maps_it_over_its_countrys_divisions(client, curator):
    client.force_login(curator)
    town = PlaceFactory(name="Maarshorin", country="SY", latitude="35.594", longitude="36.737")
    data = map_data(page(client, town))
    assert (data["latitude"], data["longitude"], data["name"]) == ("35.594", "36.737", "Maarshorin")
    assert data["countries-url"].endswith("/conflictapi/vendor/outlines/countries-50m.json")
    assert data["admin1-url"].endswith("/conflictapi/vendor/outlines/admin1/SY.json")
    assert data["tile-url"] == ""  # no tile server unless one is set


def test_a_place_without_coordinates_is_shown_where_the_place_it_lies_in_is(client, curator):
    client.force_login(curator)
    governorate = PlaceFactory(name="Idlib", kind="admin1", latitude="35.75", longitude="36.6")
    village = PlaceFactory(name="Somewhere", parent=governorate, latitude=None, longitude=None)
    html = page(client, village)
    assert map_data(html)["name"] == "Idlib"
    assert "Somewhere has no coordinates of its own: shown at those of Idlib" in html
    lost = PlaceFactory(name="Nowhere", latitude=None, longitude=None)
    assert map_data(page(client, lost)) is None


def test_an_events_page_maps_its_place(client, curator):
    client.force_login(curator)
    place = PlaceFactory(name="Kafr Ruma", country="SY", latitude="35.626", longitude="36.611")
    assert map_data(page(client, EventFactory(place=place)))["name"] == "Kafr Ruma"
    assert map_data(page(client, EventFactory(place=None))) is None


def test_a_country_without_vendored_divisions_is_drawn_with_countries_only(client, curator):
    client.force_login(curator)
    place = PlaceFactory(country="XK", latitude="42.6", longitude="20.9")  # Kosovo: none
    html = page(client, place)
    assert map_data(html)["admin1-url"] == ""
    assert "countries only" in html


@override_settings(
    MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    MAP_TILE_ATTRIBUTION="© Example",
)
def test_a_tile_server_is_drawn_beneath_where_one_is_set(client, curator):
    client.force_login(curator)
    data = map_data(page(client, PlaceFactory(latitude="35.6", longitude="36.7")))
    assert data["tile-url"] == "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    assert data["tile-attribution"] == "© Example"


@pytest.mark.parametrize(
    "value, origin",
    [
        (None, None),
        ("https://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
    ],
)
def test_the_tile_servers_origin_is_what_the_policy_allows(monkeypatch, value, origin):
    if value is None:
        monkeypatch.delenv("MAP_TILE_URL", raising=False)
    else:
        monkeypatch.setenv("MAP_TILE_URL", value)
    assert env_tile_url("MAP_TILE_URL") == (value, origin)


@pytest.mark.parametrize(
    "value",
    [
        "tile.example.org/{z}/{x}/{y}.png",  # no scheme
        "ftp://tile.example.org/{z}/{x}/{y}.png",
        "https://tile.example.org/tiles.png",  # no {z}/{x}/{y}
        "https://{s}.{s}.example.org/{z}/{x}/{y}.png",
    ],
)
def test_a_tile_url_that_is_not_one_stops_start_up_naming_it(monkeypatch, value):
    monkeypatch.setenv("MAP_TILE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
        env_tile_url("MAP_TILE_URL")


def test_a_hub_draws_its_first_actors_by_name_and_says_how_many_it_left_out(
    client, curator, monkeypatch
):
    monkeypatch.setattr("actors.pictures.MAX_ACTORS", 4)
    hub = ActorFactory(name="Hub")
    for name in ("E", "B", "D", "A", "C"):
        AffiliationFactory(subject=ActorFactory(name=name), kind="member_of", object=hub)
    client.force_login(curator)
    html = page(client, hub)
    drawn = re.findall(r'data-depth="1">\s*<title>(\w) \(', html)
    assert drawn == ["A", "B", "C"]
    assert len(drawn_ties(html)) == 3
    assert "2 more actors not drawn" in html
