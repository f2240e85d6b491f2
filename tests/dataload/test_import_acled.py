"""import_acled: an ACLED row read back through /api/acled/acled/read is the row."""

import csv
import decimal
import io
import uuid

import orjson
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from actors.models import Actor
from events.models import Event, EventCitation, EventParticipant, Place
from interop.acled import FIELDS
from sources.models import Document
from tests.dataload.acled_rows import AWKWARD, csv_text, json_bytes, row
from tests.factories import (
    ActorFactory,
    ActorIdentifierFactory,
    ActorNameFactory,
    DocumentFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db


def run(path, *args):
    out = io.StringIO()
    call_command("import_acled", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def read_back(fmt="csv", **filters):
    response = APIClient().get("/api/acled/acled/read", {"limit": 0, "_format": fmt, **filters})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, body
    if fmt == "csv":
        return {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(body.decode()))}
    return {r["event_id_cnty"]: r for r in orjson.loads(body)["data"]}


def same_row(given, got):
    """Every column but timestamp; coordinates as numbers (35.8100 is 35.81)."""
    for field in FIELDS:
        if field == "timestamp":
            continue
        want, have = given.get(field, ""), got[field]
        if field in ("latitude", "longitude") and want:
            assert decimal.Decimal(have) == decimal.Decimal(want), (field, want, have)
        else:
            assert (have or "") == want, (given["event_id_cnty"], field, want, have)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_rows_read_back_as_they_came(tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        path.write_text(csv_text(AWKWARD), encoding="utf-8")
    else:
        path.write_bytes(json_bytes(AWKWARD))
    report = run(path, "--publish")
    assert "events created: 5" in report
    for read_fmt in ("csv", "json"):
        rows = read_back(read_fmt)
        assert set(rows) == {r["event_id_cnty"] for r in AWKWARD}
        for given in AWKWARD:
            same_row(given, rows[given["event_id_cnty"]])
    # ACLED's country filter finds each row under its country (Event.country).
    for given in AWKWARD:
        rows = read_back("json", country=given["country"])
        assert given["event_id_cnty"] in rows, given["country"]


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(csv_text(AWKWARD), encoding="utf-8")
    run(path, "--publish")
    before = {e.pk: (e.version, e.updated_at) for e in Event.objects.all()}
    history = Event.history.count()
    report = run(path, "--publish")
    assert "events created: 0, updated: 0, unchanged: 5" in report
    assert {e.pk: (e.version, e.updated_at) for e in Event.objects.all()} == before
    assert Event.history.count() == history


def write(tmp_path, rows, name="export.csv"):
    path = tmp_path / name
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def counts():
    return (
        Event.objects.count(),
        Actor.objects.count(),
        Place.objects.count(),
        Document.objects.count(),
        Event.history.count(),
    )


def test_imports_are_drafts_unless_published(tmp_path):
    run(write(tmp_path, AWKWARD))
    assert set(Event.objects.values_list("status", flat=True)) == {"draft"}
    assert read_back() == {}
    document = Document.objects.get()
    assert document.status == "draft" and document.outlet.slug == "acled"
    assert document.row_count == 5 and document.checksum.startswith("sha256:")
    assert "permission" in document.licence and "ACLED" in document.attribution


def test_every_event_cites_the_release_with_its_notes_verbatim(tmp_path):
    run(write(tmp_path, AWKWARD), "--publish")
    document = Document.objects.get()
    for given in AWKWARD:
        event = Event.objects.get(
            identifiers__scheme="acled", identifiers__value=given["event_id_cnty"]
        )
        citation = event.citations.get()
        assert citation.document == document and citation.locator == given["event_id_cnty"]
        if given["notes"]:
            assert citation.quote == given["notes"]
        else:  # the row as written
            assert "event_id_cnty: SYR3" in citation.quote
    actor = Actor.objects.get(name="Islamic State (Iraq)")
    assert actor.citations.get().quote == "Islamic State (Iraq)"
    assert actor.identifiers.get().value == "Islamic State (Iraq)"
    assert actor.kind == "armed_group" and actor.acled_actor_type is None
    protesters = Actor.objects.get(name="Protesters (Syria)")
    assert protesters.kind == "other" and protesters.acled_actor_type == 6


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"fatalities": "many"}, "fatalities"),
        ({"event_date": "2024-02-30"}, "event_date"),
        ({"sub_event_type": "Skirmish"}, "sub_event_type"),
        ({"country": "Atlantis"}, "country"),
        ({"latitude": "95"}, "latitude"),
        ({"time_precision": "4"}, "time_precision"),
        ({"inter1": "9"}, "inter1"),
        ({"event_id_cnty": "SYR1"}, "event_id_cnty"),  # the same id twice
    ],
)
def test_a_bad_row_stops_the_import_naming_line_and_column(tmp_path, change, column):
    rows = [AWKWARD[0], AWKWARD[1], row(**{**AWKWARD[4], **change})]
    path = write(tmp_path, rows)
    with pytest.raises(CommandError) as caught:
        run(path)
    # AWKWARD[1]'s notes hold a line break: the bad row starts on line 5.
    assert f"line 5, column {column}:" in str(caught.value)
    assert counts() == (0, 0, 0, 0, 0)


