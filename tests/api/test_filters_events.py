"""Place, event-type and event filters: each filter against rows that differ only in the
filtered field, directly on the FilterSet and through the URL; the actor's nested events
endpoint."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from events.filters import EventFilterSet, EventTypeFilterSet, PlaceFilterSet
from events.models import Event, EventType, Place
from tests.api.filtering import (
    anonymous_request,
    as_query,
    assert_invalid,
    filtered,
    ids,
    listed,
)
from tests.factories import (
    ActorFactory,
    ActorNameFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    OutletFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

EVENTS = "events-api:event-list"
EVENT_TYPES = "events-api:eventtype-list"
PLACES = "events-api:place-list"


def check(api, filterset_class, name, params, want):
    assert filtered(filterset_class, params) == set(want)
    assert set(listed(api, reverse(name), params)) == ids(*want)


# Places


@pytest.fixture
def places():
    """Syria > Idlib > Maarat al-Numan; Syria > Aleppo governorate > Aleppo; Iraq > Mosul."""
    syria = PlaceFactory(name="Syria", slug="syria", kind="country", country="SY")
    idlib = PlaceFactory(name="Idlib", slug="idlib", kind="admin1", parent=syria)
    maarat = PlaceFactory(
        name="Maarat al-Numan",
        slug="maarat-al-numan",
        parent=idlib,
        latitude="35.643600",
        longitude="36.670000",
    )
    aleppo_gov = PlaceFactory(
        name="Aleppo Governorate", slug="aleppo-governorate", kind="admin1", parent=syria
    )
    aleppo = PlaceFactory(
        name="Aleppo",
        slug="aleppo",
        parent=aleppo_gov,
        latitude="36.202100",
        longitude="37.134300",
        alternate_names=["حلب", "Halab"],
    )
    iraq = PlaceFactory(name="Iraq", slug="iraq", kind="country", country="IQ")
    mosul = PlaceFactory(
        name="Mosul",
        slug="mosul",
        parent=iraq,
        country="IQ",
        latitude="36.340000",
        longitude="43.130000",
    )
    return {
        "syria": syria,
        "idlib": idlib,
        "maarat": maarat,
        "aleppo_gov": aleppo_gov,
        "aleppo": aleppo,
        "iraq": iraq,
        "mosul": mosul,
    }


def check_places(api, places, params, expected):
    check(api, PlaceFilterSet, PLACES, params, {places[key] for key in expected})


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("idlib", {"idlib"}),
        ("ALEPPO", {"aleppo_gov", "aleppo"}),
        ("numan", {"maarat"}),
        ("Ma'arat al-Nu'man", {"maarat"}),  # apostrophes and hyphens as spaces
        ("aleppo-gov", {"aleppo_gov"}),
        ("halab", {"aleppo"}),  # an alternate name
        ("nothing like it", set()),
    ],
)
def test_place_q(api, places, q, expected):
    check_places(api, places, {"q": q}, expected)


def test_place_q_matches_arabic_alternate_names(api, places):
    """Alternate names are "other spellings, e.g. Arabic script"; matched through their
    search keys (Place.search_names), not the JSON column, which SQLite keeps
    \\u-escaped."""
    check_places(api, places, {"q": "حلب"}, {"aleppo"})


@pytest.mark.parametrize("q", ["Idlib", "IDLEB", "idleb", "إدلب", "ادلب", "إِدْلِب"])
def test_place_q_finds_a_place_by_any_name_in_any_spelling(api, q):
    """As `place=` and the actors' `q`: case, alef forms and Arabic diacritics fold."""
    governorate = PlaceFactory(
        name="Idlib Governorate", kind="admin1", alternate_names=["Idleb", "إدلب"]
    )
    PlaceFactory(name="Aleppo", alternate_names=["حلب", "Halab"])
    check(api, PlaceFilterSet, PLACES, {"q": q}, {governorate})


