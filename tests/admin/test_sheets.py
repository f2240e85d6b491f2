"""Curators' spreadsheets in the admin: import events, actors and ties from CSV or XLSX
with a preview that writes nothing, then a confirmation that writes; a bad row shows
its error by column and nothing is written; export gives the same columns back."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actors.models import Actor, Affiliation
from events.api.export import COLUMNS
from events.models import Event, EventParticipant
from tests.factories import (
    ActorFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    UserFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"


def url(model, view):
    app = {"event": "events", "actor": "actors", "affiliation": "actors"}[model]
    return reverse(f"admin:{app}_{model}_{view}")


def as_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("sheet.csv", out.getvalue().encode(), "text/csv")


def as_xlsx(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("sheet.xlsx", out.getvalue())


def preview(client, model, upload, fmt=CSV_FORMAT):
    response = client.post(url(model, "import"), {"import_file": upload, "format": fmt})
    assert response.status_code == 200
    return response


def confirm(client, model, response):
    form = response.context["confirm_form"]
    assert form is not None, "the preview offers no confirmation"
    return client.post(url(model, "process_import"), form.initial)


def export(client, model, fmt=CSV_FORMAT):
    """The export, every column ticked, as the export page posts it."""
    form = client.get(url(model, "export")).context["form"]
    ticked = {n: "on" for n, f in form.fields.items() if getattr(f, "is_selectable_field", 0)}
    return client.post(url(model, "export"), {"format": fmt, "resource": "0", **ticked})


def row_types(response):
    return [row.import_type for row in response.context["result"].rows]


def row_errors(response):
    """{row number: {column: [messages]}} of the preview's invalid rows."""
    return {
        invalid.number: invalid.error_dict for invalid in response.context["result"].invalid_rows
    }


@pytest.fixture
def nusra():
    return ActorFactory(slug="jabhat-al-nusra", name="Jabhat al-Nusra")


@pytest.fixture
def srf():
    return ActorFactory(slug="srf", name="Syrian Revolutionaries Front")


@pytest.fixture
def idlib():
    return PlaceFactory(slug="idlib", name="Idlib")


EVENT_HEADER = ["id", "title", "event_type", "date", "place", "actors", "roles", "summary"]


def test_event_preview_shows_new_and_changed_rows_and_writes_nothing(
    client, curator, nusra, srf, idlib
):
    changed = EventFactory(title="Old title", date="2014-11")
    kept = EventFactory(title="Kept", date="2014-11", event_type=event_type("armed-clash"))
    rows = [
        # An event type and actors by name; the place by slug.
        [
            "",
            "Nusra routs the SRF",
            "Armed clash",
            "2014-10~",
            "idlib",
            "srf|Jabhat al-Nusra",
            "target|initiator",
            "In Jabal al-Zawiya.",
        ],
        [str(changed.pk), "New title", "armed-clash", "2014-11", "", "", "", ""],
        [str(kept.pk), "Kept", "armed-clash", "2014-11", "", "", "", ""],
    ]
    client.force_login(curator)
    before = (Event.objects.count(), EventParticipant.objects.count())

    response = preview(client, "event", as_csv(EVENT_HEADER, rows))

    assert row_types(response) == ["new", "update", "skip"]
    assert response.context["confirm_form"] is not None
    assert (Event.objects.count(), EventParticipant.objects.count()) == before
    changed.refresh_from_db()
    assert (changed.title, changed.version) == ("Old title", 1)


def test_confirm_writes_drafts_with_participants_and_history_names_the_user(
    client, curator, nusra, srf, idlib
):
    rows = [
        [
            "",
            "Nusra routs the SRF",
            "armed-clash",
            "2014-10~",
            "Idlib",
            "srf|jabhat-al-nusra",
            "target|initiator",
            "In Jabal al-Zawiya.",
        ],
    ]
    client.force_login(curator)
    response = preview(client, "event", as_csv(EVENT_HEADER, rows))

    done = confirm(client, "event", response)

    assert done.status_code == 302
    event = Event.objects.get(title="Nusra routs the SRF")
    assert (event.status, event.place, event.date_start.isoformat()) == (
        "draft",
        idlib,
        "2014-10-01",
    )
    assert sorted((p.actor.slug, p.role) for p in event.participants.all()) == [
        ("jabhat-al-nusra", "initiator"),
        ("srf", "target"),
    ]
    [history] = event.history.all()
    assert history.history_user == curator
    assert "sheet.csv" in history.history_change_reason


