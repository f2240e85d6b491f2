"""The synthetic-data generator: deterministic, internally consistent, refuses bad input."""

import hashlib
import math
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from conflictapi.generation import generation
from conflictapi.partialdates import parse
from conflictapi.text import normalize_name
from dataload import synthetic
from events.models import (
    OWN_UCDP_START,
    Event,
    EventCitation,
    EventIdentifier,
    EventParticipant,
    Place,
)
from sources.models import Document, Outlet
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SMALL = {"events": 300, "actors": 50, "seed": 7}


def generate(**options):
    out = StringIO()
    call_command("generate_synthetic", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


# Selected columns of every table the generator writes; the event type by slug, as its
# id belongs to the database's own vocabulary.
DIGEST_COLUMNS = {
    Outlet: ("id", "created_at", "name", "slug", "kind", "country", "url", "reliability"),
    Document: ("id", "outlet_id", "title", "authors", "published_on", "url", "language"),
    Place: ("id", "slug", "kind", "parent_id", "path", "country", "latitude", "longitude"),
    Actor: ("id", "updated_at", "name", "slug", "kind", "country", "founded", "status"),
    ActorName: ("id", "actor_id", "name", "kind", "language", "normalized"),
    ActorIdentifier: ("id", "actor_id", "scheme", "value"),
    ActorCitation: ("id", "actor_id", "document_id", "quote", "credibility"),
    Affiliation: ("id", "subject_id", "kind", "object_id", "start_date", "end_date"),
    AffiliationCitation: ("id", "affiliation_id", "document_id", "quote"),
    Event: (
        *("id", "created_at", "title", "event_type__slug", "date", "date_start"),
        *("place_id", "geo_precision", "fatalities_best", "summary", "status", "version"),
    ),
    EventParticipant: ("id", "event_id", "actor_id", "role"),
    EventCitation: ("id", "event_id", "document_id", "quote", "locator", "credibility"),
}


def digest():
    h = hashlib.sha256()
    for model, columns in DIGEST_COLUMNS.items():
        rows = list(model.objects.order_by("id").values_list(*columns))
        h.update(f"{model.__name__}:{len(rows)}:{rows!r}".encode())
    return h.hexdigest()


class Rollback(Exception):
    pass


def digest_of_run(**options):
    """Generate into the test database, take the digest and the ids, and roll back:
    the next run starts from the same empty database."""
    result = {}
    with pytest.raises(Rollback), transaction.atomic():
        generate(**options)
        result["digest"] = digest()
        result["ids"] = set(Event.objects.values_list("id", flat=True))
        result["ids"] |= set(Actor.objects.values_list("id", flat=True))
        raise Rollback
    return result


def test_same_seed_same_rows_whatever_the_batch_size():
    first = digest_of_run(batch_size=5000)
    second = digest_of_run(batch_size=37)
    assert first["digest"] == second["digest"]
    assert first["ids"] == second["ids"]
    assert len(first["ids"]) == SMALL["events"] + SMALL["actors"]


def test_different_seeds_give_disjoint_rows():
    first = digest_of_run(seed=7)
    other = digest_of_run(seed=8)
    assert first["digest"] != other["digest"]
    assert not first["ids"] & other["ids"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_and_bulk_create_write_the_same_rows():
    assert digest_of_run(method="copy")["digest"] == digest_of_run(method="bulk")["digest"]


def test_counts_and_derived_fields():
    output = generate()
    assert "rows/s" in output
    assert Event.objects.count() == 300
    assert Actor.objects.count() == 50
    assert ActorName.objects.count() == 250  # default: 5 per actor
    assert Place.objects.count() == 30  # default floor
    assert Document.objects.count() == 20 and Outlet.objects.count() == 10
    assert Affiliation.objects.count() == 10

    for model in DIGEST_COLUMNS:
        assert set(model.objects.values_list("version", flat=True)) == {1}, model

    # The text `q` reads, derived by the database whichever way the rows went in.
    for title, summary, search in Event.objects.values_list("title", "summary", "search"):
        assert search == f"{title}\n{summary}".upper(), title

    # Partial dates: bounds and precision as save() derives them.
    precisions = Counter()
    for text, start, end, precision in Event.objects.values_list(
        "date", "date_start", "date_end", "date_precision"
    ):
        bounds = parse(text)
        assert (bounds.start, bounds.end, bounds.precision) == (start, end, precision), text
        precisions["approximate" if text.endswith("~") else precision] += 1
    assert precisions["day"] > 150 and precisions["month"] > 15 and precisions["range"] > 0
    assert precisions["year"] > 0 and precisions["approximate"] > 0
    for actor in Actor.objects.all():
        for name in actor.PARTIAL_DATES:
            text = getattr(actor, name)
            if text:
                bounds = parse(text)
                assert getattr(actor, f"{name}_start") == bounds.start
                assert getattr(actor, f"{name}_end") == bounds.end
                assert getattr(actor, f"{name}_precision") == bounds.precision
    for aff in Affiliation.objects.all():
        bounds = parse(aff.start_date)
        assert (aff.start_date_start, aff.start_date_end) == (bounds.start, bounds.end)
        assert aff.start_date_precision == bounds.precision
        if aff.end_date:
            assert aff.end_date_end >= aff.start_date_start
        assert aff.subject_id != aff.object_id

    # Names: the search keys save() would set.
    for actor in Actor.objects.all():
        assert actor.name_normalized == normalize_name(actor.name)
        assert actor.slug.startswith("syn-7-")
    for alias in ActorName.objects.all():
        assert alias.normalized == normalize_name(alias.name)
    # The consonant skeletons, where the models keep them.
    for model, target in ((Actor, "name_skeleton"), (ActorName, "skeleton")):
        if synthetic.has_field(model, target):
            for row in model.objects.all():
                assert getattr(row, target) == synthetic.skeleton(row.name)


def test_place_tree():
    generate(places=200, events=300)
    places = {p.pk: p for p in Place.objects.all()}
    kinds = Counter(p.kind for p in places.values())
    assert kinds["country"] == 20 and kinds["admin1"] == 20 and kinds["town"] == 160
    boxes = {c[0]: c for c in synthetic.COUNTRIES}
    admin1_per_country = Counter(p.parent_id for p in places.values() if p.kind == "admin1")
    for place in places.values():
        parent = places.get(place.parent_id)
        expected = (parent.path if parent else "") + place.pk.hex + "/"
        assert place.path == expected
        assert (place.kind == "country") == (parent is None)
        if parent:
            assert place.country == parent.country
            assert parent.kind == {"admin1": "country", "town": "admin1"}[place.kind]
        _code, _n, _ar, _adj, lat, lon, dlat, dlon, *_ = boxes[place.country]
        if place.kind == "admin1":
            assert abs(float(place.latitude) - lat) <= dlat + 1e-6
            assert abs(float(place.longitude) - lon) <= dlon + 1e-6
        if place.kind == "town":
            # Within the admin1's box, which splits its country's box between admin1s.
            k = math.sqrt(admin1_per_country[parent.parent_id])
            assert abs(place.latitude - parent.latitude) <= 0.8 * dlat / k + 1e-6
            assert abs(place.longitude - parent.longitude) <= 0.8 * dlon / k + 1e-6
    # Every event carries its place's path, which the place filter reads.
    for event in Event.objects.all():
        assert event.place_path == (places[event.place_id].path if event.place_id else "")
    # Descendant queries by path prefix find the towns of a country.
    country = next(p for p in places.values() if p.kind == "country")
    below = country.descendants(include_self=False)
    assert below.exists() and all(p.country == country.country for p in below)


def test_events_participants_and_citations():
    generate()
    per_event = Counter(EventParticipant.objects.values_list("event_id", flat=True))
    assert set(per_event.values()) <= {1, 2, 3, 4} and len(per_event) == 300
    assert len(set(per_event.values())) > 2
    triples = list(EventParticipant.objects.values_list("event_id", "actor_id", "role"))
    assert len(triples) == len(set(triples))
    cites = Counter(EventCitation.objects.values_list("event_id", flat=True))
    assert set(cites.values()) <= {1, 2, 3} and len(cites) == 300
    assert not EventCitation.objects.filter(quote="").exists()

    events = list(Event.objects.all())
    for e in events:
        low, best, high = e.fatalities_low, e.fatalities_best, e.fatalities_high
        known = [v for v in (low, best, high) if v is not None]
        assert known == sorted(known), (low, best, high)
        assert e.title and e.summary
        assert (e.place_id is None) == (e.geo_precision is None)
        if e.status == "retracted":
            assert e.retraction_reason
    assert sum(e.place_id is not None for e in events) > 0.8 * len(events)
    statuses = Counter(e.status for e in events)
    assert statuses["published"] > 0.85 * len(events)
    assert sum(1 for e in events if e.fatalities_best is None) > 0
    assert sum(1 for e in events if e.fatalities_best == 0) > 0
    assert max(e.fatalities_best or 0 for e in events) >= 10
    assert Event.objects.filter(event_type__parent__isnull=False).count() > 0.9 * len(events)

    # Heavy-tailed activity: the busiest actor is in far more events than the typical one.
    counts = sorted(Actor.objects.annotate(n=Count("participations")).values_list("n", flat=True))
    assert counts[-1] >= 5 * max(1, counts[len(counts) // 2])


def test_name_families_and_arabic_script():
    generate()
    names = {}
    for actor_id, name in ActorName.objects.values_list("actor_id", "name"):
        names.setdefault(actor_id, set()).add(name)
    nusra = next(a for a in Actor.objects.all() if a.name == "Jabhat al-Nusra")
    spellings = names[nusra.pk]
    assert {"Jabhat al-Nosra", "Jabhat al Nusra", "Jabhat Nusra", "Jabhat-al-Nusra"} <= spellings
    assert {"جبهة النصرة", "جبهة نصرة", "النصرة", "نصرة"} <= spellings
    assert "Jabhat al-Nuṣra" in spellings and "al-Nusra" in spellings
    qaeda = next(a for a in Actor.objects.all() if a.name.endswith("al-Qaeda"))
    prefix = qaeda.name.removesuffix(" al-Qaeda")
    assert {f"{prefix} al-Qaida", f"{prefix} al-Qa'ida", "القاعدة"} <= names[qaeda.pk]
    # The normalized forms meet: "Jabhat al Nusra" and "Jabhat-al-Nusra".
    assert ActorName.objects.filter(actor=nusra, normalized="jabhat al nusra").count() >= 2
    assert ActorIdentifier.objects.exists() and ActorCitation.objects.exists()
    assert AffiliationCitation.objects.exists()


def test_appends_with_another_seed_and_refuses_the_same_seed_twice():
    generate(seed=7)
    generate(seed=8)
    assert Event.objects.count() == 600
    assert Actor.objects.filter(slug__startswith="syn-8-").count() == 50
    with pytest.raises(CommandError, match="already been generated"):
        generate(seed=7)
    assert Event.objects.count() == 600


def test_default_sizes_scale_to_the_target():
    plan = synthetic.Plan(events=1_000_000, actors=20_000, seed=1).resolve()
    assert (plan.aliases, plan.places, plan.documents, plan.outlets) == (
        100_000,
        50_000,
        20_000,
        200,
    )
    assert 2000 <= plan.affiliations <= 10_000


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"events": -1}, "--events"),
        ({"actors": -5}, "--actors"),
        ({"seed": -1}, "--seed"),
        ({"actors": 0}, "--actors"),
        ({"events": 0, "actors": 0, "aliases": 3}, "--actors"),
        ({"places": -1}, "--places"),
        ({"aliases": -1}, "--aliases"),
        ({"batch_size": 0}, "--batch-size"),
        ({"documents": 0}, "--documents"),
        ({"outlets": 0}, "--outlets"),
        ({"actors": 1, "affiliations": 3}, "--actors"),
    ],
)
def test_bad_arguments_are_refused(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not Event.objects.exists() and not Actor.objects.exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="COPY works on PostgreSQL")
def test_copy_needs_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        generate(method="copy")


def test_nothing_to_do():
    generate(events=0, actors=0)
    assert not Actor.objects.exists() and not Place.objects.exists()


def test_a_generated_load_replaces_the_data_generation():
    """Rows written without save() must not leave cached list counts standing."""
    before = generation()
    generate()
    assert generation() != before


def test_every_event_gets_an_acled_and_a_ucdp_id_of_our_own():
    generate()
    ids = list(EventIdentifier.objects.values_list("event_id", "scheme", "value"))
    assert len(ids) == 2 * 300
    assert {(e, s) for e, s, _v in ids} == {
        (e, s) for e in Event.objects.values_list("id", flat=True) for s in ("acled", "ucdp")
    }
    assert all(v.startswith("CDA-") for _e, s, v in ids if s == "acled")
    assert all(int(v) >= OWN_UCDP_START for _e, s, v in ids if s == "ucdp")
    # The block was reserved: an event made afterwards collides with none.
    later = EventFactory()
    assert not {v for _e, _s, v in ids} & set(later.identifiers.values_list("value", flat=True))