def test_place_q_ranks_as_the_actor_search(api):
    """A name spelled as asked first, then names that start so, then names that contain
    it; by name within each. `ordering` overrides the rank."""
    governorate = PlaceFactory(
        name="Idlib Governorate", kind="admin1", alternate_names=["محافظة إدلب"]
    )
    city = PlaceFactory(name="Idlib", parent=governorate, alternate_names=["إدلب"])
    countryside = PlaceFactory(name="Countryside of Idlib", kind="region")
    PlaceFactory(name="Aleppo")
    url = reverse(PLACES)
    assert listed(api, url, {"q": "IDLIB"}) == ids_in_order(city, governorate, countryside)
    assert listed(api, url, {"q": "إدلب"}) == ids_in_order(city, governorate)
    assert listed(api, url, {"q": "idlib", "ordering": "-name"}) == ids_in_order(
        governorate, city, countryside
    )


def ids_in_order(*records):
    return [str(record.pk) for record in records]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["town"], {"maarat", "aleppo", "mosul"}),
        (["country", "admin1"], {"syria", "iraq", "idlib", "aleppo_gov"}),
        (["crossing"], set()),
    ],
)
def test_place_kind(api, places, kinds, expected):
    check_places(api, places, {"kind": kinds}, expected)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("syria", {"syria", "idlib", "maarat", "aleppo_gov", "aleppo"}),
        ("idlib", {"idlib", "maarat"}),
        ("maarat", {"maarat"}),
        ("iraq", {"iraq", "mosul"}),
    ],
)
def test_place_within(api, places, ref, expected):
    check_places(api, places, {"within": places[ref].slug}, expected)
    check_places(api, places, {"within": str(places[ref].pk)}, expected)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("syria", {"idlib", "aleppo_gov"}),  # children only, not grandchildren
        ("idlib", {"maarat"}),
        ("maarat", set()),
    ],
)
def test_place_parent(api, places, ref, expected):
    check_places(api, places, {"parent": places[ref].slug}, expected)
    check_places(api, places, {"parent": str(places[ref].pk)}, expected)


def test_place_within_follows_a_move(api, places):
    places["aleppo"].parent = places["idlib"]
    places["aleppo"].save()
    check_places(api, places, {"within": "idlib"}, {"idlib", "maarat", "aleppo"})
    check_places(api, places, {"within": "aleppo-governorate"}, {"aleppo_gov"})


@pytest.mark.parametrize("code", ["IQ", "iq"])
def test_place_country(api, places, code):
    check_places(api, places, {"country": code}, {"iraq", "mosul"})


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ("36,35,37,36", {"maarat"}),
        ("36.67,35.6436,36.67,35.6436", {"maarat"}),  # edges are inclusive
        ("36,35,38,37", {"maarat", "aleppo"}),
        ("-180,-90,180,90", {"maarat", "aleppo", "mosul"}),  # only places with coordinates
        ("0,0,1,1", set()),
    ],
)
def test_place_bbox(api, places, bbox, expected):
    check_places(api, places, {"bbox": bbox}, expected)


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["a", "b", "c"]),
        ("-name", ["c", "b", "a"]),
        ("kind", ["b", "c", "a"]),
        ("-kind", ["a", "c", "b"]),
    ],
)
def test_place_ordering(api, ordering, expected):
    rows = {
        "a": PlaceFactory(name="Alpha", kind="town"),
        "b": PlaceFactory(name="Bravo", kind="admin1"),
        "c": PlaceFactory(name="Charlie", kind="country"),
    }
    got = listed(api, reverse(PLACES), {"ordering": ordering})
    assert got == [str(rows[key].pk) for key in expected]


@pytest.mark.parametrize("field", ["updated_at", "created_at"])
def test_place_ordering_by_time(api, field):
    old, new = PlaceFactory(name="Zulu"), PlaceFactory(name="Alpha")
    Place.objects.filter(pk=old.pk).update(**{field: timezone.now() - datetime.timedelta(days=3)})
    assert listed(api, reverse(PLACES), {"ordering": field}) == [str(old.pk), str(new.pk)]
    assert listed(api, reverse(PLACES), {"ordering": f"-{field}"}) == [str(new.pk), str(old.pk)]


