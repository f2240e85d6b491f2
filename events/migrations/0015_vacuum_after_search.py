"""PostgreSQL: vacuum and analyze the events table that 0014 rewrote.

A rewritten table has an empty visibility map, so every index-only scan (the `q` date
walk, page offsets, the place and bbox counts) would read the table too until
autovacuum came by, which new rows alone may not prompt for a long time. VACUUM cannot
run in a transaction: this migration is not atomic, and does nothing else.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM (ANALYZE) events_event")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("events", "0014_event_search")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