def test_a_missing_column_or_an_unreadable_file_is_named(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(csv_text(AWKWARD, [f for f in FIELDS if f != "notes"]), encoding="utf-8")
    with pytest.raises(CommandError, match="missing column notes"):
        run(path)
    path.write_bytes(b"event_id_cnty,notes\n\xff\xfe\n")
    with pytest.raises(CommandError, match="can't decode"):
        run(path)
    path.write_bytes(b'{"data": [{"event_id_cnty": ')
    with pytest.raises(CommandError, match="not valid JSON"):
        run(path)
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "absent.csv")
    assert counts() == (0, 0, 0, 0, 0)


def test_skip_bad_writes_the_good_rows_and_a_reject_file(tmp_path):
    bad = row(**{**AWKWARD[4], "fatalities": "-1"})
    twice = dict(AWKWARD[0])
    path = write(tmp_path, [*AWKWARD, bad, twice])
    report = run(path, "--skip-bad", "--publish")
    assert "events created: 5, updated: 0, unchanged: 0, rejected: 2" in report
    with open(f"{path}.rejects.csv", encoding="utf-8", newline="") as f:
        rejects = list(csv.DictReader(f))
    assert [(r["reject_column"], r["event_id_cnty"]) for r in rejects] == [
        ("fatalities", "IRQ5"),
        ("event_id_cnty", "SYR1"),
    ]
    assert "out of range" in rejects[0]["reject_reason"] and rejects[0]["notes"] == bad["notes"]
    assert "more than once" in rejects[1]["reject_reason"]


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    report = run(write(tmp_path, AWKWARD), "--dry-run")
    assert "events created: 5" in report and "dry run: nothing was written" in report
    assert counts() == (0, 0, 0, 0, 0)


def test_standard_input(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json_bytes(AWKWARD))))
    assert "events created: 5" in run("-", "--publish")
    assert len(read_back()) == 5


def test_a_newer_export_updates_what_changed_and_keeps_curated_additions(tmp_path):
    run(write(tmp_path, AWKWARD), "--publish")
    event = Event.objects.get(identifiers__value="SYR1")
    first_release = Document.objects.get()
    curated_actor = ActorFactory(name="Free Syrian Army")
    EventParticipant.objects.create(event=event, actor=curated_actor, role="supporter")
    curated = EventCitation.objects.create(
        event=event, document=DocumentFactory(), quote="Clashes near Ariha."
    )
    changed = {"fatalities": "5", "actor2": "Islamic State (Syria)"}
    newer = [row(**{**AWKWARD[0], **changed}), *AWKWARD[1:]]
    report = run(write(tmp_path, newer, "newer.csv"), "--publish")
    assert "events created: 0, updated: 1, unchanged: 4" in report
    event.refresh_from_db()
    assert event.fatalities_best == 5
    assert event.history.first().history_change_reason == "import_acled newer.csv"
    roles = {(p.actor.name, p.role) for p in event.participants.all()}
    assert roles == {
        ("Military Forces of Syria (2000-2024)", "initiator"),
        ("Islamic State (Syria)", "target"),
        ("Free Syrian Army", "supporter"),
    }
    second_release = (
        Document.objects.filter(outlet__slug="acled").exclude(pk=first_release.pk).get()
    )
    assert set(event.citations.values_list("document", flat=True)) == {
        second_release.pk,
        curated.document_id,
    }
    other = Event.objects.get(identifiers__value="SYR2")
    assert other.citations.get().document == first_release and other.version == 1
    same_row(newer[0], read_back()["SYR1"])