def test_place_updated_since(api):
    old, recent = PlaceFactory(), PlaceFactory()
    Place.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    check(api, PlaceFilterSet, PLACES, {"updated_since": "2021-01-01T00:00:00Z"}, {recent})


BAD_BBOXES = [
    "36,35,37",  # three numbers
    "36,35,37,36,1",  # five
    "a,b,c,d",  # letters
    "36,35,,36",  # a gap
    "36;35;37;36",
    "-181,35,37,36",  # longitude out of range
    "36,-91,37,36",  # latitude out of range
    "36,35,37,91",
    "37,35,36,36",  # min_lon > max_lon
    "36,36,37,35",  # min_lat > max_lat
    "nan,35,37,36",
    "-inf,-90,inf,90",
    "36,35,37,36\x00",
]


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        *[({"bbox": bbox}, "bbox") for bbox in BAD_BBOXES],
        ({"q": "\x00"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"kind": "village"}, "kind"),
        ({"within": "atlantis"}, "within"),
        ({"within": str(uuid.uuid4())}, "within"),
        ({"parent": "atlantis"}, "parent"),
        ({"country": "S\x00"}, "country"),
        ({"ordering": "latitude"}, "ordering"),
        ({"updated_since": "2024-01-01T25:00:00Z"}, "updated_since"),
        ({"near": "idlib"}, "near"),
    ],
)
def test_place_invalid_values(api, places, params, attr):
    assert_invalid(api.get(reverse(PLACES), params), attr)


# Event types (the seeded vocabulary)

BATTLES = {"armed-clash", "government-regains-territory", "non-state-actor-overtakes-territory"}
FINER_KINDS = {
    "statement",
    "meeting-or-negotiation",
    "funding-or-support-change",
    "alliance-formed",
    "defection",
    "merger-talks",
}


def type_slugs(api, params):
    filterset = EventTypeFilterSet(
        as_query(params), queryset=EventType.objects.all(), request=anonymous_request()
    )
    assert filterset.is_valid(), filterset.errors
    direct = {t.slug for t in filterset.qs}
    response = api.get(reverse(EVENT_TYPES), {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    assert {row["slug"] for row in response.json()["results"]} == direct
    return direct


def test_event_type_parent(api):
    assert type_slugs(api, {"parent": "battles"}) == BATTLES
    battles = EventType.objects.get(slug="battles")
    assert type_slugs(api, {"parent": str(battles.pk)}) == BATTLES
    sub_types = type_slugs(api, {"parent": "strategic-developments"})
    assert {"agreement", "other", *FINER_KINDS} <= sub_types
    assert len(sub_types) == 14
    assert type_slugs(api, {"parent": "armed-clash"}) == set()


def test_event_type_is_acled(api):
    assert type_slugs(api, {"is_acled": "false"}) == FINER_KINDS
    acled = type_slugs(api, {"is_acled": "true"})
    assert len(acled) == 31
    assert not acled & FINER_KINDS


def test_event_type_is_acled_rejects_unknown_values(api):
    """A boolean that is neither true nor false is silently dropped (django-filter's
    NullBooleanField widget maps it to None), so the whole vocabulary comes back."""
    assert_invalid(api.get(reverse(EVENT_TYPES), {"is_acled": "maybe"}), "is_acled")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("clash", {"armed-clash"}),
        ("PROTEST", {"protests", "peaceful-protest", "protest-with-intervention",
                     "excessive-force-against-protesters"}),
        ("merger", {"merger-talks"}),
        ("nothing like it", set()),
    ],
)  # fmt: skip
def test_event_type_q(api, q, expected):
    assert type_slugs(api, {"q": q}) == expected


def test_event_type_ordering(api):
    def names(ordering):
        response = api.get(reverse(EVENT_TYPES), {"page_size": 1000, "ordering": ordering})
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    ascending = names("name")
    assert len(ascending) == 37
    assert ascending == sorted(ascending)
    assert names("-name") == ascending[::-1]


