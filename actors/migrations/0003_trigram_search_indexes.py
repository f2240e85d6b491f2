"""PostgreSQL: trigram indexes for the name search (`q` on actors and every filter that
takes an alias). Substring and word-prefix matches on the normalized names and their
skeletons then read an index instead of every alias. SQLite has no such index; its
search scans, which is fine at the sizes it is meant for."""

from django.db import migrations

INDEXES = {
    "actors_actorname_normalized_trgm": ("actors_actorname", "normalized"),
    "actors_actorname_skeleton_trgm": ("actors_actorname", "skeleton"),
    "actors_actor_name_normalized_trgm": ("actors_actor", "name_normalized"),
    "actors_actor_name_skeleton_trgm": ("actors_actor", "name_skeleton"),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_name_skeletons")]
    operations = [migrations.RunPython(forwards, backwards)]
