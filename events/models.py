from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Func, Q, Value
from django.db.models.functions import Concat, Length, Substr, Upper
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django_countries.fields import CountryField

from actors.models import Actor
from conflictapi.models import CuratedModel, RecordModel
from conflictapi.partialdates import partial_date_fields
from conflictapi.text import joined_keys, normalize_name
from sources.models import CitationBase


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "country"
    ADMIN1 = "admin1", "first-level division (governorate, province)"
    ADMIN2 = "admin2", "second-level division (district)"
    ADMIN3 = "admin3", "third-level division (sub-district)"
    TOWN = "town", "city, town or village"
    CROSSING = "crossing", "border crossing"
    SITE = "site", "site (base, building, field)"
    REGION = "region", "region"


def place_search_names(name, alternate_names):
    """A place's search keys (Place.search_names) from its name and alternate names."""
    names = alternate_names if isinstance(alternate_names, list) else []
    return joined_keys(normalize_name(n) for n in [name, *names] if isinstance(n, str))


class Place(CuratedModel):
    # Events show their place's coordinates and country too.
    # kind: an ACLED row names the places above its own by kind (admin1–admin3).
    SHOWN_FIELDS = ("slug", "name", "kind", "status", "country", "latitude", "longitude")

    name = models.CharField(max_length=200, help_text="The usual English name.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="URL-safe unique name, e.g. idlib-governorate.",
    )
    kind = models.CharField(
        max_length=10,
        choices=PlaceKind.choices,
        db_index=True,
        help_text="What the place is.",
    )
    # PROTECT: a place with places inside it cannot be deleted.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The place this one lies in (a town's governorate).",
    )
    path = models.CharField(
        max_length=1000,
        editable=False,
        db_index=True,
        help_text="Ids from the root down to this place, '/'-separated; derived.",
    )
    country = CountryField(blank=True, db_index=True, help_text="ISO 3166-1 country.")
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="WGS 84 latitude in degrees, -90 to 90.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="WGS 84 longitude in degrees, -180 to 180.",
    )
    alternate_names = models.JSONField(
        default=list, blank=True, help_text="Other spellings, e.g. Arabic script."
    )
    geonames_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="GeoNames id, where known."
    )
    # The search keys of the name and every alternate name, a line each (see
    # conflictapi.text.joined_keys), derived on save: `place=Idleb` finds Idlib by one
    # condition on the place table, through its trigram index on PostgreSQL.
    search_names = models.TextField(
        blank=True,
        editable=False,
        help_text="Normalized name and alternate names, one a line; derived.",
    )

    class Meta(CuratedModel.Meta):
        ordering = ["name"]
        indexes = [
            # bbox: a longitude band, then the latitudes within it.
            models.Index(fields=["longitude", "latitude"], name="place_lon_lat"),
            # The few places readers may not see, under a place or in a country: events
            # filters leave out the events in them (events.filters.without_hidden_places).
            models.Index(
                fields=["path"],
                name="place_unpublished_path",
                condition=~models.Q(status="published"),
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["country"],
                name="place_unpublished_country",
                condition=~models.Q(status="published"),
            ),
        ]
        permissions = [CuratedModel.publish_permission("place")]
        constraints = [
            *CuratedModel.status_constraints("place"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_paired",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="place_not_own_parent",
                violation_error_message="A place cannot lie inside itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and self._would_cycle():
            raise ValidationError({"parent": "A place cannot lie inside itself."})
        if self.parent_id:
            self._check_depth()
        if not isinstance(self.alternate_names, list) or not all(
            isinstance(n, str) for n in self.alternate_names
        ):
            raise ValidationError({"alternate_names": "Give a list of names."})

    def _check_depth(self):
        """The path column holds ~30 levels (33 characters each): a parent that would
        push this place, or the deepest place below it, past that is refused."""
        limit = Place._meta.get_field("path").max_length
        parent_path = (
            Place._base_manager.filter(pk=self.parent_id).values_list("path", flat=True).first()
            or ""
        )
        below = 0
        if self.path:
            deepest = Place._base_manager.filter(path__startswith=self.path).aggregate(
                longest=models.Max(Length("path"))
            )["longest"]
            below = (deepest or len(self.path)) - len(self.path)
        step = len(self.pk.hex) + 1
        if len(parent_path) + step + below > limit:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        "Places nest at most %(levels)s levels deep; under this parent, "
                        "this place (or one inside it) would be deeper.",
                        code="max_depth",
                        params={"levels": limit // step},
                    )
                }
            )

    def _would_cycle(self):
        parent = Place.objects.filter(pk=self.parent_id).values_list("path", flat=True)
        return any(self.pk.hex in (p or "").split("/") for p in parent)

    # One lock for every change of a place's parent (PostgreSQL): two concurrent moves
    # (x under y, y under x) each check for a cycle before the other commits.
    MOVE_LOCK = 0x706C61636500  # "place" in the advisory lock space

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            connection = connections[kwargs.get("using") or "default"]
            if self.parent_id and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self.MOVE_LOCK])
            self._save_with_path(*args, **kwargs)

    def _save_with_path(self, *args, **kwargs):
        self.search_names = place_search_names(self.name, self.alternate_names)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "alternate_names"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_names"}
        old_path = self.path
        old_country = (
            Place._base_manager.filter(pk=self.pk).values_list("country", flat=True).first()
            if old_path
            else None
        )
        parent_path = ""
        if self.parent_id:
            if self._would_cycle():
                raise ValidationError({"parent": "A place cannot lie inside itself."})
            parent_path = Place.objects.values_list("path", flat=True).get(pk=self.parent_id)
        self.path = f"{parent_path}{self.pk.hex}/"
        super().save(*args, **kwargs)
        if old_country is not None and old_country != self.country:
            # The events here carry the place's country (Event.country); their rows
            # change with the place's (its direct renderers, conflictapi.dependents).
            Event._base_manager.filter(place_id=self.pk).update(country=self.country)
        if old_path and old_path != self.path:
            from conflictapi.dependents import changed

            # Moved: every place below follows, and the events in them.
            for child in Place.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                Place.objects.filter(pk=child.pk).update(
                    path=self.path + child.path[len(old_path) :]
                )
            Event._base_manager.filter(place_path__startswith=old_path).update(
                place_path=Concat(
                    Value(self.path),
                    Substr("place_path", len(old_path) + 1),
                    output_field=models.CharField(),
                ),
                # Their rows name the places above them (ACLED's admin1–admin3).
                **changed(timezone.now()),
            )

    def representation_changed(self):
        """Events anywhere below show this place too: an ACLED row names the places
        above its own (admin1–admin3), so those events change with it (those at the
        place itself are its direct renderers)."""
        from conflictapi.dependents import changed

        super().representation_changed()
        Event._base_manager.filter(place_path__startswith=self.path).exclude(
            place_id=self.pk
        ).update(**changed(timezone.now()))

    def descendants(self, include_self=True):
        qs = Place.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class EventType(CuratedModel):
    """A two-level vocabulary: ACLED's event types, and beneath each its sub-event
    types and this domain's finer kinds. A finer kind names the ACLED sub-event type it
    exports as, so ACLED exports are lossless."""

    name = models.CharField(max_length=100, help_text="The type's name.")
    slug = models.SlugField(max_length=100, unique=True, help_text="URL-safe unique name.")
    # PROTECT: a type with sub-types cannot be deleted.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The event type this sub-type belongs to; empty for a top-level type.",
    )
    # PROTECT: the ACLED mapping must not dangle.
    acled_equivalent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a finer kind: the ACLED sub-event type it exports as.",
    )
    is_acled = models.BooleanField(default=False, help_text="Part of ACLED's own vocabulary.")
    description = models.TextField(blank=True, help_text="What the type covers.")

    class Meta(CuratedModel.Meta):
        ordering = ["parent__name", "name"]
        permissions = [CuratedModel.publish_permission("eventtype")]
        constraints = [
            *CuratedModel.status_constraints("eventtype"),
            models.UniqueConstraint(
                fields=["parent", "name"], name="eventtype_unique_name_in_parent"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Event types have two levels only."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A type cannot be its own parent."})

    @property
    def acled_sub_event_type(self):
        if self.acled_equivalent_id:
            return self.acled_equivalent
        return self if self.parent_id else None