def test_event_type_updated_since(api):
    EventType.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    statement = EventType.objects.get(slug="statement")
    statement.description = "Claims, threats and briefings."
    statement.save()
    assert type_slugs(api, {"updated_since": "2021-01-01T00:00:00Z"}) == {"statement"}


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"parent": "no-such-type"}, "parent"),
        ({"parent": str(uuid.uuid4())}, "parent"),
        ({"q": "\x00"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"ordering": "slug"}, "ordering"),
        ({"updated_since": "never"}, "updated_since"),
        ({"acled": "true"}, "acled"),
    ],
)
def test_event_type_invalid_values(api, params, attr):
    assert_invalid(api.get(reverse(EVENT_TYPES), params), attr)


# Events: dates


@pytest.fixture
def dated():
    return {
        "day": EventFactory(date="2014-11-01"),
        "month": EventFactory(date="2014-11"),
        "year": EventFactory(date="2014"),
        "range": EventFactory(date="2014-10-30/2014-11-02"),
        "later": EventFactory(date="2015-03-01"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2014-11-20"}, {"month", "year", "later"}),
        ({"date_to": "2014-11-05"}, {"day", "month", "year", "range"}),
        ({"date_to": "2014-10-31"}, {"year", "range"}),
        ({"date_to": "2014-10-29"}, {"year"}),
        ({"date_from": "2014-11-02", "date_to": "2014-11-02"}, {"month", "year", "range"}),
        ({"date_from": "2014-11-01", "date_to": "2014-11-01"}, {"day", "month", "year", "range"}),
        ({"date_from": "2014-12-01", "date_to": "2014-12-31"}, {"year"}),
        ({"date_from": "2015-01-01"}, {"later"}),
        ({"date_from": "2015-03-02"}, set()),
    ],
)
def test_event_date_overlap(api, dated, params, expected):
    check(api, EventFilterSet, EVENTS, params, {dated[key] for key in expected})


def test_event_open_ended_date(api):
    ongoing = EventFactory(date="2014-11-01/..")
    check(api, EventFilterSet, EVENTS, {"date_from": "2030-01-01"}, {ongoing})
    check(api, EventFilterSet, EVENTS, {"date_to": "2014-10-31"}, set())


# Events: actor and role


@pytest.fixture
def clashes():
    """e1: a initiates against b; e2: b initiates against c; e3: c is a party alone."""
    a = ActorFactory(name="Alpha Brigade", slug="alpha")
    b = ActorFactory(name="Bravo Front", slug="bravo")
    c = ActorFactory(name="Charlie Army", slug="charlie")
    ActorNameFactory(actor=c, name="Jaysh Charlie")
    e1, e2, e3 = EventFactory(), EventFactory(), EventFactory()
    EventParticipantFactory(event=e1, actor=a, role="initiator")
    EventParticipantFactory(event=e1, actor=b, role="target")
    EventParticipantFactory(event=e2, actor=b, role="initiator")
    EventParticipantFactory(event=e2, actor=c, role="target")
    EventParticipantFactory(event=e3, actor=c, role="party")
    EventFactory()  # nobody named
    return {"a": a, "b": b, "c": c, "e1": e1, "e2": e2, "e3": e3}


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("alpha", {"e1"}),
        ("bravo", {"e1", "e2"}),
        ("Bravo Front", {"e1", "e2"}),  # the name itself
        ("jaysh charlie", {"e2", "e3"}),  # an alias
        ("JAYSH-CHARLIE", {"e2", "e3"}),
    ],
)
def test_event_actor_by_slug_name_or_alias(api, clashes, ref, expected):
    check(api, EventFilterSet, EVENTS, {"actor": ref}, {clashes[key] for key in expected})


def test_event_actor_by_id(api, clashes):
    params = {"actor": str(clashes["c"].pk)}
    check(api, EventFilterSet, EVENTS, params, {clashes["e2"], clashes["e3"]})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "target"}, {"e1", "e2"}),
        ({"role": "party"}, {"e3"}),
        ({"role": ["initiator", "party"]}, {"e1", "e2", "e3"}),
        ({"role": "mediator"}, set()),
        # With an actor, the role is that actor's, not another participant's.
        ({"actor": "bravo", "role": "initiator"}, {"e2"}),
        ({"actor": "bravo", "role": "target"}, {"e1"}),
        ({"actor": "alpha", "role": "target"}, set()),
        ({"actor": "charlie", "role": ["target", "party"]}, {"e2", "e3"}),
        ({"actor": "charlie", "role": "initiator"}, set()),
    ],
)
def test_event_role(api, clashes, params, expected):
    check(api, EventFilterSet, EVENTS, params, {clashes[key] for key in expected})


