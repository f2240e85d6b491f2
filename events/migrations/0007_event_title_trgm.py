"""PostgreSQL: a trigram index for `q` on event titles (case-insensitive substring
match, as icontains asks: UPPER(title) LIKE UPPER('%…%'))."""

from django.db import migrations

NAME = "events_event_title_upper_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON events_event "
            "USING gin ((UPPER(title::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("events", "0006_participant_actor_event_index")]
    operations = [migrations.RunPython(forwards, backwards)]