class GeoPrecision(models.IntegerChoices):
    """ACLED's geo_precision codes."""

    EXACT = 1, "1 – the named town or site"
    NEAR = 2, "2 – near the named place, or a part of a region"
    REGION = 3, "3 – only the wider region is known"


class OctetLength(Func):
    """The length of a text in bytes (UTF-8), as an index entry holds it."""

    function = "OCTET_LENGTH"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))")


# The text `q` reads: title and summary, upper-cased once on write, joined by a line
# break (a `q` with one is also matched field by field: see text_q). Longer texts are left
# NULL: the column is carried in a B-tree index, whose entries hold ~2,700 bytes.
SEARCH_SEPARATOR = "\n"
SEARCH_MAX_BYTES = 2000
_SEARCH_TEXT = Upper(
    Concat("title", Value(SEARCH_SEPARATOR), "summary", output_field=models.TextField())
)


def text_q(value):
    """Events whose title or summary contains `value`, case-insensitively (as icontains:
    UPPER(text) LIKE UPPER('%value%')), through the stored `search` column."""
    fields = Q(title__icontains=value) | Q(summary__icontains=value)
    stored = Q(search__contains=Upper(Value(value)))
    if SEARCH_SEPARATOR in value:
        # The column holds every match of the fields, and one across their join too:
        # it narrows the rows (through its index), the fields decide.
        stored &= fields
    # Texts too long for the column are matched on the fields themselves, found through
    # the index of such events (in practice none or a few), and passed on as ids: a
    # subquery in the condition would keep PostgreSQL from answering it from an index.
    long_texts = Event._base_manager.filter(Q(search__isnull=True) & fields)
    long_ids = list(long_texts.order_by().values_list("pk", flat=True))
    return stored | Q(pk__in=long_ids) if long_ids else stored


