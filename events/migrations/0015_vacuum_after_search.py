"""Formerly vacuumed and analyzed the events table that 0014 rewrote. A migration does
not run VACUUM: the README (Production) says to run `VACUUM (ANALYZE)` after applying
migrations that rewrite the events table. Kept, empty, for the migration graph and the
databases that recorded it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0014_event_search")]
    operations = []
