"""The UCDP-compatible API, /api/ucdp/gedevents/current: a UCDP client's paging loop,
the type-of-violence coding, UCDP's parameters, the visibility policy through UCDP's
token header, and agreement of a GED row with the event's /api/v1/ detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from events.models import EventIdentifier
from interop.ucdp import date_prec, priogrid_gid
from tests.api.helpers_personas import fresh_throttle_counts  # noqa: F401
from tests.factories import (
    ActorFactory,
    ActorIdentifierFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

GED = reverse("ucdp-api:gedevents", args=["current"])


def ged(client=None, **params):
    response = (client or APIClient()).get(GED, params)
    assert response.status_code == 200, response.content
    return response.json()


def ucdp_id(event):
    return int(EventIdentifier.objects.get(event=event, scheme="ucdp").value)


def violent_event(*actors, type_slug="armed-clash", roles=None, **kwargs):
    """An event of the type with the actors taking part (initiator, then targets)."""
    event = EventFactory(event_type=event_type(type_slug), **kwargs)
    for i, actor in enumerate(actors):
        role = (roles or {}).get(i, "initiator" if i == 0 else "target")
        EventParticipantFactory(event=event, actor=actor, role=role)
    return event


@pytest.fixture
def world():
    syria = PlaceFactory(name="Syria", kind="country", country="SY", latitude=35, longitude=38)
    idlib = PlaceFactory(
        name="Idlib Governorate", kind="admin1", parent=syria, latitude="35.9", longitude="36.6"
    )
    district = PlaceFactory(
        name="Maarat al-Numan District",
        kind="admin2",
        parent=idlib,
        latitude="35.6",
        longitude="36.7",
    )
    town = PlaceFactory(
        name="Khan al-Subul", kind="town", parent=district, latitude="35.75", longitude="36.68"
    )
    iraq_town = PlaceFactory(
        name="Ramadi", kind="town", country="IQ", latitude=33.4, longitude=43.3
    )
    return {
        "syria": syria,
        "idlib": idlib,
        "town": town,
        "iraq_town": iraq_town,
        "army": ActorFactory(name="Syrian Arab Army", kind="state_force", country="SY"),
        "iraq": ActorFactory(name="Government of Iraq", kind="state", country="IQ"),
        "nusra": ActorFactory(name="Jabhat al-Nusra"),
        "srf": ActorFactory(name="Syrian Revolutionaries Front"),
        "isis": ActorFactory(name="ISIS", kind="armed_group"),
        "press": ActorFactory(name="A news agency", kind="media"),
    }


# -- The paging loop of a UCDP client -------------------------------------------------


def test_a_paging_loop_collects_every_violent_published_event_once(world):
    w = world
    violent = [
        violent_event(w["nusra"], w["srf"], place=w["town"], date=f"2014-11-{day:02d}")
        for day in range(1, 8)
    ]
    violent.append(violent_event(w["army"], w["isis"], type_slug="air-drone-strike"))
    # Two on one day: the order (date, then id) is still total.
    violent.append(violent_event(w["isis"], type_slug="attack", date="2014-11-03"))
    violent_event(w["nusra"], w["srf"], type_slug="peaceful-protest")
    violent_event(w["nusra"], type_slug="statement")
    violent_event(w["nusra"], w["srf"], status="draft")
    violent_event(w["nusra"], w["srf"], status="retracted", retraction_reason="duplicate")

    client = APIClient()
    url = f"http://testserver{GED}?pagesize=2"
    seen, pages = [], []
    while url:  # as UCDP's clients loop: until NextPageUrl is empty
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        pages.append(body)
        seen += [row["relid"] for row in body["Result"]]
        url = body["NextPageUrl"]

    assert sorted(seen) == sorted(str(e.pk) for e in violent)
    assert len(seen) == len(set(seen)) == 9
    assert [p["TotalCount"] for p in pages] == [9] * 5
    assert [p["TotalPages"] for p in pages] == [5] * 5
    # Pages count from 0, as UCDP's server numbers them.
    assert pages[0]["PreviousPageUrl"] == ""
    assert pages[0]["NextPageUrl"].endswith("page=1")
    assert pages[1]["PreviousPageUrl"].endswith("page=0")
    assert pages[-1]["NextPageUrl"] == ""
    starts = [row["date_start"] for p in pages for row in p["Result"]]
    assert starts == sorted(starts)


def test_page_numbers_and_sizes(world):
    for _ in range(3):
        violent_event(world["nusra"], world["srf"])
    first = ged(pagesize=2)
    assert len(first["Result"]) == 2
    assert first["NextPageUrl"] == "http://testserver" + GED + "?pagesize=2&page=1"
    assert len(ged(pagesize=2, page=1)["Result"]) == 1
    past = ged(pagesize=2, page=7)
    assert past["Result"] == [] and past["TotalCount"] == 3 and past["NextPageUrl"] == ""
    assert len(ged()["Result"]) == 3  # default page size 100


# -- Type of violence -----------------------------------------------------------------

CASES = [
    # (event type, actors, type_of_violence or None (left out), side_a, side_b)
    ("armed-clash", ("army", "nusra"), 1, "Syrian Arab Army", "Jabhat al-Nusra"),
    # The state is side A even as the target.
    ("armed-clash", ("nusra", "army"), 1, "Syrian Arab Army", "Jabhat al-Nusra"),
    ("armed-clash", ("nusra", "srf"), 2, "Jabhat al-Nusra", "Syrian Revolutionaries Front"),
    ("armed-clash", ("army", "iraq"), 1, "Syrian Arab Army", "Government of Iraq"),
    (
        "shelling-artillery-missile-attack",
        ("isis", "srf"),
        2,
        "ISIS",
        "Syrian Revolutionaries Front",
    ),
    ("air-drone-strike", ("army",), 3, "Syrian Arab Army", "Civilians"),
    ("air-drone-strike", ("army", "press"), 3, "Syrian Arab Army", "Civilians"),
    ("attack", ("isis",), 3, "ISIS", "Civilians"),
    ("abduction-forced-disappearance", ("nusra", "press"), 3, "Jabhat al-Nusra", "Civilians"),
    # Battles need two organised sides; non-violent types are left out.
    ("armed-clash", ("nusra",), None, None, None),
    ("armed-clash", ("nusra", "press"), None, None, None),
    ("attack", ("press",), None, None, None),
    ("peaceful-protest", ("nusra", "army"), None, None, None),
    ("statement", ("army",), None, None, None),
    ("agreement", ("army", "nusra"), None, None, None),
    ("violent-demonstration", ("nusra", "army"), None, None, None),
]


@pytest.mark.parametrize(("slug", "actors", "expected", "side_a", "side_b"), CASES)
def test_type_of_violence(world, slug, actors, expected, side_a, side_b):
    event = violent_event(*(world[a] for a in actors), type_slug=slug)
    rows = ged()["Result"]
    if expected is None:
        assert rows == []
        return
    (row,) = rows
    assert row["relid"] == str(event.pk)
    assert (row["type_of_violence"], row["side_a"], row["side_b"]) == (expected, side_a, side_b)
    assert row["dyad_name"] == f"{side_a} - {side_b}"


def test_a_finer_kind_is_coded_by_its_acled_family(world):
    """Statements are strategic developments: never violence."""
    violent_event(world["army"], world["nusra"], type_slug="statement")
    violent_event(world["army"], world["nusra"], type_slug="government-regains-territory")
    assert [r["type_of_violence"] for r in ged()["Result"]] == [1]


def test_type_of_violence_filter(world):
    w = world
    state = violent_event(w["army"], w["nusra"])
    non_state = violent_event(w["nusra"], w["srf"])
    one_sided = violent_event(w["isis"], type_slug="attack")
    relids = lambda **p: {r["relid"] for r in ged(**p)["Result"]}  # noqa: E731
    assert relids(TypeOfViolence="1") == {str(state.pk)}
    assert relids(TypeOfViolence="2,3") == {str(non_state.pk), str(one_sided.pk)}
    assert relids(typeofviolence="3") == {str(one_sided.pk)}  # names ignore case
    bad = APIClient().get(GED, {"TypeOfViolence": "4"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "TypeOfViolence"


# -- Parameters -----------------------------------------------------------------------


def test_country_takes_gleditsch_ward_numbers(world):
    w = world
    syrian = violent_event(w["nusra"], w["srf"], place=w["town"])
    iraqi = violent_event(w["iraq"], w["isis"], place=w["iraq_town"])
    relids = lambda **p: {r["relid"] for r in ged(**p)["Result"]}  # noqa: E731
    assert relids(Country="652") == {str(syrian.pk)}
    assert relids(Country="645,652") == {str(syrian.pk), str(iraqi.pk)}
    assert relids(Country="760") == set()  # Syria's ISO numeric code is not its GW number
    bad = APIClient().get(GED, {"Country": "SY"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0] == {
        "code": "invalid",
        "detail": "Give whole numbers, comma-separated.",
        "attr": "Country",
    }


def test_start_and_end_dates_match_on_overlap(world):
    october = violent_event(world["nusra"], world["srf"], date="2014-10")
    relids = lambda **p: {r["relid"] for r in ged(**p)["Result"]}  # noqa: E731
    assert relids(StartDate="2014-10-31") == {str(october.pk)}
    assert relids(StartDate="2014-11-01") == set()
    assert relids(EndDate="2014-10-01") == {str(october.pk)}
    assert relids(EndDate="2014-09-30") == set()
    assert relids(StartDate="2014-10-10", EndDate="2014-10-12") == {str(october.pk)}
    assert APIClient().get(GED, {"StartDate": "2014-10"}).status_code == 400


def test_geography_is_a_box_of_two_corners(world):
    w = world
    syrian = violent_event(w["nusra"], w["srf"], place=w["town"])
    violent_event(w["iraq"], w["isis"], place=w["iraq_town"])
    violent_event(w["nusra"], w["srf"])  # no place
    relids = lambda **p: {r["relid"] for r in ged(**p)["Result"]}  # noqa: E731
    assert relids(Geography="35 36,36 37") == {str(syrian.pk)}
    assert relids(Geography="36 37,35 36") == {str(syrian.pk)}  # corners either way
    assert relids(Geography="30 30,31 31") == set()
    for bad in ("35 36", "35,36 37", "95 36,96 37", "a b,c d"):
        response = APIClient().get(GED, {"Geography": bad})
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["attr"] == "Geography"


def test_id_and_actor(world):
    w = world
    first = violent_event(w["nusra"], w["srf"])
    second = violent_event(w["army"], w["isis"])
    ActorIdentifierFactory(actor=w["isis"], scheme="ucdp", value="234")
    relids = lambda **p: {r["relid"] for r in ged(**p)["Result"]}  # noqa: E731
    assert relids(Id=str(ucdp_id(first))) == {str(first.pk)}
    assert relids(Id=f"{ucdp_id(first)},{ucdp_id(second)}") == {str(first.pk), str(second.pk)}
    assert relids(Actor="234") == {str(second.pk)}
    assert relids(Actor="235") == set()
    (row,) = ged(Actor="234")["Result"]
    assert row["id"] == ucdp_id(second)
    assert (row["side_b"], row["side_b_new_id"], row["side_a_new_id"]) == ("ISIS", 234, None)
    assert relids(Dyad="1") == set()  # no UCDP dyad ids are stored


def test_unknown_parameters_and_page_sizes_are_400s(world):
    for params, attr in (
        ({"pagesize": "1001"}, "pagesize"),
        ({"pagesize": "0"}, "pagesize"),
        ({"page": "-1"}, "page"),
        ({"Countries": "652"}, "Countries"),
    ):
        response = APIClient().get(GED, params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["attr"] == attr
    assert ged(pagesize="1000", PAGE="0")["TotalCount"] == 0


def test_a_version_other_than_current_is_a_404(world):
    for version in ("25.1", "24.0.12", "Current"):
        response = APIClient().get(reverse("ucdp-api:gedevents", args=[version]))
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"


# -- Visibility -----------------------------------------------------------------------


def test_drafts_are_seen_only_with_a_curators_token(world, curator):
    w = world
    published = violent_event(w["army"], w["nusra"])
    draft = violent_event(w["army"], w["srf"], status="draft")
    hidden_actor = ActorFactory(name="Unnamed brigade", status="draft")
    with_draft_side = violent_event(w["nusra"], hidden_actor)
    draft_place = PlaceFactory(status="draft", country="SY", latitude=35, longitude=36)
    in_draft_place = violent_event(w["army"], w["isis"], place=draft_place)

    anonymous = {r["relid"]: r for r in ged()["Result"]}
    assert set(anonymous) == {str(published.pk), str(in_draft_place.pk)}
    assert anonymous[str(in_draft_place.pk)]["latitude"] is None
    assert anonymous[str(in_draft_place.pk)]["country_id"] is None
    assert ged(Country="652")["Result"] == []
    assert "Unnamed brigade" not in str(ged())

    _, token = AuthToken.objects.create(curator)
    client = APIClient(HTTP_X_UCDP_ACCESS_TOKEN=token)
    seen = {r["relid"]: r for r in ged(client)["Result"]}
    assert set(seen) == {str(e.pk) for e in (published, draft, with_draft_side, in_draft_place)}
    assert seen[str(with_draft_side.pk)]["side_b"] == "Unnamed brigade"
    assert seen[str(in_draft_place.pk)]["country_id"] == 652

    bad = APIClient(HTTP_X_UCDP_ACCESS_TOKEN="not-a-token").get(GED)
    assert bad.status_code == 401
    assert bad.json()["errors"][0]["code"] == "authentication_failed"


# -- Agreement with /api/v1/ ----------------------------------------------------------


def test_a_ged_row_agrees_with_the_events_detail(world):
    w = world
    event = violent_event(
        w["army"],
        w["nusra"],
        place=w["town"],
        date="2014-11-01/2014-11-02",
        geo_precision=2,
        fatalities_low=3,
        fatalities_best=5,
        fatalities_high=9,
    )
    for outlet_name, title, day in (
        ("The Daily Beast", "Nusra routs the SRF", "2014-11-03"),
        ("Reuters", "Fighting in Idlib", "2014-11-02"),
    ):
        document = DocumentFactory(title=title, published_on=day, outlet__name=outlet_name)
        EventCitationFactory(event=event, document=document)
    hidden = DocumentFactory(title="Hidden report", status="draft")
    EventCitationFactory(event=event, document=hidden)

    (row,) = ged()["Result"]
    detail = APIClient().get(reverse("events-api:event-detail", args=[event.pk])).json()

    assert row["relid"] == detail["id"]
    assert row["id"] == ucdp_id(event)
    assert row["date_start"] == detail["date_start"] == "2014-11-01"
    assert row["date_end"] == detail["date_end"] == "2014-11-02"
    assert row["year"] == 2014
    assert row["date_prec"] == 2
    assert (row["low"], row["best"], row["high"]) == (
        detail["fatalities_low"],
        detail["fatalities_best"],
        detail["fatalities_high"],
    )
    assert row["deaths_unknown"] == detail["fatalities_best"]
    assert row["latitude"] == float(detail["latitude"]) == 35.75
    assert row["longitude"] == float(detail["longitude"]) == 36.68
    assert row["geom_wkt"] == "POINT (36.68 35.75)"
    assert row["priogrid_gid"] == priogrid_gid(35.75, 36.68)
    assert detail["country"] == "SY"
    assert (row["country"], row["country_id"], row["region"]) == ("Syria", 652, "Middle East")
    assert row["where_coordinates"] == detail["place"]["name"]
    assert row["where_description"] == (
        "Khan al-Subul, Maarat al-Numan District, Idlib Governorate, Syria"
    )
    assert (row["adm_1"], row["adm_2"]) == ("Idlib Governorate", "Maarat al-Numan District")
    assert row["where_prec"] == 2  # a town, near it (geo precision 2)
    names = {p["actor"]["name"] for p in detail["participants"]}
    assert {row["side_a"], row["side_b"]} == names
    assert (row["gwnoa"], row["gwnob"]) == ("652", None)
    documents = [c["document"] for c in detail["citations"]]
    assert row["number_of_sources"] == len(documents) == 2
    assert sorted(row["source_headline"].split("; ")) == sorted(d["title"] for d in documents)
    assert row["source_article"] == (
        'Reuters, 2014-11-02, "Fighting in Idlib"; '
        'The Daily Beast, 2014-11-03, "Nusra routs the SRF"'
    )
    assert row["source_office"] == "Reuters; The Daily Beast"
    assert row["source_date"] == "2014-11-02; 2014-11-03"


def test_precision_codes():
    import datetime

    day = datetime.date(2014, 11, 1)
    assert [date_prec(day, day + datetime.timedelta(days=n)) for n in (0, 1, 5, 6, 20, 30, 31)] == [
        1,
        2,
        2,
        3,
        4,
        4,
        5,
    ]
    # PRIO-GRID: cell 1 is at the south-west corner; Damascus's cell.
    assert priogrid_gid(-89.9, -179.9) == 1
    assert priogrid_gid(33.51, 36.29) == 247 * 720 + 432 + 1


# -- Query counts ---------------------------------------------------------------------


def test_queries_do_not_grow_with_the_page(world):
    w = world

    def make(n):
        for i in range(n):
            event = violent_event(w["army"], w["nusra"], w["srf"], place=w["town"])
            EventCitationFactory(event=event, document=DocumentFactory(title=f"R{i}"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            ged(pagesize=1000)
        return len(queries)

    make(2)
    few = count()
    make(25)
    assert count() == few