class Event(CuratedModel):
    PARTIAL_DATES = ("date",)
    SHOWN_FIELDS = ()  # no record renders an event

    title = models.CharField(max_length=300, help_text="One line: who did what, where.")
    # PROTECT: the vocabulary may not lose a type that events use.
    event_type = models.ForeignKey(
        EventType,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="What kind of event.",
    )
    date, date_start, date_end, date_precision = partial_date_fields("date", "When it happened.")
    # PROTECT: a place with events cannot be deleted.
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text="Where it happened, as precisely as the sources say.",
    )
    # The place's path (its ancestors' ids), kept in step on save and when a place
    # moves: "events in this place or anywhere inside it" is then a prefix range in an
    # index rather than a join through thousands of places.
    place_path = models.CharField(
        max_length=1000,
        blank=True,
        editable=False,
        help_text="Copy of the place's path, for place filters.",
    )
    # The place's country, kept in step on save and when the place's country changes:
    # a country filter (the commonest, in ACLED's API and ours) then reads the country's
    # events in date order from one index, not every event of the dates through a join.
    country = models.CharField(
        max_length=2,
        blank=True,
        editable=False,
        help_text="Copy of the place's country (ISO alpha-2), for country filters.",
    )
    geo_precision = models.PositiveSmallIntegerField(
        choices=GeoPrecision.choices,
        null=True,
        blank=True,
        help_text="How precisely the place locates the event (ACLED's geo_precision).",
    )
    fatalities_low = models.PositiveIntegerField(
        null=True, blank=True, help_text="Lowest reported number of deaths."
    )
    fatalities_best = models.PositiveIntegerField(
        null=True, blank=True, help_text="Best estimate of deaths."
    )
    fatalities_high = models.PositiveIntegerField(
        null=True, blank=True, help_text="Highest reported number of deaths."
    )
    summary = models.TextField(
        blank=True, help_text="What happened, with the figures the sources give."
    )
    actors = models.ManyToManyField(
        Actor, through="EventParticipant", related_name="events", blank=True
    )
    # ACLED's columns with no other home here: an imported ACLED row keeps them, so
    # that it reads back (api/acled/) with every column it came with.
    tags = models.TextField(
        blank=True,
        help_text="ACLED's tags: further details, ';'-separated "
        '(e.g. "crowd size=no report; women targeted: candidates").',
    )
    civilian_targeting = models.CharField(
        max_length=30,
        blank=True,
        help_text='ACLED\'s civilian_targeting: "Civilian targeting" when civilians were '
        "the main or only target, else empty.",
    )
    source_scale = models.CharField(
        max_length=100,
        blank=True,
        help_text='ACLED\'s source_scale, e.g. "National", "Subnational-National", "New media".',
    )
    acled_source = models.TextField(
        blank=True,
        help_text="ACLED's source list as imported (';'-separated outlet names); empty "
        "for events of our own, whose ACLED source is the outlets they cite.",
    )

    # Derived by the database on every write (so bulk writes and raw SQL keep it too):
    # `q` compares it with LIKE, without upper-casing two columns per row, and the
    # newest matches are found by walking an index that carries it (see Meta).
    search = models.GeneratedField(
        expression=models.Case(
            models.When(
                LessThanOrEqual(OctetLength(_SEARCH_TEXT), SEARCH_MAX_BYTES), then=_SEARCH_TEXT
            ),
        ),
        output_field=models.TextField(null=True),
        db_persist=True,
    )

    def save(self, *args, identifiers=None, **kwargs):
        """`identifiers`: {scheme: value} a new event comes with (an importer's ACLED or
        UCDP id); on creation, every scheme of IDENTIFIER_SCHEMES it lacks gets an id of
        our own (EventIdentifier), in the same transaction, never re-derived."""
        place = Place._base_manager.filter(pk=self.place_id).values_list("path", "country")
        self.place_path, self.country = (place.first() or ("", "")) if self.place_id else ("", "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"place", "place_id"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "place_path", "country"}
        adding = self._state.adding
        if not adding or kwargs.get("raw"):
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            assign_identifiers([self.pk], given={self.pk: identifiers or {}}, using=using)

    class Meta(CuratedModel.Meta):
        # Newest first; the id makes the order total, for keyset pagination.
        ordering = ["-date_start", "-id"]
        indexes = [
            # The default order and keyset pagination walk this index.
            models.Index(fields=["-date_start", "-id"], name="event_date_start_id"),
            # A country's published events in date order (ACLED's commonest filter).
            models.Index(
                fields=["country", "-date_start", "-id"],
                name="event_published_country_date",
                condition=models.Q(status="published"),
            ),
            # The same for the published events, what every anonymous list reads: page
            # offsets are stepped over in this index alone (an index-only scan).
            models.Index(
                fields=["-date_start", "-id"],
                name="event_published_date_id",
                condition=models.Q(status="published"),
            ),
            # bbox (the places in it), with or without a type: counted, and the page's
            # newest found, in this index alone.
            models.Index(
                fields=["place", "event_type"],
                name="event_published_place_type",
                include=["date_start", "id"],
                condition=models.Q(status="published"),
            ),
            # Place with everything inside it (a path prefix), with or without a type:
            # counted, and the page's newest found, in these indexes alone.
            models.Index(
                fields=["event_type", "place_path"],
                name="event_published_type_path",
                include=["date_start", "id"],
                opclasses=["", "varchar_pattern_ops"],
                condition=models.Q(status="published"),
            ),
            # A place and a type with sub-types (event_type IN a list): the place's
            # range is read once, and the types picked in the index, not the table.
            models.Index(
                fields=["place_path"],
                name="event_published_path",
                include=["date_start", "id", "event_type"],
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(status="published"),
            ),
            # `q`, when its matches are common: the newest are found by walking the
            # date order in this index alone, testing the text it carries (~0.1 µs an
            # entry; through the table, ~5 µs). Rare matches come from the trigram
            # index on the same column (migration 0014, PostgreSQL only).
            models.Index(
                fields=["-date_start", "-id"],
                name="event_published_search",
                include=["search"],
                condition=models.Q(status="published"),
            ),
            # The few texts too long for `search`, which text_q matches field by field.
            models.Index(
                fields=["id"], name="event_long_text", condition=models.Q(search__isnull=True)
            ),
        ]
        permissions = [CuratedModel.publish_permission("event")]
        constraints = [
            *CuratedModel.status_constraints("event"),
            models.CheckConstraint(
                condition=~models.Q(date=""),
                name="event_date_required",
                violation_error_message="An event needs a date, however vague.",
            ),
            models.CheckConstraint(
                condition=models.Q(fatalities_low__isnull=True)
                | models.Q(fatalities_best__isnull=True)
                | models.Q(fatalities_low__lte=models.F("fatalities_best")),
                name="event_fatalities_low_le_best",
                violation_error_message="Fatalities: low cannot exceed best.",
            ),
            models.CheckConstraint(
                condition=models.Q(fatalities_best__isnull=True)
                | models.Q(fatalities_high__isnull=True)
                | models.Q(fatalities_best__lte=models.F("fatalities_high")),
                name="event_fatalities_best_le_high",
                violation_error_message="Fatalities: best cannot exceed high.",
            ),
            models.CheckConstraint(
                condition=models.Q(fatalities_low__isnull=True)
                | models.Q(fatalities_high__isnull=True)
                | models.Q(fatalities_low__lte=models.F("fatalities_high")),
                name="event_fatalities_low_le_high",
                violation_error_message="Fatalities: low cannot exceed high.",
            ),
        ]

    def __str__(self):
        return self.title


class ParticipantRole(models.TextChoices):
    INITIATOR = "initiator", "initiator"
    TARGET = "target", "target"
    PARTY = "party", "party"
    MEDIATOR = "mediator", "mediator"
    EXCLUDED = "excluded", "excluded"
    SUPPORTER = "supporter", "supporter"
    SPEAKER = "speaker", "speaker"
    ATTENDEE = "attendee", "attendee"
    SUBJECT = "subject", "subject"


class EventParticipant(RecordModel):
    # A participation is shown only with its actor (conflictapi.visibility).
    REQUIRES = ("actor",)

    # CASCADE: a participation is part of its event.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", help_text="The event."
    )
    # PROTECT: an actor with events cannot be deleted.
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text="The actor taking part.",
    )
    role = models.CharField(
        max_length=10,
        choices=ParticipantRole.choices,
        db_index=True,
        help_text="How the actor takes part.",
    )
    note = models.TextField(blank=True, help_text="Anything the role does not say.")

    class Meta:
        ordering = ["role", "actor__name"]
        indexes = [
            # "Events of this actor": the participations of an actor, without the table.
            models.Index(fields=["actor", "event"], name="participant_actor_event"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="eventparticipant_unique_role",
                violation_error_message="The actor already has this role in the event.",
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.role})"


