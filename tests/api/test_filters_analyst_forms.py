"""Filters take what analysts type: a country as a code of any kind or an English name,
a place or an event type by any of its names in any spelling, a year; a name several
records share is a 400 that lists them. Every form gives the same rows as the slug or
code it stands for, through the URL, on every list that has the filter."""

import pytest
from django.urls import reverse

from conflictapi.countries import resolve_country
from tests.api.filtering import assert_invalid, ids, listed
from tests.factories import (
    ActorFactory,
    AffiliationFactory,
    EventFactory,
    OutletFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

EVENTS = "events-api:event-list"
PLACES = "events-api:place-list"
EVENT_TYPES = "events-api:eventtype-list"
ACTORS = "actors-api:actor-list"
AFFILIATIONS = "actors-api:affiliation-list"
OUTLETS = "sources-api:outlet-list"


def rows(api, name, params):
    return set(listed(api, reverse(name), params))


# Country


@pytest.fixture
def countries_world():
    syria = PlaceFactory(name="Syria", slug="syria", kind="country", country="SY")
    iraq = PlaceFactory(name="Iraq", slug="iraq", kind="country", country="IQ")
    ivory = PlaceFactory(name="Ivory Coast", slug="ivory-coast", kind="country", country="CI")
    return {
        "events": {
            "SY": EventFactory(place=syria),
            "IQ": EventFactory(place=iraq),
            "CI": EventFactory(place=ivory),
        },
        "places": {"SY": syria, "IQ": iraq, "CI": ivory},
        "actors": {code: ActorFactory(country=code) for code in ("SY", "IQ")},
        "outlets": {code: OutletFactory(country=code) for code in ("SY", "IQ")},
    }


@pytest.mark.parametrize("form", ["SY", "sy", "SYR", "syr", "760", "0760", "Syria", "syria"])
@pytest.mark.parametrize(
    ("name", "kind"),
    [(EVENTS, "events"), (PLACES, "places"), (ACTORS, "actors"), (OUTLETS, "outlets")],
)
def test_country_forms_give_the_alpha2_codes_rows(api, countries_world, form, name, kind):
    want = ids(countries_world[kind]["SY"])
    assert rows(api, name, {"country": "SY"}) == want
    assert rows(api, name, {"country": form}) == want


@pytest.mark.parametrize("form", ["Côte d'Ivoire", "cote divoire", "CIV", "384", "Ivory Coast"])
def test_country_name_ignores_case_and_accents(api, countries_world, form):
    assert rows(api, EVENTS, {"country": form}) == ids(countries_world["events"]["CI"])


def test_country_official_and_short_names():
    assert resolve_country("Syrian Arab Republic") == "SY"
    assert resolve_country("Iran") == "IR"  # "Iran (Islamic Republic of)"
    assert resolve_country("syria") == resolve_country("SYR") == resolve_country("760")


@pytest.mark.parametrize("value", ["Narnia", "XX", "XXX", "999", "652x"])
@pytest.mark.parametrize("name", [EVENTS, PLACES, ACTORS, OUTLETS])
def test_unknown_country_is_a_400_naming_country(api, countries_world, value, name):
    assert_invalid(api.get(reverse(name), {"country": value}), "country")


def test_country_name_two_countries_share_lists_both(api, countries_world):
    response = api.get(reverse(EVENTS), {"country": "Korea"})
    assert_invalid(response, "country")
    error = response.json()["errors"][0]
    assert error["code"] == "ambiguous"
    assert "KP" in error["detail"] and "KR" in error["detail"]


# Place and within


@pytest.fixture
def idlib():
    """Syria > Idlib (Idleb, إدلب) > Saraqib; Syria > Aleppo; a draft place "Qasr
    Hidden"; and two Mayadins, in Syria and in Iraq."""
    syria = PlaceFactory(name="Syria", slug="syria", kind="country")
    idlib = PlaceFactory(
        name="Idlib",
        slug="idlib-governorate",
        kind="admin1",
        parent=syria,
        alternate_names=["Idleb", "إدلب", "Idlib province"],
    )
    saraqib = PlaceFactory(name="Saraqib", slug="saraqib", parent=idlib)
    aleppo = PlaceFactory(name="Aleppo", slug="aleppo", parent=syria)
    deir = PlaceFactory(name="Deir ez-Zor", slug="deir-ez-zor", kind="admin1", parent=syria)
    mayadin_sy = PlaceFactory(name="Mayadin", slug="mayadin", parent=deir)
    anbar = PlaceFactory(name="Anbar", slug="anbar", kind="admin1", country="IQ")
    mayadin_iq = PlaceFactory(
        name="Mayadin",
        slug="mayadin-iraq",
        parent=anbar,
        country="IQ",
        alternate_names=["Mayyadin"],
    )
    hidden = PlaceFactory(name="Qasr Hidden", slug="qasr-hidden", status="draft", parent=syria)
    places = {
        "syria": syria,
        "idlib": idlib,
        "saraqib": saraqib,
        "aleppo": aleppo,
        "deir": deir,
        "mayadin_sy": mayadin_sy,
        "anbar": anbar,
        "mayadin_iq": mayadin_iq,
        "hidden": hidden,
    }
    events = {key: EventFactory(place=place) for key, place in places.items()}
    return places, events


@pytest.mark.parametrize(
    "form",
    ["idlib-governorate", "Idlib", "idlib", "IDLIB", "Idleb", "إدلب", "إِدْلِب", "idlib  province"],
)
def test_place_by_any_name_in_any_spelling(api, idlib, form):
    _places, events = idlib
    want = ids(events["idlib"], events["saraqib"])  # descendants included
    assert rows(api, EVENTS, {"place": "idlib-governorate"}) == want
    assert rows(api, EVENTS, {"place": form}) == want


@pytest.mark.parametrize("form", ["idlib-governorate", "Idleb", "إدلب", "IDLIB"])
def test_within_by_any_name_in_any_spelling(api, idlib, form):
    places, _events = idlib
    assert rows(api, PLACES, {"within": form}) == ids(places["idlib"], places["saraqib"])


def test_parent_by_name(api, idlib):
    places, _events = idlib
    assert rows(api, PLACES, {"parent": "Idleb"}) == ids(places["saraqib"])


def test_place_name_that_matches_nothing_is_a_400(api, idlib):
    assert_invalid(api.get(reverse(EVENTS), {"place": "Atlantis"}), "place")
    assert_invalid(api.get(reverse(PLACES), {"within": "Atlantis"}), "within")


def test_a_draft_places_name_is_unknown_to_anonymous_clients(api, idlib, curator):
    """Visibility: a draft's name answers as a name never entered, for every form."""
    for form in ("Qasr Hidden", "qasr hidden", "qasr-hidden"):
        response = api.get(reverse(EVENTS), {"place": form})
        assert_invalid(response, "place")
        assert "Qasr" not in response.json()["errors"][0]["detail"].replace(form, "")
        assert_invalid(api.get(reverse(PLACES), {"within": form}), "within")
    api.force_login(curator)
    _places, events = idlib
    assert rows(api, EVENTS, {"place": "Qasr Hidden"}) == ids(events["hidden"])


def test_a_name_two_places_share_is_a_400_listing_both(api, idlib):
    for name, param in ((EVENTS, "place"), (PLACES, "within"), (PLACES, "parent")):
        response = api.get(reverse(name), {param: "MAYADIN"})
        assert_invalid(response, param)
        error = next(e for e in response.json()["errors"] if e["attr"] == param)
        assert error["code"] == "ambiguous"
        assert "mayadin (SY, Deir ez-Zor)" in error["detail"]
        assert "mayadin-iraq (IQ, Anbar)" in error["detail"]
    # A slug names one place, as it is written ("mayadin" is the Syrian one's).
    _places, events = idlib
    assert rows(api, EVENTS, {"place": "mayadin"}) == ids(events["mayadin_sy"])
    assert rows(api, EVENTS, {"place": "mayadin-iraq"}) == ids(events["mayadin_iq"])


def test_an_ambiguous_name_does_not_list_a_hidden_candidate(api, idlib):
    places, _events = idlib
    PlaceFactory(name="Mayadin", slug="mayadin-draft", status="draft", parent=places["aleppo"])
    response = api.get(reverse(EVENTS), {"place": "Mayadin"})
    assert_invalid(response, "place")
    assert "mayadin-iraq" in response.json()["errors"][0]["detail"]
    assert "mayadin-draft" not in response.json()["errors"][0]["detail"]


def test_a_name_shared_by_a_place_and_one_inside_it_means_the_outer(api, idlib):
    """A governorate and its capital of the same name: the place filter takes a place
    with everything inside it, so the governorate is what both together mean. The parent
    filter (direct children) has no such reading: a 400."""
    places, events = idlib
    city = PlaceFactory(name="Idlib", slug="idlib-city", parent=places["idlib"])
    in_city = EventFactory(place=city)
    want = ids(events["idlib"], events["saraqib"], in_city)
    assert rows(api, EVENTS, {"place": "Idlib"}) == want
    assert rows(api, EVENTS, {"place": "idlib-city"}) == ids(in_city)
    assert_invalid(api.get(reverse(PLACES), {"parent": "Idlib"}), "parent")


# Event type


@pytest.fixture
def typed_events():
    slugs = ("armed-clash", "government-regains-territory", "air-drone-strike", "agreement")
    return {slug: EventFactory(event_type=event_type(slug)) for slug in slugs}


@pytest.mark.parametrize("form", ["battles", "Battles", "BATTLES"])
def test_event_type_by_name_includes_sub_types(api, typed_events, form):
    want = ids(typed_events["armed-clash"], typed_events["government-regains-territory"])
    assert rows(api, EVENTS, {"event_type": "battles"}) == want
    assert rows(api, EVENTS, {"event_type": form}) == want


@pytest.mark.parametrize("form", ["armed clash", "Armed clash", "ARMED-CLASH", "armed-clash"])
def test_event_type_sub_type_by_name(api, typed_events, form):
    assert rows(api, EVENTS, {"event_type": form}) == ids(typed_events["armed-clash"])


def test_event_type_acled_names_with_slashes(api, typed_events):
    want = ids(typed_events["air-drone-strike"])
    assert rows(api, EVENTS, {"event_type": "Explosions/Remote violence"}) == want
    assert rows(api, EVENTS, {"event_type": "Air/drone strike"}) == want


def test_event_type_parent_by_name(api, typed_events):
    names = {
        row["slug"]
        for row in api.get(reverse(EVENT_TYPES), {"parent": "Battles"}).json()["results"]
    }
    assert names == {
        "armed-clash",
        "government-regains-territory",
        "non-state-actor-overtakes-territory",
    }


def test_event_type_unknown_is_a_400(api, typed_events):
    assert_invalid(api.get(reverse(EVENTS), {"event_type": "Picnics"}), "event_type")


def test_event_type_name_two_types_share_is_a_400_listing_both(api, typed_events):
    """Two sub-types named "Other" under different types."""
    from events.models import EventType

    parent = EventType.objects.get(slug="battles")
    EventType.objects.create(name="Other", slug="battles-other", parent=parent, status="published")
    response = api.get(reverse(EVENTS), {"event_type": "OTHER"})
    assert_invalid(response, "event_type")
    error = response.json()["errors"][0]
    assert error["code"] == "ambiguous"
    assert "battles-other (Battles)" in error["detail"]
    assert "(Strategic developments)" in error["detail"]


# Year


@pytest.fixture
def dated():
    return {
        "straddling": EventFactory(date="2014-12-30/2015-01-02"),
        "mid_2015": EventFactory(date="2015-06"),
        "in_2016": EventFactory(date="2016-03-01"),
        "in_2014": EventFactory(date="2014-02-01"),
    }


def test_year_overlaps_the_events_date_bounds(api, dated):
    assert rows(api, EVENTS, {"year": "2015"}) == ids(dated["straddling"], dated["mid_2015"])
    assert rows(api, EVENTS, {"year": "2016"}) == ids(dated["in_2016"])
    assert rows(api, EVENTS, {"year": "2014"}) == ids(dated["straddling"], dated["in_2014"])


def test_several_years(api, dated):
    assert rows(api, EVENTS, {"year": "2014,2016"}) == ids(
        dated["straddling"], dated["in_2014"], dated["in_2016"]
    )


@pytest.mark.parametrize("value", ["abc", "2015.5", "-2015", "2015,", "0", "१२३४", "20150"])
def test_invalid_year_is_a_400_naming_year(api, dated, value):
    assert_invalid(api.get(reverse(EVENTS), {"year": value}), "year")


def test_year_on_affiliations_and_actors(api):
    a, b = ActorFactory(founded="2012-01"), ActorFactory(founded="2016-05")
    tie = AffiliationFactory(subject=a, object=b, start_date="2014", end_date="2015-02")
    later = AffiliationFactory(subject=b, object=a, start_date="2016-06")
    assert rows(api, AFFILIATIONS, {"year": "2015"}) == ids(tie)
    assert rows(api, AFFILIATIONS, {"year": "2017"}) == ids(later)
    assert rows(api, ACTORS, {"year": "2013"}) == ids(a)
    assert rows(api, ACTORS, {"year": "2016"}) == ids(a, b)
