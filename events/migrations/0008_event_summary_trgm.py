"""PostgreSQL: a trigram index for `q` on event summaries."""

from django.db import migrations

NAME = "events_event_summary_upper_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON events_event "
            "USING gin ((UPPER(summary::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("events", "0007_event_title_trgm")]
    operations = [migrations.RunPython(forwards, backwards)]