def test_nested_actor_events(api, clashes):
    url = reverse("events-api:actor-events", args=["bravo"])
    assert set(listed(api, url, {})) == ids(clashes["e1"], clashes["e2"])
    by_id = reverse("events-api:actor-events", args=[clashes["b"].pk])
    assert set(listed(api, by_id, {})) == ids(clashes["e1"], clashes["e2"])
    assert set(listed(api, url, {"date_to": "2014-10-01"})) == set()
    assert api.get(reverse("events-api:actor-events", args=["nobody"])).status_code == 404
    assert_invalid(api.get(url, {"role": "hero"}), "role")


def test_nested_actor_events_role_is_the_actors_own(api, clashes):
    """Under actors/{bravo}/events/, role=target means events where Bravo was the
    target. The view filters by participation and the role filter by any participant,
    separately, so e2 (Bravo initiator, Charlie target) comes back too."""
    url = reverse("events-api:actor-events", args=["bravo"])
    assert set(listed(api, url, {"role": "target"})) == ids(clashes["e1"])


def test_event_actor_filter_does_not_resolve_drafts_for_anonymous(api):
    """An anonymous client cannot see a draft actor, so naming one must answer as for an
    unknown actor (a 400), not with a 200 that reveals the draft exists."""
    draft = ActorFactory(slug="unannounced-group", status="draft")
    EventParticipantFactory(actor=draft)
    assert_invalid(api.get(reverse(EVENTS), {"actor": "unannounced-group"}), "actor")


# Events: event type, place, country, bbox


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("strategic-developments", {"agreement", "statement"}),  # a top-level type: sub-types
        ("battles", {"armed-clash"}),
        ("agreement", {"agreement"}),
        ("statement", {"statement"}),
        ("explosions-remote-violence", {"air-drone-strike"}),
        ("protests", set()),
    ],
)
def test_event_event_type(api, ref, expected):
    rows = {
        slug: EventFactory(event_type=event_type(slug))
        for slug in ("armed-clash", "agreement", "statement", "air-drone-strike")
    }
    want = {rows[slug] for slug in expected}
    check(api, EventFilterSet, EVENTS, {"event_type": ref}, want)
    type_id = str(EventType.objects.get(slug=ref).pk)
    check(api, EventFilterSet, EVENTS, {"event_type": type_id}, want)


@pytest.fixture
def placed(places):
    return {
        "maarat": EventFactory(place=places["maarat"]),
        "idlib": EventFactory(place=places["idlib"]),
        "aleppo": EventFactory(place=places["aleppo"]),
        "mosul": EventFactory(place=places["mosul"]),
        "nowhere": EventFactory(place=None),
    }


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("syria", {"maarat", "idlib", "aleppo"}),  # a town in a governorate in the country
        ("idlib", {"maarat", "idlib"}),
        ("maarat", {"maarat"}),
        ("aleppo_gov", {"aleppo"}),
        ("iraq", {"mosul"}),
    ],
)
def test_event_place_includes_descendants(api, places, placed, ref, expected):
    want = {placed[key] for key in expected}
    check(api, EventFilterSet, EVENTS, {"place": places[ref].slug}, want)
    check(api, EventFilterSet, EVENTS, {"place": str(places[ref].pk)}, want)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("SY", {"maarat", "idlib", "aleppo"}), ("iq", {"mosul"}), ("TR", set())],
)
def test_event_country(api, placed, code, expected):
    check(api, EventFilterSet, EVENTS, {"country": code}, {placed[key] for key in expected})


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ("36,35,37,36", {"maarat"}),
        ("36,35,38,37", {"maarat", "aleppo"}),
        ("-180,-90,180,90", {"maarat", "aleppo", "mosul"}),
        ("0,0,1,1", set()),
    ],
)
def test_event_bbox(api, placed, bbox, expected):
    check(api, EventFilterSet, EVENTS, {"bbox": bbox}, {placed[key] for key in expected})


