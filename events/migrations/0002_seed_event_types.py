"""ACLED's 6 event types and 25 sub-event types, and this domain's finer kinds, each
mapped to the ACLED sub-event type it exports as."""

from django.db import migrations
from django.utils.text import slugify

ACLED = {
    "Battles": [
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ],
    "Explosions/Remote violence": [
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ],
    "Violence against civilians": [
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ],
    "Protests": [
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ],
}

# (name, ACLED sub-event type it exports as, description)
FINER = [
    ("Statement", "Other", "A public statement, claim, threat or briefing."),
    (
        "Meeting or negotiation",
        "Agreement",
        "Talks, meetings and negotiations between actors, with or without an outcome.",
    ),
    (
        "Funding or support change",
        "Change to group/activity",
        "A backer starts, raises, cuts or ends funding, arms or training.",
    ),
    (
        "Alliance formed",
        "Change to group/activity",
        "Groups form an alliance, coalition or joint operations room.",
    ),
    (
        "Defection",
        "Change to group/activity",
        "Fighters, commanders or units leave one group for another.",
    ),
    ("Merger talks", "Agreement", "Groups discuss merging into one."),
]


def slug_for(parent, name):
    return slugify(name.replace("/", " ")) if parent is None else slugify(
        f"{parent} {name}".replace("/", " ")
    )


def forwards(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    sub_types = {}
    for top_name, subs in ACLED.items():
        top = EventType.objects.create(
            name=top_name,
            slug=slugify(top_name.replace("/", " ")),
            is_acled=True,
            status="published",
            version=1,
        )
        for sub_name in subs:
            sub_types[sub_name] = EventType.objects.create(
                name=sub_name,
                slug=slugify(sub_name.replace("/", " ")),
                parent=top,
                is_acled=True,
                status="published",
                version=1,
            )
    for name, acled_name, description in FINER:
        equivalent = sub_types[acled_name]
        EventType.objects.create(
            name=name,
            slug=slugify(name),
            parent=equivalent.parent,
            acled_equivalent=equivalent,
            description=description,
            status="published",
            version=1,
        )


def backwards(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    EventType.objects.exclude(parent=None).delete()
    EventType.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
