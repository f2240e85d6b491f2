"""Groups `curators` (view, add, change) and `editors` (also publish, retract and
delete drafts) over every curated model."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("sources", "actors", "events")


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label__in=APPS).exclude(
        content_type__model__startswith="historical"
    )
    curator_codenames = ("view_", "add_", "change_")
    curator_perms = [p for p in perms if p.codename.startswith(curator_codenames)]
    editor_perms = [
        p
        for p in perms
        if p.codename.startswith((*curator_codenames, "delete_")) or p.codename.startswith("publish_")
    ]
    curators, _ = Group.objects.get_or_create(name="curators")
    curators.permissions.add(*curator_perms)
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.add(*editor_perms)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["curators", "editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_seed_event_types"),
        ("actors", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