def test_xlsx_imports_as_csv_does(client, curator, nusra, idlib):
    header = [*EVENT_HEADER, "fatalities_best"]
    rows = [["", "Clash", "armed-clash", 2015, "idlib", "jabhat-al-nusra", "party", "", 12]]
    client.force_login(curator)

    response = preview(client, "event", as_xlsx(header, rows), fmt=XLSX_FORMAT)
    assert row_types(response) == ["new"]
    confirm(client, "event", response)

    event = Event.objects.get(title="Clash")
    assert (event.date, event.fatalities_best, event.status) == ("2015", 12, "draft")


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"actors": "no-such-actor", "roles": "party"}, "actors", "no-such-actor"),
        ({"date": "late October"}, "date", ""),
        ({"event_type": "Nothing like it"}, "event_type", "Nothing like it"),
        ({"roles": "initiator|target"}, "roles", "one role for each actor"),
        ({"roles": "boss"}, "roles", "boss"),
        ({"fatalities_best": "many"}, "fatalities_best", "whole number"),
        ({"id": "00000000-0000-0000-0000-000000000000"}, "id", "leave id empty"),
    ],
)
def test_a_bad_row_shows_its_error_by_column_and_nothing_is_written(
    client, curator, nusra, change, column, words
):
    header = [*EVENT_HEADER, "fatalities_best"]
    good = ["", "Good row", "armed-clash", "2015", "", "jabhat-al-nusra", "party", "", "3"]
    bad = dict(zip(header, good, strict=True))
    bad.update(title="Bad row", **change)
    client.force_login(curator)

    response = preview(client, "event", as_csv(header, [good, [bad[c] for c in header]]))

    errors = row_errors(response)
    assert list(errors) == [2]
    assert column in errors[2], errors
    assert words in " ".join(errors[2][column])
    assert response.context.get("confirm_form") is None
    assert not Event.objects.exists()


def test_a_name_several_actors_share_is_an_error_not_a_guess(client, curator):
    ActorFactory(slug="fsa-north", name="Free Syrian Army")
    ActorFactory(slug="fsa-south", name="Free Syrian Army")
    row = ["", "Clash", "armed-clash", "2015", "", "Free Syrian Army", "party", ""]
    client.force_login(curator)

    response = preview(client, "event", as_csv(EVENT_HEADER, [row]))

    [message] = row_errors(response)[1]["actors"]
    assert "fsa-north" in message and "fsa-south" in message
    assert not Event.objects.exists()


def test_status_is_not_imported(client, curator):
    header = ["id", "title", "event_type", "date", "status"]
    client.force_login(curator)
    response = preview(
        client, "event", as_csv(header, [["", "X", "armed-clash", "2015", "published"]])
    )
    confirm(client, "event", response)

    assert Event.objects.get(title="X").status == "draft"


def test_export_round_trips_the_columns(client, curator, nusra, srf, idlib):
    event = EventFactory(title="Truce", place=idlib, date="2016-02-27", fatalities_best=3)
    EventParticipantFactory(event=event, actor=nusra, role="excluded", note="kept")
    EventParticipantFactory(event=event, actor=srf, role="party")
    client.force_login(curator)

    exported = export(client, "event")

    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    [header, *rows] = list(csv.reader(io.StringIO(text)))
    assert header == [*COLUMNS, "summary"]
    row = dict(zip(header, rows[0], strict=True))
    assert (row["id"], row["place"], row["actors"], row["roles"], row["status"]) == (
        str(event.pk),
        "idlib",
        "jabhat-al-nusra|srf",
        "excluded|party",
        event.status,
    )
    # The API's CSV has the same text in the shared columns.
    api = client.get("/api/v1/events.csv")
    [api_row] = list(csv.DictReader(io.StringIO(api.content.decode())))
    assert {c: row[c] for c in COLUMNS} == {c: api_row[c] for c in COLUMNS}

    # Imported back, the file changes nothing.
    response = preview(client, "event", SimpleUploadedFile("back.csv", text.encode()))
    assert row_types(response) == ["skip"]
    confirm(client, "event", response)
    event.refresh_from_db()
    assert event.version == 1
    assert event.participants.get(actor=nusra).note == "kept"


