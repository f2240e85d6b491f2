"""`q` on events reads one stored, upper-cased column of title and summary.

Adding the column rewrites the events table (about a minute for a million events on a
small machine; the table is locked meanwhile). On PostgreSQL the trigram indexes on
UPPER(title) and UPPER(summary) give way to one on the new column, and its statistics
are sampled finely enough (a 1,000-entry histogram) for the planner to tell a word in
300 events from one in 20,000: the first is read through the trigram index, the second
by walking the date order of event_published_search. Vacuum the rewritten table
afterwards (README, Production), for those walks to stay in the index.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

TRIGRAM = "event_search_trgm"
OLD = {
    "events_event_title_upper_trgm": "UPPER(title::text)",
    "events_event_summary_upper_trgm": "UPPER(summary::text)",
}


class OctetLength(models.Func):
    """The length of a text in bytes (UTF-8), as an index entry holds it: a copy of
    events.models.OctetLength, so that this migration does not import app code. It
    deconstructs to the model's path, for the migration state to match the model."""

    function = "OCTET_LENGTH"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))")

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "events.models.OctetLength", args, kwargs


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE events_event ALTER COLUMN search SET STATISTICS 1000")
    # Over every status: the admin searches drafts too.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM} ON events_event "
        "USING gin (search gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")
    for name, expression in OLD.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON events_event "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0005_actor_search_keys'),
        ('events', '0013_published_path_index_with_type'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='search',
            field=models.GeneratedField(db_persist=True, expression=models.Case(models.When(django.db.models.lookups.LessThanOrEqual(OctetLength(django.db.models.functions.text.Upper(django.db.models.functions.text.Concat('title', models.Value('\n'), 'summary', output_field=models.TextField()))), 2000), then=django.db.models.functions.text.Upper(django.db.models.functions.text.Concat('title', models.Value('\n'), 'summary', output_field=models.TextField())))), output_field=models.TextField(null=True)),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['-date_start', '-id'], include=('search',), name='event_published_search'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('search__isnull', True)), fields=['id'], name='event_long_text'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
