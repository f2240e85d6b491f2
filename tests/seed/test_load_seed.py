"""The seed loader: complete citations, idempotent loads, all-or-nothing failures."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from dataload.seed import seed_id
from events.models import Event, EventCitation, EventParticipant, Place
from sources.models import Document, Outlet

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
MODELS = [
    Outlet,
    Document,
    Actor,
    ActorName,
    ActorIdentifier,
    ActorCitation,
    Place,
    Affiliation,
    AffiliationCitation,
    Event,
    EventParticipant,
    EventCitation,
]
IDLIB_TOWNS = {
    "maarshorin",
    "maasaran",
    "dadikh",
    "kafr-battikh",
    "kafr-ruma",
    "khan-al-subul",
    "deir-sunbul",
}


def load(path=SEED_DIR):
    call_command("load_seed", path=str(path), stdout=StringIO())


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def state():
    """Every row's id and version, and the number of history rows, per model."""
    return {
        m.__name__: (
            set(m.objects.values_list("pk", "version")),
            m.history.count(),
        )
        for m in MODELS
    }


@pytest.fixture
def seed_copy(tmp_path):
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_load_creates_published_records_with_stable_ids(seeded_db):
    c = counts()
    assert c["Outlet"] >= 5 and c["Document"] == 4
    assert c["Actor"] >= 40 and c["Affiliation"] >= 40 and c["Event"] >= 30
    isis = Actor.objects.get(slug="isis")
    assert isis.pk == seed_id("actors.Actor", "isis")
    for model in (Outlet, Document, Actor, Place, Affiliation, Event):
        assert set(model.objects.values_list("status", flat=True)) == {"published"}


def test_every_published_actor_affiliation_and_event_is_cited(seeded_db):
    for model in (Actor, Affiliation, Event):
        uncited = model.objects.filter(status="published", citations__isnull=True)
        assert not uncited.exists(), f"{model.__name__} without citation: {list(uncited)}"


def test_loading_twice_changes_nothing(seeded_db):
    first = state()
    out = StringIO()
    call_command("load_seed", path=str(SEED_DIR), stdout=out)
    assert state() == first
    assert "created" not in out.getvalue() and "updated" not in out.getvalue()
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_an_edit_updates_only_that_row_and_drops_removed_sub_rows(seed_copy):
    load(seed_copy)
    before = state()
    edit(seed_copy / "actors.yaml", "Metonym (the CIA's headquarters).", "Metonym.")
    edit(
        seed_copy / "actors.yaml",
        '      - {name: "ISI", kind: acronym',
        '      - {name: "ISI-x", kind: acronym',
    )
    load(seed_copy)
    after = state()
    langley = ActorName.objects.get(name="Langley")
    assert langley.note == "Metonym." and langley.version == 2
    assert not ActorName.objects.filter(name="ISI").exists()
    assert ActorName.objects.filter(name="ISI-x").exists()
    for model in ("Outlet", "Document", "Actor", "Affiliation", "Event", "EventCitation"):
        assert after[model] == before[model]
    # A name a curator added in the admin (random uuid4 id) is not the loader's to remove.
    ActorName.objects.create(
        actor=Actor.objects.get(slug="cia"), name="the Agency", kind="nickname"
    )
    load(seed_copy)
    assert ActorName.objects.filter(name="the Agency").exists()


def _fails(path, *expected):
    before = counts()
    with pytest.raises(CommandError) as info:
        load(path)
    message = str(info.value)
    for text in expected:
        assert text in message, f"{text!r} not in error message:\n{message}"
    assert counts() == before
    return message


@pytest.mark.django_db
def test_bad_yaml_loads_nothing(seed_copy):
    (seed_copy / "events.yaml").write_text("events:\n  - key: [unclosed\n", encoding="utf-8")
    _fails(seed_copy, "events.yaml", "YAML")


@pytest.mark.django_db
def test_unknown_actor_key_loads_nothing(seed_copy):
    edit(seed_copy / "affiliations.yaml", "subject: jabhat-al-nusra", "subject: no-such-actor")
    _fails(seed_copy, "affiliations.yaml", "jabhat-al-nusra-branch-of-al-qaeda", "no-such-actor")


@pytest.mark.django_db
def test_invalid_edtf_date_loads_nothing(seed_copy):
    edit(seed_copy / "events.yaml", 'date: "2014-09-23"', 'date: "2014-13-45"')
    _fails(seed_copy, "events.yaml", "us-cruise-missile-strikes-khorasan-2014-09-23", "2014-13-45")


@pytest.mark.django_db
def test_missing_quote_loads_nothing(seed_copy):
    edit(
        seed_copy / "actors.yaml",
        'quote: "Jund al-Aqsa, a jihadi offshoot"',
        'quote: ""',
    )
    _fails(seed_copy, "actors.yaml", "jund-al-aqsa", "quote")


@pytest.mark.django_db
def test_a_late_failure_rolls_back_earlier_writes(seed_copy):
    load(seed_copy)
    before = state()
    # The outlet change would be written first; the bad event comes last.
    edit(seed_copy / "sources.yaml", "name: The Daily Beast", "name: The Daily Beast (renamed)")
    edit(
        seed_copy / "events.yaml",
        "place: raqqa\n    geo_precision: 1",
        "place: raqqa\n    geo_precision: 9",
    )
    _fails(seed_copy, "events.yaml", "isis-takes-control-of-raqqa", "geo_precision")
    assert state() == before
    assert Outlet.objects.get(slug="daily-beast").name == "The Daily Beast"


def test_idlib_towns_lie_inside_idlib_governorate(seeded_db):
    idlib = Place.objects.get(slug="idlib-governorate")
    syria = Place.objects.get(slug="syria")
    assert idlib.parent == syria and idlib.path.startswith(syria.path)
    inside = set(
        Place.objects.filter(path__startswith=idlib.path)
        .exclude(pk=idlib.pk)
        .values_list("slug", flat=True)
    )
    assert inside == IDLIB_TOWNS | {"bab-al-hawa"}
    for slug in IDLIB_TOWNS:
        town = Place.objects.get(slug=slug)
        assert town.path.startswith(idlib.path) and town.kind == "town"
        assert 35.5 < float(town.latitude) < 36.3 and 36.3 < float(town.longitude) < 37.0
    aleppo = Place.objects.get(slug="aleppo")
    assert not aleppo.path.startswith(idlib.path)


def test_truce_excludes_isis_nusra_and_al_qaeda(seeded_db):
    excluded = set(
        EventParticipant.objects.filter(
            role="excluded", event__event_type__slug="agreement", event__date_start__year=2016
        ).values_list("actor__slug", flat=True)
    )
    assert excluded == {"isis", "jabhat-al-nusra", "al-qaeda"}


@pytest.mark.django_db
def test_a_published_event_in_a_draft_place_loads_nothing(seed_copy):
    """The seed is held to the publishing rule (conflictapi.publishing)."""
    edit(
        seed_copy / "places.yaml",
        "{slug: maarshorin, name: Maarshorin,",
        "{slug: maarshorin, status: draft, name: Maarshorin,",
    )
    _fails(seed_copy, "unpublished", "place “Maarshorin”", "is draft")