def test_deleted_events_are_retracted_with_a_reason(tmp_path):
    run(write(tmp_path, AWKWARD), "--publish")
    deleted = tmp_path / "deleted.json"
    deleted.write_bytes(
        orjson.dumps(
            {
                "status": 200,
                "success": True,
                "data": [
                    {"event_id_cnty": "SYR2", "deleted_timestamp": "1711000000"},
                    {"event_id_cnty": "NOPE9", "deleted_timestamp": "1711000000"},
                ],
            }
        )
    )
    report = run(deleted, "--deleted")
    assert "events retracted: 1, already retracted: 0, ids not found: 1" in report
    event = Event.objects.get(identifiers__value="SYR2")
    assert event.status == "retracted"
    assert event.retraction_reason == "Deleted from ACLED's data set on 2024-03-21 (deleted/read)."
    assert "SYR2" not in read_back()
    ids = tmp_path / "deleted.csv"
    ids.write_text("event_id_cnty\nSYR2\nSYR3\n")
    assert "events retracted: 1, already retracted: 1" in run(ids, "--deleted")


def test_actors_are_matched_by_identifier_then_name_and_ambiguity_is_reported(tmp_path):
    army = ActorFactory(name="Syrian Arab Army", kind="state_force")
    ActorIdentifierFactory(actor=army, scheme="acled", value="Military Forces of Syria (2000-2024)")
    hts = ActorFactory(name="Hay'at Tahrir al-Sham", kind="armed_group")
    ActorNameFactory(actor=hts, name="HTS")
    ActorFactory(name="Islamic State (Syria)", slug="is-syria-1")
    ActorNameFactory(actor=ActorFactory(name="ISIS", slug="isis"), name="Islamic State (Syria)")
    report = run(write(tmp_path, AWKWARD[:2]), "--publish")
    event = Event.objects.get(identifiers__value="SYR1")
    assert {p.actor for p in event.participants.all()} == {army, hts}
    assert hts.identifiers.get(scheme="acled").value == "Hayat Tahrir al-Sham"
    assert "'Islamic State (Syria)' (line 3): is-syria-1, isis" in report
    assert not Actor.objects.filter(identifiers__value="Islamic State (Syria)").exists()


def test_places_are_reused_by_name_or_alternate_name_within_their_parent(tmp_path):
    syria = PlaceFactory(name="Syria", kind="country", country="SY")
    idlib = PlaceFactory(
        name="Idlib", kind="admin1", parent=syria, country="SY", alternate_names=["Idleb"]
    )
    PlaceFactory(name="Ariha", kind="admin1", parent=syria, country="SY")  # not the admin2
    run(write(tmp_path, AWKWARD[:1]), "--publish")
    event = Event.objects.get()
    chain = [
        (p.kind, p.name)
        for p in Place.objects.filter(
            pk__in=[uuid.UUID(h) for h in event.place.path.split("/") if h]
        ).order_by("path")
    ]
    assert chain == [
        ("country", "Syria"),
        ("admin1", "Idlib"),
        ("admin2", "Ariha"),
        ("admin3", "Ariha"),
        ("town", "Ariha"),
    ]
    assert event.place.parent.parent.parent == idlib
    assert str(event.place.latitude) == "35.813400"
    idlib.refresh_from_db()
    assert idlib.status == "published"  # published with the events that show it


