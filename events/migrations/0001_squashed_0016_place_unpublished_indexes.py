"""The events schema as migrations 0001–0016 left it, in one migration, with their data.

Replaces 0001–0016: a database that applied them records this one as applied too; a new
database runs this one only. Left out as superseded: the trigram indexes on UPPER(title)
and UPPER(summary) (0007, 0008), which 0014 replaced by one on the `search` column, and
the index versions that 0012 and 0013 replaced. 0015's VACUUM is not a migration's job
(README, Production).

Kept: the ACLED event-type vocabulary (0002), the `curators` and `editors` groups (0003)
and the place-path backfill (0011, which finds no events on a new database). On
PostgreSQL, the `pg_trgm` extension, the trigram index on `search` and that column's
statistics target (0007, 0014).

The functions are copied from those migrations, and the two app objects the fields name
(the EDTF validator, OctetLength) are written here: this migration imports no app code.
"""

import uuid

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django_countries.fields
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify


class EDTFValidator:
    """Stands in for conflictapi.partialdates.EDTFValidator, so that this migration does
    not import app code. The migration state only compares it, by the path it
    deconstructs to; migrations never validate, so it checks nothing."""

    def __call__(self, value):
        pass

    def __eq__(self, other):
        return isinstance(other, EDTFValidator)

    def deconstruct(self):
        return ("conflictapi.partialdates.EDTFValidator", (), {})


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


# PostgreSQL only (0007, 0014): `q` reads `search` through a trigram index over every
# status (the admin searches drafts too), with statistics fine enough (a 1,000-entry
# histogram) for the planner to tell a rare word from a common one.

SEARCH_TRIGRAM = "event_search_trgm"


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("ALTER TABLE events_event ALTER COLUMN search SET STATISTICS 1000")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {SEARCH_TRIGRAM} ON events_event "
        "USING gin (search gin_trgm_ops)"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_TRIGRAM}")


# 0002: ACLED's 6 event types and 25 sub-event types, and this domain's finer kinds, each
# mapped to the ACLED sub-event type it exports as.

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


def seed_event_types(apps, schema_editor):
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


def unseed_event_types(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    EventType.objects.exclude(parent=None).delete()
    EventType.objects.all().delete()


# 0003: groups `curators` (view, add, change) and `editors` (also publish, retract and
# delete drafts) over every curated model.

APPS = ("sources", "actors", "events")


def create_groups(apps, schema_editor):
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
        if p.codename.startswith((*curator_codenames, "delete_"))
        or p.codename.startswith("publish_")
    ]
    curators, _ = Group.objects.get_or_create(name="curators")
    curators.permissions.add(*curator_perms)
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.add(*editor_perms)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["curators", "editors"]).delete()


# 0011: copy each event's place path into the event (on a new database there are none).