# Events: fatalities, q, document, outlet


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"fatalities_min": "5"}, {5, 50}),
        ({"fatalities_max": "5"}, {0, 5}),
        ({"fatalities_min": "0"}, {0, 5, 50}),  # unknown counts are not zero
        ({"fatalities_min": "1", "fatalities_max": "49"}, {5}),
        ({"fatalities_min": "5", "fatalities_max": "5"}, {5}),
        ({"fatalities_min": "51"}, set()),
    ],
)
def test_event_fatalities(api, params, expected):
    rows = {n: EventFactory(fatalities_best=n) for n in (0, 5, 50)}
    EventFactory(fatalities_best=None)
    check(api, EventFilterSet, EVENTS, params, {rows[n] for n in expected})


def test_event_fractional_fatalities_min_is_not_truncated(api):
    """fatalities_min=1.5 is "at least 1.5": an event with 1 death must not match. The
    Decimal is truncated to 1 against the integer column. Either refuse fractions (400)
    or round the lower bound up."""
    EventFactory(fatalities_best=1)
    two = EventFactory(fatalities_best=2)
    response = api.get(reverse(EVENTS), {"fatalities_min": "1.5"})
    if response.status_code == 400:
        assert_invalid(response, "fatalities_min")
    else:
        assert set(listed(api, reverse(EVENTS), {"fatalities_min": "1.5"})) == ids(two)


# A summary too long for the stored search column (SEARCH_MAX_BYTES): matched on the
# fields themselves, and still found.
LONG_SUMMARY = "Shelling went on for hours. " * 80 + "Observers counted rockets."


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("truce", {"title"}),
        ("TRUCE", {"title"}),
        ("tow missiles", {"summary"}),
        ("nothing like it", set()),
        # Not across the end of the title and the start of the summary.
        ("clash\nrebels", set()),
        ("clashrebels", set()),
        ("clash rebels", set()),
        # A line break inside one field.
        ("front\nline", {"lines"}),
        ("FRONT\nLINE MOVED", {"lines"}),
        ("rebels\nused", set()),
        # LIKE's wildcards are the characters themselves.
        ("%", {"percent"}),
        ("50%", {"percent"}),
        ("_", set()),
        ("حلب", {"arabic"}),
        ("observers counted", {"long"}),
        ("OBSERVERS", {"long"}),
        ("hours. shelling", {"long"}),
    ],
)
def test_event_q(api, q, expected):
    rows = {
        "title": EventFactory(title="Truce announced", summary=""),
        "summary": EventFactory(title="Clash", summary="Rebels used TOW missiles."),
        "lines": EventFactory(title="Lines", summary="The front\nline moved."),
        "percent": EventFactory(title="50% of the town taken"),
        "arabic": EventFactory(title="اشتباكات في حلب"),
        "long": EventFactory(title="Long report", summary=LONG_SUMMARY),
    }
    check(api, EventFilterSet, EVENTS, {"q": q}, {rows[key] for key in expected})


def test_event_q_stored_text_is_case_folded_and_left_empty_when_too_long(api):
    short = EventFactory(title="Truce announced", summary="Both sides agreed.")
    long = EventFactory(title="Long report", summary=LONG_SUMMARY)
    stored = dict(Event.objects.values_list("pk", "search"))
    assert stored[short.pk] == "TRUCE ANNOUNCED\nBOTH SIDES AGREED."
    assert stored[long.pk] is None


def test_event_q_follows_edits_and_history_reverts(api):
    event = EventFactory(title="Truce announced", summary="")
    event.title = "Ceasefire collapses"
    event.save()
    check(api, EventFilterSet, EVENTS, {"q": "truce"}, set())
    check(api, EventFilterSet, EVENTS, {"q": "ceasefire"}, {event})
    # Bulk writes bypass save(): the database derives the column all the same.
    Event.objects.filter(pk=event.pk).update(summary="Talks resume in Geneva.")
    check(api, EventFilterSet, EVENTS, {"q": "geneva"}, {event})