def test_reimporting_a_row_keeps_what_curators_changed_since(tmp_path):
    path = write(tmp_path, AWKWARD)
    run(path)
    event = Event.objects.get(identifiers__value="SYR1")
    event.fatalities_best = 4  # a curator's correction
    event.save()
    assert "updated: 0, unchanged: 5" in run(path)
    event.refresh_from_db()
    assert event.fatalities_best == 4 and event.version == 2
    assert "updated: 5, unchanged: 0" in run(path, "--publish")  # publishes, no more
    event.refresh_from_db()
    assert (event.status, event.fatalities_best) == ("published", 4)
    assert Document.objects.get().status == "published"  # the release it cites
    assert len(read_back()) == 5


def test_an_interrupted_import_leaves_nothing(tmp_path, monkeypatch):
    from dataload.importing.common import Importer

    write_batch = Importer.write_batch
    calls = []

    def interrupted(self, specs):
        calls.append(len(specs))
        if len(calls) == 2:
            raise KeyboardInterrupt
        write_batch(self, specs)

    monkeypatch.setattr(Importer, "write_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(write(tmp_path, AWKWARD), "--batch-size", "2")
    assert calls == [2, 2] and counts() == (0, 0, 0, 0, 0)


def test_country_names_that_read_back_otherwise_are_reported(tmp_path):
    rows = [row(country="Cape Verde", iso="132", region="Western Africa", admin1="Praia")]
    report = run(write(tmp_path, rows))
    assert (
        "note: country 'Cape Verde' reads back as 'Cabo Verde' (1 rows, first at line 2)" in report
    )


def test_an_unchanged_row_is_neither_parsed_nor_resolved_again(tmp_path, monkeypatch):
    """A row as imported before is counted unchanged before it is parsed (the bulk of a
    re-import of an export costs one query a batch), and only changed rows are parsed."""
    path = write(tmp_path, AWKWARD)
    run(path, "--publish")
    changed = [dict(r) for r in AWKWARD]
    changed[0]["notes"] += " Updated."
    parsed = []
    from dataload.importing.acled import AcledImporter

    original = AcledImporter.parse

    def parse(self, where, record):
        parsed.append(record["event_id_cnty"])
        return original(self, where, record)

    monkeypatch.setattr(AcledImporter, "parse", parse)
    report = run(write(tmp_path, changed, "newer.csv"), "--publish")
    assert "events created: 0, updated: 1, unchanged: 4" in report
    assert parsed == [changed[0]["event_id_cnty"]]
    assert read_back()[changed[0]["event_id_cnty"]]["notes"].endswith(" Updated.")


def test_an_unchanged_row_twice_in_a_file_is_a_bad_row(tmp_path):
    path = write(tmp_path, AWKWARD)
    run(path, "--publish")
    with pytest.raises(CommandError, match="more than once"):
        run(write(tmp_path, [*AWKWARD, AWKWARD[1]], "twice.csv"), "--publish")


def test_publishing_an_unchanged_draft_import(tmp_path):
    path = write(tmp_path, AWKWARD)
    run(path)
    assert read_back() == {}
    report = run(path, "--publish")
    assert "updated: 5, unchanged: 0" in report
    assert set(read_back()) == {r["event_id_cnty"] for r in AWKWARD}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics")
def test_a_large_import_brings_the_planners_row_counts_up_to_date(tmp_path, monkeypatch):
    """Rows written in the import's one transaction are invisible to autovacuum: the
    import ANALYZEs its tables as it grows and at the end, so the lookups of its later
    batches (and the next import) are planned on today's row counts, not on the empty
    tables of before (a seq scan of every citation a batch, at a million rows)."""
    from dataload.importing import common

    monkeypatch.setattr(common, "ANALYZE_FROM", 3)

    def reltuples():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                "('events_event', 'events_eventidentifier', 'events_eventcitation')"
            )
            return dict(cursor.fetchall())

    assert all(n < 5 for n in reltuples().values())
    run(write(tmp_path, AWKWARD), "--batch-size", "2")
    counts = reltuples()
    assert counts["events_event"] >= 5 and counts["events_eventcitation"] >= 5
    assert counts["events_eventidentifier"] >= 5