def test_actors_import_by_slug_and_export(client, curator):
    existing = ActorFactory(slug="harakat-hazm", name="Hazm")
    header = ["slug", "name", "kind", "country", "founded", "description"]
    rows = [
        ["harakat-hazm", "Harakat Hazm", "armed_group", "SY", "2014-01", ""],
        ["srf", "Syrian Revolutionaries Front", "coalition", "SY", "2013-12", "FSA coalition"],
    ]
    client.force_login(curator)

    response = preview(client, "actor", as_csv(header, rows))
    assert row_types(response) == ["update", "new"]
    confirm(client, "actor", response)

    existing.refresh_from_db()
    assert (existing.name, existing.founded_start.isoformat()) == ("Harakat Hazm", "2014-01-01")
    assert Actor.objects.get(slug="srf").status == "draft"
    exported = export(client, "actor")
    header = next(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert header[:11] == [
        "id",
        "slug",
        "name",
        "kind",
        "country",
        "founded",
        "dissolved",
        "aliases",
        "identifiers",
        "status",
        "updated_at",
    ]


def test_ties_import_by_slug_or_name_with_the_models_rules(client, curator, nusra):
    ActorFactory(slug="al-qaeda", name="al-Qaeda")
    header = ["subject", "kind", "object", "start_date", "end_date"]
    rows = [
        ["Jabhat al-Nusra", "branch_of", "al-qaeda", "2012", "2016-07"],
        ["jabhat-al-nusra", "allied_with", "jabhat-al-nusra", "", ""],
        ["jabhat-al-nusra", "rival_of", "al-qaeda", "2016", "2015"],
    ]
    client.force_login(curator)

    response = preview(client, "affiliation", as_csv(header, rows))

    errors = row_errors(response)
    assert sorted(errors) == [2, 3]
    assert "itself" in str(errors[2]) and "end date" in str(errors[3])
    assert not Affiliation.objects.exists()

    response = preview(client, "affiliation", as_csv(header, rows[:1]))
    confirm(client, "affiliation", response)
    tie = Affiliation.objects.get()
    assert (tie.subject, tie.object.slug, tie.status) == (nusra, "al-qaeda", "draft")


@pytest.mark.parametrize("model", ["event", "actor", "affiliation"])
def test_only_users_who_may_add_and_change_see_the_import(client, curator, outsider, model):
    viewer = UserFactory(username="viewer")
    from django.contrib.auth.models import Permission

    app = "events" if model == "event" else "actors"
    viewer.user_permissions.add(
        Permission.objects.get(codename=f"view_{model}", content_type__app_label=app)
    )

    client.force_login(curator)
    page = client.get(url(model, "changelist"))
    assert url(model, "import") in page.content.decode()
    assert client.get(url(model, "import")).status_code == 200

    client.force_login(viewer)
    page = client.get(url(model, "changelist"))
    assert page.status_code == 200
    assert url(model, "import") not in page.content.decode()
    assert client.get(url(model, "import")).status_code == 403
    assert export(client, model).status_code == 200

    client.force_login(outsider)
    assert client.get(url(model, "import")).status_code == 403


def test_a_published_event_may_not_be_pointed_at_a_draft(client, curator, idlib):
    event = EventFactory(title="Published", status="published", date="2015")
    idlib.status = "draft"
    idlib.save()
    client.force_login(curator)

    response = preview(
        client,
        "event",
        as_csv(
            ["id", "title", "event_type", "date", "place"],
            [[event.pk, "P", "armed-clash", "2015", "idlib"]],
        ),
    )

    [errors] = row_errors(response).values()
    assert "draft" in str(errors)
    event.refresh_from_db()
    assert (event.place, event.title) == (None, "Published")


def test_xlsx_export_imports_back_unchanged(client, curator, nusra):
    event = EventFactory(title="Clash", date="2015-03~", fatalities_best=4)
    EventParticipantFactory(event=event, actor=nusra, role="initiator")
    client.force_login(curator)

    exported = export(client, "event", fmt=XLSX_FORMAT)
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == [*COLUMNS, "summary"]

    response = preview(
        client, "event", SimpleUploadedFile("back.xlsx", exported.content), fmt=XLSX_FORMAT
    )
    assert row_types(response) == ["skip"]