def test_event_history_holds_what_curators_wrote_not_the_derived_search_text(client, curator):
    event = EventFactory(title="Truce announced", summary="")
    event.title = "Ceasefire collapses"
    event.save()
    first = event.history.earliest()
    assert first.title == "Truce announced"
    assert not hasattr(first, "search")
    # The admin's revert form for the first version opens with what it held.
    client.force_login(curator)
    url = reverse("admin:events_event_simple_history", args=(event.pk, first.history_id))
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["title"] == "Truce announced"


def test_event_document(api):
    report, other = DocumentFactory(), DocumentFactory()
    twice, elsewhere = EventFactory(), EventFactory()
    EventFactory()
    EventCitationFactory(event=twice, document=report)
    EventCitationFactory(event=twice, document=report, quote="again")
    EventCitationFactory(event=elsewhere, document=other)
    check(api, EventFilterSet, EVENTS, {"document": str(report.pk)}, {twice})


def test_event_outlet(api):
    beast = OutletFactory(slug="daily-beast")
    first, second = DocumentFactory(outlet=beast), DocumentFactory(outlet=beast)
    twice, once, elsewhere = EventFactory(), EventFactory(), EventFactory()
    EventFactory()
    EventCitationFactory(event=twice, document=first)
    EventCitationFactory(event=twice, document=second)
    EventCitationFactory(event=once, document=second)
    EventCitationFactory(event=elsewhere)
    for ref in ("daily-beast", str(beast.pk)):
        check(api, EventFilterSet, EVENTS, {"outlet": ref}, {twice, once})


# Events: ordering, updated_since, status


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("date_start", ["a", "b", "c"]),
        ("-date_start", ["c", "b", "a"]),
        ("date_end", ["b", "a", "c"]),
        ("-date_end", ["c", "a", "b"]),
        ("fatalities_best", ["c", "a", "b"]),
        ("-fatalities_best", ["b", "a", "c"]),
        ("title", ["b", "c", "a"]),
        ("-title", ["a", "c", "b"]),
    ],
)
def test_event_ordering(api, ordering, expected):
    rows = {
        "a": EventFactory(date="2014", title="Zulu", fatalities_best=10),
        "b": EventFactory(date="2014-06", title="Alpha", fatalities_best=20),
        "c": EventFactory(date="2015-01-01", title="Mike", fatalities_best=1),
    }
    got = listed(api, reverse(EVENTS), {"ordering": ordering})
    assert got == [str(rows[key].pk) for key in expected]


@pytest.mark.parametrize(
    "ordering",
    [
        ["-fatalities_best", "title"],  # repeated, as generated clients send a list
        ["-fatalities_best,title"],  # comma-separated, as people type it
    ],
)
def test_event_ordering_by_several_keys(api, ordering):
    # The second key decides between the two events the first ties on: none is dropped.
    rows = {
        "a": EventFactory(title="Zulu", fatalities_best=10),
        "b": EventFactory(title="Alpha", fatalities_best=10),
        "c": EventFactory(title="Mike", fatalities_best=20),
    }
    got = listed(api, reverse(EVENTS), {"ordering": ordering})
    assert got == [str(rows[key].pk) for key in ("c", "b", "a")]
    got = listed(api, reverse(EVENTS), {"ordering": ["-fatalities_best", "-title"]})
    assert got == [str(rows[key].pk) for key in ("c", "a", "b")]


@pytest.mark.parametrize("ordering", [["title", "colour"], ["title,colour"]])
def test_event_ordering_by_an_unknown_key_among_several_is_a_400(api, ordering):
    response = api.get(reverse(EVENTS), {"ordering": ordering})
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["ordering"]
    assert "colour" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize("field", ["updated_at", "created_at"])