class EventCitation(CitationBase):
    # CASCADE: a citation is part of the record it supports.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="citations", help_text="The event."
    )

    class Meta(CitationBase.Meta):
        constraints = CitationBase.citation_constraints("eventcitation")


class IdentifierScheme(models.TextChoices):
    ACLED = "acled", "ACLED event_id_cnty"
    UCDP = "ucdp", "UCDP GED id"


# Every event has an id in each of these schemes (EventIdentifier).
IDENTIFIER_SCHEMES = (IdentifierScheme.ACLED, IdentifierScheme.UCDP)

# Ids of our own never collide with the data sets': ACLED's event_id_cnty is an ISO
# 3166 alpha-3 code and digits ("SYR12345"), never a hyphen, so ours are "CDA-" and a
# number; UCDP GED ids are integers below ten million, so ours count up from a billion
# (below 2**53: exact as a JSON number in every client).
OWN_ACLED_PREFIX = "CDA-"
OWN_UCDP_START = 1_000_000_000
COUNTER_START = {IdentifierScheme.ACLED: 1, IdentifierScheme.UCDP: OWN_UCDP_START}


def own_identifier(scheme, number):
    """Our event id number `number` in `scheme`, as stored and served."""
    if scheme == IdentifierScheme.ACLED:
        return f"{OWN_ACLED_PREFIX}{number}"
    return str(number)


