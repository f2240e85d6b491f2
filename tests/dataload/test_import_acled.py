"""import_acled: an ACLED row read back through /api/acled/acled/read is the row."""

import csv
import decimal
import io

import orjson
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from events.models import Event
from interop.acled import FIELDS
from tests.dataload.acled_rows import AWKWARD, csv_text, json_bytes, row

pytestmark = pytest.mark.django_db


def run(path, *args):
    out = io.StringIO()
    call_command("import_acled", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def read_back(fmt="csv"):
    response = APIClient().get("/api/acled/acled/read", {"limit": 0, "_format": fmt})
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