def copy_place_paths(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Place = apps.get_model("events", "Place")
    path = Place.objects.filter(pk=OuterRef("place_id")).values("path")[:1]
    Event.objects.using(schema_editor.connection.alias).exclude(place=None).update(
        place_path=Coalesce(Subquery(path), Value(""))
    )


class Migration(migrations.Migration):

    replaces = [
        ('events', '0001_initial'),
        ('events', '0002_seed_event_types'),
        ('events', '0003_groups'),
        ('events', '0004_event_order_keyset'),
        ('events', '0005_event_date_start_id_index'),
        ('events', '0006_participant_actor_event_index'),
        ('events', '0007_event_title_trgm'),
        ('events', '0008_event_summary_trgm'),
        ('events', '0009_published_date_index'),
        ('events', '0010_place_type_and_coordinate_indexes'),
        ('events', '0011_event_place_path'),
        ('events', '0012_place_type_index_covering'),
        ('events', '0013_published_path_index_with_type'),
        ('events', '0014_event_search'),
        ('events', '0015_vacuum_after_search'),
        ('events', '0016_place_unpublished_indexes'),
    ]

    initial = True

    dependencies = [
        ('actors', '0005_actor_search_keys'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('sources', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EventType',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.', primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('retracted', 'retracted')], db_index=True, default='draft', help_text='draft: being curated, visible to curators only; published: public; retracted: withdrawn, kept so that syncing clients learn of it.', max_length=10)),
                ('retraction_reason', models.TextField(blank=True, help_text='Why the record was retracted; required when retracted.')),
                ('name', models.CharField(help_text="The type's name.", max_length=100)),
                ('slug', models.SlugField(help_text='URL-safe unique name.', max_length=100, unique=True)),
                ('is_acled', models.BooleanField(default=False, help_text="Part of ACLED's own vocabulary.")),
                ('description', models.TextField(blank=True, help_text='What the type covers.')),
                ('acled_equivalent', models.ForeignKey(blank=True, help_text='For a finer kind: the ACLED sub-event type it exports as.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='events.eventtype')),
                ('parent', models.ForeignKey(blank=True, help_text='The event type this sub-type belongs to; empty for a top-level type.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='events.eventtype')),
            ],
            options={
                'ordering': ['parent__name', 'name'],
                'permissions': [('publish_eventtype', 'Can publish and retract eventtype')],
                'abstract': False,
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('status', 'retracted'), _negated=True), models.Q(('retraction_reason', ''), _negated=True), _connector='OR'), name='eventtype_retraction_has_reason', violation_error_message='A retracted record needs a retraction reason.'),
                    models.UniqueConstraint(fields=('parent', 'name'), name='eventtype_unique_name_in_parent'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Place',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.', primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('retracted', 'retracted')], db_index=True, default='draft', help_text='draft: being curated, visible to curators only; published: public; retracted: withdrawn, kept so that syncing clients learn of it.', max_length=10)),
                ('retraction_reason', models.TextField(blank=True, help_text='Why the record was retracted; required when retracted.')),
                ('name', models.CharField(help_text='The usual English name.', max_length=200)),
                ('slug', models.SlugField(help_text='URL-safe unique name, e.g. idlib-governorate.', max_length=200, unique=True)),
                ('kind', models.CharField(choices=[('country', 'country'), ('admin1', 'first-level division (governorate, province)'), ('admin2', 'second-level division (district)'), ('town', 'city, town or village'), ('crossing', 'border crossing'), ('site', 'site (base, building, field)'), ('region', 'region')], db_index=True, help_text='What the place is.', max_length=10)),
                ('path', models.CharField(db_index=True, editable=False, help_text="Ids from the root down to this place, '/'-separated; derived.", max_length=1000)),
                ('country', django_countries.fields.CountryField(blank=True, db_index=True, help_text='ISO 3166-1 country.', max_length=2)),
                ('latitude', models.DecimalField(blank=True, decimal_places=6, help_text='WGS 84 latitude in degrees, -90 to 90.', max_digits=9, null=True)),
                ('longitude', models.DecimalField(blank=True, decimal_places=6, help_text='WGS 84 longitude in degrees, -180 to 180.', max_digits=9, null=True)),
                ('alternate_names', models.JSONField(blank=True, default=list, help_text='Other spellings, e.g. Arabic script.')),
                ('geonames_id', models.PositiveIntegerField(blank=True, help_text='GeoNames id, where known.', null=True, unique=True)),
                ('parent', models.ForeignKey(blank=True, help_text="The place this one lies in (a town's governorate).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='events.place')),
            ],
            options={
                'ordering': ['name'],
                'permissions': [('publish_place', 'Can publish and retract place')],
                'abstract': False,
                'indexes': [
                    models.Index(fields=['longitude', 'latitude'], name='place_lon_lat'),
                    models.Index(condition=models.Q(('status', 'published'), _negated=True), fields=['path'], name='place_unpublished_path', opclasses=['varchar_pattern_ops']),
                    models.Index(condition=models.Q(('status', 'published'), _negated=True), fields=['country'], name='place_unpublished_country'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('status', 'retracted'), _negated=True), models.Q(('retraction_reason', ''), _negated=True), _connector='OR'), name='place_retraction_has_reason', violation_error_message='A retracted record needs a retraction reason.'),
                    models.CheckConstraint(condition=models.Q(('latitude__isnull', True), models.Q(('latitude__gte', -90), ('latitude__lte', 90)), _connector='OR'), name='place_latitude_range', violation_error_message='Latitude must be between -90 and 90.'),
                    models.CheckConstraint(condition=models.Q(('longitude__isnull', True), models.Q(('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='place_longitude_range', violation_error_message='Longitude must be between -180 and 180.'),
                    models.CheckConstraint(condition=models.Q(models.Q(('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('latitude__isnull', False), ('longitude__isnull', False)), _connector='OR'), name='place_coordinates_paired', violation_error_message='Give both latitude and longitude, or neither.'),
                    models.CheckConstraint(condition=models.Q(('parent', models.F('id')), _negated=True), name='place_not_own_parent', violation_error_message='A place cannot lie inside itself.'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.', primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('retracted', 'retracted')], db_index=True, default='draft', help_text='draft: being curated, visible to curators only; published: public; retracted: withdrawn, kept so that syncing clients learn of it.', max_length=10)),
                ('retraction_reason', models.TextField(blank=True, help_text='Why the record was retracted; required when retracted.')),
                ('title', models.CharField(help_text='One line: who did what, where.', max_length=300)),
                ('date', models.CharField(blank=True, help_text='When it happened. EDTF text, e.g. 2016-02-27, 2014-10, 2014-10~, 2014?, 2014-11-01/2014-11-02.', max_length=64, validators=[EDTFValidator()], verbose_name='date')),
                ('date_start', models.DateField(blank=True, db_index=True, editable=False, help_text='Earliest day the date can mean; derived from the text.', null=True, verbose_name='date (earliest)')),
                ('date_end', models.DateField(blank=True, db_index=True, editable=False, help_text='Latest day the date can mean; derived from the text.', null=True, verbose_name='date (latest)')),
                ('date_precision', models.CharField(blank=True, choices=[('day', 'day'), ('month', 'month'), ('year', 'year'), ('range', 'range')], editable=False, help_text='How precise the date is: day, month, year or range; derived from the text.', max_length=8, verbose_name='date precision')),
                ('geo_precision', models.PositiveSmallIntegerField(blank=True, choices=[(1, '1 – the named town or site'), (2, '2 – near the named place, or a part of a region'), (3, '3 – only the wider region is known')], help_text="How precisely the place locates the event (ACLED's geo_precision).", null=True)),
                ('fatalities_low', models.PositiveIntegerField(blank=True, help_text='Lowest reported number of deaths.', null=True)),
                ('fatalities_best', models.PositiveIntegerField(blank=True, help_text='Best estimate of deaths.', null=True)),
                ('fatalities_high', models.PositiveIntegerField(blank=True, help_text='Highest reported number of deaths.', null=True)),
                ('summary', models.TextField(blank=True, help_text='What happened, with the figures the sources give.')),
                ('event_type', models.ForeignKey(help_text='What kind of event.', on_delete=django.db.models.deletion.PROTECT, related_name='events', to='events.eventtype')),
                ('place', models.ForeignKey(blank=True, help_text='Where it happened, as precisely as the sources say.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='events.place')),
                ('place_path', models.CharField(blank=True, editable=False, help_text="Copy of the place's path, for place filters.", max_length=1000)),
                ('search', models.GeneratedField(db_persist=True, expression=models.Case(models.When(django.db.models.lookups.LessThanOrEqual(OctetLength(django.db.models.functions.text.Upper(django.db.models.functions.text.Concat('title', models.Value('\n'), 'summary', output_field=models.TextField()))), 2000), then=django.db.models.functions.text.Upper(django.db.models.functions.text.Concat('title', models.Value('\n'), 'summary', output_field=models.TextField())))), output_field=models.TextField(null=True))),
            ],
            options={
                'ordering': ['-date_start', '-id'],
                'permissions': [('publish_event', 'Can publish and retract event')],
                'abstract': False,
                'indexes': [
                    models.Index(fields=['-date_start', '-id'], name='event_date_start_id'),
                    models.Index(condition=models.Q(('status', 'published')), fields=['-date_start', '-id'], name='event_published_date_id'),
                    models.Index(condition=models.Q(('status', 'published')), fields=['place', 'event_type'], include=('date_start', 'id'), name='event_published_place_type'),
                    models.Index(condition=models.Q(('status', 'published')), fields=['event_type', 'place_path'], include=('date_start', 'id'), name='event_published_type_path', opclasses=['', 'varchar_pattern_ops']),
                    models.Index(condition=models.Q(('status', 'published')), fields=['place_path'], include=('date_start', 'id', 'event_type'), name='event_published_path', opclasses=['varchar_pattern_ops']),
                    models.Index(condition=models.Q(('status', 'published')), fields=['-date_start', '-id'], include=('search',), name='event_published_search'),
                    models.Index(condition=models.Q(('search__isnull', True)), fields=['id'], name='event_long_text'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('status', 'retracted'), _negated=True), models.Q(('retraction_reason', ''), _negated=True), _connector='OR'), name='event_retraction_has_reason', violation_error_message='A retracted record needs a retraction reason.'),
                    models.CheckConstraint(condition=models.Q(('date', ''), _negated=True), name='event_date_required', violation_error_message='An event needs a date, however vague.'),
                    models.CheckConstraint(condition=models.Q(('fatalities_low__isnull', True), ('fatalities_best__isnull', True), ('fatalities_low__lte', models.F('fatalities_best')), _connector='OR'), name='event_fatalities_low_le_best', violation_error_message='Fatalities: low cannot exceed best.'),
                    models.CheckConstraint(condition=models.Q(('fatalities_best__isnull', True), ('fatalities_high__isnull', True), ('fatalities_best__lte', models.F('fatalities_high')), _connector='OR'), name='event_fatalities_best_le_high', violation_error_message='Fatalities: best cannot exceed high.'),
                    models.CheckConstraint(condition=models.Q(('fatalities_low__isnull', True), ('fatalities_high__isnull', True), ('fatalities_low__lte', models.F('fatalities_high')), _connector='OR'), name='event_fatalities_low_le_high', violation_error_message='Fatalities: low cannot exceed high.'),
                ],
            },
        ),
        migrations.CreateModel(
            name='EventParticipant',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.', primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('role', models.CharField(choices=[('initiator', 'initiator'), ('target', 'target'), ('party', 'party'), ('mediator', 'mediator'), ('excluded', 'excluded'), ('supporter', 'supporter'), ('speaker', 'speaker'), ('attendee', 'attendee'), ('subject', 'subject')], db_index=True, help_text='How the actor takes part.', max_length=10)),
                ('note', models.TextField(blank=True, help_text='Anything the role does not say.')),
                ('actor', models.ForeignKey(help_text='The actor taking part.', on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='actors.actor')),
                ('event', models.ForeignKey(help_text='The event.', on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='events.event')),
            ],
            options={
                'ordering': ['role', 'actor__name'],
                'indexes': [
                    models.Index(fields=['actor', 'event'], name='participant_actor_event'),
                ],
                'constraints': [
                    models.UniqueConstraint(fields=('event', 'actor', 'role'), name='eventparticipant_unique_role', violation_error_message='The actor already has this role in the event.'),
                ],
            },
        ),
        migrations.AddField(
            model_name='event',
            name='actors',
            field=models.ManyToManyField(blank=True, related_name='events', through='events.EventParticipant', to='actors.actor'),
        ),
        migrations.CreateModel(
            name='EventCitation',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.', primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('quote', models.TextField(help_text='The supporting sentence or phrase, verbatim from the document.')),
                ('locator', models.CharField(blank=True, help_text='Where in the document: paragraph or page.', max_length=100)),
                ('credibility', models.PositiveSmallIntegerField(choices=[(1, '1 – confirmed by other sources'), (2, '2 – probably true'), (3, '3 – possibly true'), (4, '4 – doubtful'), (5, '5 – improbable'), (6, '6 – truth cannot be judged')], default=6, help_text='Credibility of the information on the Admiralty scale, 1 (confirmed) to 6 (cannot be judged).')),
                ('note', models.TextField(blank=True, help_text="Curator's note on the citation.")),
                ('document', models.ForeignKey(help_text='The document that supports the fact.', on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='sources.document')),
                ('event', models.ForeignKey(help_text='The event.', on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='events.event')),
            ],
            options={
                'abstract': False,
                'constraints': [models.CheckConstraint(condition=models.Q(('quote', ''), _negated=True), name='eventcitation_quote_required', violation_error_message='A citation needs its verbatim quote.'), models.CheckConstraint(condition=models.Q(('credibility__gte', 1), ('credibility__lte', 6)), name='eventcitation_credibility_range', violation_error_message='Credibility is 1 to 6.')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEventType',
            fields=[
                ('id', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.')),
                ('created_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('retracted', 'retracted')], db_index=True, default='draft', help_text='draft: being curated, visible to curators only; published: public; retracted: withdrawn, kept so that syncing clients learn of it.', max_length=10)),
                ('retraction_reason', models.TextField(blank=True, help_text='Why the record was retracted; required when retracted.')),
                ('name', models.CharField(help_text="The type's name.", max_length=100)),
                ('slug', models.SlugField(help_text='URL-safe unique name.', max_length=100)),
                ('is_acled', models.BooleanField(default=False, help_text="Part of ACLED's own vocabulary.")),
                ('description', models.TextField(blank=True, help_text='What the type covers.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('acled_equivalent', models.ForeignKey(blank=True, db_constraint=False, help_text='For a finer kind: the ACLED sub-event type it exports as.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.eventtype')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text='The event type this sub-type belongs to; empty for a top-level type.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.eventtype')),
            ],
            options={
                'verbose_name': 'historical event type',
                'verbose_name_plural': 'historical event types',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPlace',
            fields=[
                ('id', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.')),
                ('created_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('retracted', 'retracted')], db_index=True, default='draft', help_text='draft: being curated, visible to curators only; published: public; retracted: withdrawn, kept so that syncing clients learn of it.', max_length=10)),
                ('retraction_reason', models.TextField(blank=True, help_text='Why the record was retracted; required when retracted.')),
                ('name', models.CharField(help_text='The usual English name.', max_length=200)),
                ('slug', models.SlugField(help_text='URL-safe unique name, e.g. idlib-governorate.', max_length=200)),
                ('kind', models.CharField(choices=[('country', 'country'), ('admin1', 'first-level division (governorate, province)'), ('admin2', 'second-level division (district)'), ('town', 'city, town or village'), ('crossing', 'border crossing'), ('site', 'site (base, building, field)'), ('region', 'region')], db_index=True, help_text='What the place is.', max_length=10)),
                ('path', models.CharField(db_index=True, editable=False, help_text="Ids from the root down to this place, '/'-separated; derived.", max_length=1000)),
                ('country', django_countries.fields.CountryField(blank=True, db_index=True, help_text='ISO 3166-1 country.', max_length=2)),
                ('latitude', models.DecimalField(blank=True, decimal_places=6, help_text='WGS 84 latitude in degrees, -90 to 90.', max_digits=9, null=True)),
                ('longitude', models.DecimalField(blank=True, decimal_places=6, help_text='WGS 84 longitude in degrees, -180 to 180.', max_digits=9, null=True)),
                ('alternate_names', models.JSONField(blank=True, default=list, help_text='Other spellings, e.g. Arabic script.')),
                ('geonames_id', models.PositiveIntegerField(blank=True, db_index=True, help_text='GeoNames id, where known.', null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text="The place this one lies in (a town's governorate).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.place')),
            ],
            options={
                'verbose_name': 'historical place',
                'verbose_name_plural': 'historical places',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEvent',
            fields=[
                ('id', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.')),
                ('created_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published'), ('retracted', 'retracted')], db_index=True, default='draft', help_text='draft: being curated, visible to curators only; published: public; retracted: withdrawn, kept so that syncing clients learn of it.', max_length=10)),
                ('retraction_reason', models.TextField(blank=True, help_text='Why the record was retracted; required when retracted.')),
                ('title', models.CharField(help_text='One line: who did what, where.', max_length=300)),
                ('date', models.CharField(blank=True, help_text='When it happened. EDTF text, e.g. 2016-02-27, 2014-10, 2014-10~, 2014?, 2014-11-01/2014-11-02.', max_length=64, validators=[EDTFValidator()], verbose_name='date')),
                ('date_start', models.DateField(blank=True, db_index=True, editable=False, help_text='Earliest day the date can mean; derived from the text.', null=True, verbose_name='date (earliest)')),
                ('date_end', models.DateField(blank=True, db_index=True, editable=False, help_text='Latest day the date can mean; derived from the text.', null=True, verbose_name='date (latest)')),
                ('date_precision', models.CharField(blank=True, choices=[('day', 'day'), ('month', 'month'), ('year', 'year'), ('range', 'range')], editable=False, help_text='How precise the date is: day, month, year or range; derived from the text.', max_length=8, verbose_name='date precision')),
                ('geo_precision', models.PositiveSmallIntegerField(blank=True, choices=[(1, '1 – the named town or site'), (2, '2 – near the named place, or a part of a region'), (3, '3 – only the wider region is known')], help_text="How precisely the place locates the event (ACLED's geo_precision).", null=True)),
                ('fatalities_low', models.PositiveIntegerField(blank=True, help_text='Lowest reported number of deaths.', null=True)),
                ('fatalities_best', models.PositiveIntegerField(blank=True, help_text='Best estimate of deaths.', null=True)),
                ('fatalities_high', models.PositiveIntegerField(blank=True, help_text='Highest reported number of deaths.', null=True)),
                ('summary', models.TextField(blank=True, help_text='What happened, with the figures the sources give.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('event_type', models.ForeignKey(blank=True, db_constraint=False, help_text='What kind of event.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.eventtype')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('place', models.ForeignKey(blank=True, db_constraint=False, help_text='Where it happened, as precisely as the sources say.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.place')),
                ('place_path', models.CharField(blank=True, editable=False, help_text="Copy of the place's path, for place filters.", max_length=1000)),
            ],
            options={
                'verbose_name': 'historical event',
                'verbose_name_plural': 'historical events',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEventParticipant',
            fields=[
                ('id', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.')),
                ('created_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('role', models.CharField(choices=[('initiator', 'initiator'), ('target', 'target'), ('party', 'party'), ('mediator', 'mediator'), ('excluded', 'excluded'), ('supporter', 'supporter'), ('speaker', 'speaker'), ('attendee', 'attendee'), ('subject', 'subject')], db_index=True, help_text='How the actor takes part.', max_length=10)),
                ('note', models.TextField(blank=True, help_text='Anything the role does not say.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, help_text='The actor taking part.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actors.actor')),
                ('event', models.ForeignKey(blank=True, db_constraint=False, help_text='The event.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.event')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical event participant',
                'verbose_name_plural': 'historical event participants',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEventCitation',
            fields=[
                ('id', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text='Stable identifier, the same across exports and instances.')),
                ('created_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record was created.')),
                ('updated_at', models.DateTimeField(blank=True, db_index=True, editable=False, help_text='When the record last changed.')),
                ('version', models.PositiveIntegerField(default=0, help_text='Bumped on every save; send it back as If-Match to update safely.')),
                ('quote', models.TextField(help_text='The supporting sentence or phrase, verbatim from the document.')),
                ('locator', models.CharField(blank=True, help_text='Where in the document: paragraph or page.', max_length=100)),
                ('credibility', models.PositiveSmallIntegerField(choices=[(1, '1 – confirmed by other sources'), (2, '2 – probably true'), (3, '3 – possibly true'), (4, '4 – doubtful'), (5, '5 – improbable'), (6, '6 – truth cannot be judged')], default=6, help_text='Credibility of the information on the Admiralty scale, 1 (confirmed) to 6 (cannot be judged).')),
                ('note', models.TextField(blank=True, help_text="Curator's note on the citation.")),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('document', models.ForeignKey(blank=True, db_constraint=False, help_text='The document that supports the fact.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sources.document')),
                ('event', models.ForeignKey(blank=True, db_constraint=False, help_text='The event.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.event')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical event citation',
                'verbose_name_plural': 'historical event citations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(add_search_index, drop_search_index),
        migrations.RunPython(seed_event_types, unseed_event_types),
        migrations.RunPython(create_groups, delete_groups),
        migrations.RunPython(copy_place_paths, migrations.RunPython.noop),
    ]