def test_event_ordering_by_time(api, field):
    old, new = EventFactory(), EventFactory()
    Event.objects.filter(pk=old.pk).update(**{field: timezone.now() - datetime.timedelta(days=3)})
    assert listed(api, reverse(EVENTS), {"ordering": field}) == [str(old.pk), str(new.pk)]
    assert listed(api, reverse(EVENTS), {"ordering": f"-{field}"}) == [str(new.pk), str(old.pk)]


def test_event_updated_since(api):
    old, recent = EventFactory(), EventFactory()
    Event.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    check(api, EventFilterSet, EVENTS, {"updated_since": "2021-01-01T00:00:00Z"}, {recent})


def test_event_status(api, curator):
    published = EventFactory()
    retracted = EventFactory(status="retracted", retraction_reason="duplicate")
    draft = EventFactory(status="draft")
    assert set(listed(api, reverse(EVENTS), {})) == ids(published)
    assert set(listed(api, reverse(EVENTS), {"status": "retracted"})) == ids(retracted)
    assert_invalid(api.get(reverse(EVENTS), {"status": "draft"}), "status")
    api.force_login(curator)
    assert set(listed(api, reverse(EVENTS), {"status": "draft"})) == ids(draft)


# Events: invalid values


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"date_from": "2014-02-30"}, "date_from"),
        ({"date_from": "2014-11"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_to": "2014-11-01\x00"}, "date_to"),
        ({"date_from": "2014-11-02", "date_to": "2014-11-01"}, "date_to"),
        ({"actor": "nobody-at-all"}, "actor"),
        ({"actor": str(uuid.uuid4())}, "actor"),
        ({"actor": "\x00"}, "actor"),
        ({"role": "hero"}, "role"),
        ({"role": ["target", "hero"]}, "role"),
        ({"event_type": "skirmish"}, "event_type"),
        ({"event_type": str(uuid.uuid4())}, "event_type"),
        ({"place": "atlantis"}, "place"),
        ({"place": "\x00"}, "place"),
        ({"outlet": "no-such-outlet"}, "outlet"),
        ({"document": "not-a-uuid"}, "document"),
        ({"document": str(uuid.uuid4())}, "document"),
        ({"fatalities_min": "-1"}, "fatalities_min"),
        ({"fatalities_max": "-5"}, "fatalities_max"),
        ({"fatalities_max": "1000000000000"}, "fatalities_max"),
        ({"fatalities_min": "1e400"}, "fatalities_min"),
        ({"fatalities_min": "9" * 400}, "fatalities_min"),
        ({"fatalities_min": "many"}, "fatalities_min"),
        ({"fatalities_min": "NaN"}, "fatalities_min"),
        ({"fatalities_max": "Infinity"}, "fatalities_max"),
        ({"fatalities_min": "10", "fatalities_max": "5"}, "fatalities_max"),
        ({"q": "\x00"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"country": "\x00"}, "country"),
        ({"ordering": "place"}, "ordering"),
        ({"ordering": "-summary"}, "ordering"),
        ({"updated_since": "2024-01-01T00:00:00+99:00"}, "updated_since"),
        ({"status": "all"}, "status"),
        ({"event_date": "2014-11-01"}, "event_date"),
        ({"actors": "alpha"}, "actors"),
        *[({"bbox": bbox}, "bbox") for bbox in BAD_BBOXES],
    ],
)
def test_event_invalid_values(api, params, attr):
    ActorFactory(slug="alpha")
    EventFactory()
    assert_invalid(api.get(reverse(EVENTS), params), attr)


def test_event_every_unknown_parameter_is_named(api):
    response = api.get(reverse(EVENTS), {"from": "2014-01-01", "to": "2014-12-31"})
    assert_invalid(response, "from")
    assert {error["attr"] for error in response.json()["errors"]} == {"from", "to"}


def test_event_invalid_values_on_the_filterset():
    filterset = EventFilterSet(
        {"role": "hero", "fatalities_min": "-1", "date_from": "someday"},
        queryset=Event.objects.all(),
        request=anonymous_request(),
    )
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"role", "fatalities_min", "date_from"}