class IdentifierCounter(models.Model):
    """The next number of our own event ids in a scheme. allocate() advances it by an
    UPDATE, which holds the row locked to the end of the creating transaction: two
    writers never get the same numbers, on PostgreSQL or SQLite."""

    scheme = models.CharField(
        max_length=30, primary_key=True, help_text="The identifier scheme (acled, ucdp)."
    )
    next_value = models.BigIntegerField(help_text="The number the next id gets.")

    def __str__(self):
        return f"{self.scheme}: next {self.next_value}"

    @classmethod
    def allocate(cls, scheme, n=1, *, using="default"):
        """Reserve `n` consecutive numbers of `scheme`; returns the first. Call inside
        the transaction that writes them (a rollback gives them back)."""
        with transaction.atomic(using=using):
            counters = cls.objects.using(using).filter(scheme=scheme)
            if not counters.update(next_value=models.F("next_value") + n):
                # The migration creates the counters; a flushed test database has none.
                cls.objects.using(using).get_or_create(
                    scheme=scheme, defaults={"next_value": COUNTER_START[scheme]}
                )
                counters.update(next_value=models.F("next_value") + n)
            return counters.values_list("next_value", flat=True).get() - n


def assign_identifiers(event_ids, *, given=None, using="default"):
    """Give the events `event_ids` (new ones, in order) their identifiers: the values in
    `given` ({event id: {scheme: value}}), and ids of our own, allocated in one block a
    scheme, for the rest. For bulk loaders as for Event.save."""
    given = given or {}
    rows = []
    for scheme in IDENTIFIER_SCHEMES:
        lacking = [pk for pk in event_ids if scheme not in given.get(pk, {})]
        first = IdentifierCounter.allocate(scheme, len(lacking), using=using) if lacking else 0
        numbers = dict(zip(lacking, range(first, first + len(lacking)), strict=True))
        for pk in event_ids:
            value = given.get(pk, {}).get(scheme) or own_identifier(scheme, numbers[pk])
            rows.append(EventIdentifier(event_id=pk, scheme=scheme, value=value))
    # The database's unique constraints refuse a given id another event holds.
    EventIdentifier.objects.using(using).bulk_create(rows)
    return rows


class EventIdentifier(RecordModel):
    """An event's id in another data set's scheme: ACLED's event_id_cnty, UCDP's GED id.
    Stored once, when the event is created (imported: the data set's own; ours: see
    own_identifier), and never re-derived: clients that sync by them keep their rows."""

    # CASCADE: an identifier belongs to its event alone (and published events are
    # never deleted).
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="identifiers",
        help_text="The event identified.",
    )
    scheme = models.CharField(
        max_length=30,
        choices=IdentifierScheme.choices,
        help_text="The data set: acled (event_id_cnty) or ucdp (GED id).",
    )
    value = models.CharField(max_length=100, help_text="The event's id in that scheme.")

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="eventidentifier_unique_scheme_value",
                violation_error_message="Another event already has this identifier.",
            ),
            models.UniqueConstraint(
                fields=["event", "scheme"],
                name="eventidentifier_one_per_scheme",
                violation_error_message="The event already has an id in this scheme.",
            ),
            models.CheckConstraint(
                condition=~models.Q(value=""), name="eventidentifier_value_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"
