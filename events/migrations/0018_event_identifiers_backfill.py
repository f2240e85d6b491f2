"""Every event gets an ACLED and a UCDP id of our own (events.models.own_identifier: "CDA-"
and a number; a number from a billion up), numbered in the order the events were
created, and the counters start after them. One INSERT … SELECT a scheme, numbered by a
window function: the same on SQLite and PostgreSQL, and quick at a million events.

Copied from events.models (a migration imports no app code): the prefix, the start
numbers and the table layout."""

from django.db import migrations
from django.utils import timezone

SCHEMES = (("acled", "CDA-", 1), ("ucdp", "", 1_000_000_000))

BACKFILL = (
    "INSERT INTO events_eventidentifier (id, created_at, updated_at, version, event_id, "
    "scheme, value) "
    "SELECT {uuid}, %s, %s, 1, e.id, %s, "
    "%s || CAST(ROW_NUMBER() OVER (ORDER BY e.created_at, e.id) + %s - 1 AS {text}) "
    "FROM events_event e WHERE NOT EXISTS (SELECT 1 FROM events_eventidentifier i "
    "WHERE i.event_id = e.id AND i.scheme = %s)"
)
UUID = {"postgresql": "gen_random_uuid()", "sqlite": "lower(hex(randomblob(16)))"}
TEXT = {"postgresql": "text", "sqlite": "TEXT"}


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    Counter = apps.get_model("events", "IdentifierCounter")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = BACKFILL.format(uuid=UUID[connection.vendor], text=TEXT[connection.vendor])
    db = connection.alias
    for scheme, prefix, start in SCHEMES:
        counter, _ = Counter.objects.using(db).get_or_create(
            scheme=scheme, defaults={"next_value": start}
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, now, scheme, prefix, counter.next_value, scheme])
            added = cursor.rowcount
        Counter.objects.using(db).filter(scheme=scheme).update(
            next_value=counter.next_value + max(added, 0)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0017_acled_identifiers_and_fields"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
