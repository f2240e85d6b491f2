"""`place=Idleb`: Place.search_names holds the search keys of a place's name and of its
alternate names, a line each, derived on save. Filled here; on PostgreSQL it gets a
trigram index, so that a place is found by any of its names in one indexed lookup."""

from django.db import migrations, models

from conflictapi.text import joined_keys, normalize_name

INDEX = "events_place_search_names_trgm"


def fill(apps, schema_editor):
    db = schema_editor.connection.alias
    Place = apps.get_model("events", "Place")
    places = list(Place._base_manager.using(db).only("pk", "name", "alternate_names"))
    for place in places:
        names = place.alternate_names if isinstance(place.alternate_names, list) else []
        place.search_names = joined_keys(
            normalize_name(n) for n in [place.name, *names] if isinstance(n, str)
        )
    Place._base_manager.using(db).bulk_update(places, ["search_names"], batch_size=1000)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_place USING gin (search_names gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0018_event_identifiers_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalplace",
            name="search_names",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Normalized name and alternate names, one a line; derived.",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="search_names",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Normalized name and alternate names, one a line; derived.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(add_index, drop_index),
    ]
