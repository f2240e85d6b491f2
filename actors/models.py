from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_countries.fields import CountryField

from conflictapi.models import CuratedModel, RecordModel, partial_date_bounds_constraint
from conflictapi.partialdates import partial_date_fields
from conflictapi.text import joined_keys, normalize_name, skeleton
from sources.models import CitationBase, language_validator


class ActorKind(models.TextChoices):
    ARMED_GROUP = "armed_group", "armed group"
    COALITION = "coalition", "coalition"
    STATE = "state", "state"
    STATE_FORCE = "state_force", "state force"
    GOVERNMENT_BODY = "government_body", "government body"
    POLITICAL_ORGANISATION = "political_organisation", "political organisation"
    INTERNATIONAL_ORGANISATION = "international_organisation", "international organisation"
    PERSON = "person", "person"
    MEDIA = "media", "media"
    OTHER = "other", "other"


class AcledActorType(models.IntegerChoices):
    """ACLED's actor types (inter1, inter2)."""

    STATE_FORCES = 1, "State forces"
    REBEL_GROUPS = 2, "Rebel groups"
    POLITICAL_MILITIAS = 3, "Political militias"
    IDENTITY_MILITIAS = 4, "Identity militias"
    RIOTERS = 5, "Rioters"
    PROTESTERS = 6, "Protesters"
    CIVILIANS = 7, "Civilians"
    EXTERNAL_OTHER = 8, "External/Other forces"


# An actor's ACLED type when curators have not set one (README, ACLED-compatible API).
ACLED_TYPE_OF_KIND = {
    ActorKind.STATE: AcledActorType.STATE_FORCES,
    ActorKind.STATE_FORCE: AcledActorType.STATE_FORCES,
    ActorKind.GOVERNMENT_BODY: AcledActorType.STATE_FORCES,
    ActorKind.ARMED_GROUP: AcledActorType.REBEL_GROUPS,
    ActorKind.COALITION: AcledActorType.REBEL_GROUPS,
    ActorKind.POLITICAL_ORGANISATION: AcledActorType.POLITICAL_MILITIAS,
    ActorKind.MEDIA: AcledActorType.CIVILIANS,
    ActorKind.INTERNATIONAL_ORGANISATION: AcledActorType.EXTERNAL_OTHER,
    ActorKind.PERSON: AcledActorType.EXTERNAL_OTHER,
    ActorKind.OTHER: AcledActorType.EXTERNAL_OTHER,
}


SEARCH_KEY_LENGTH = 300  # the search-key columns' max_length


def check_search_key_length(name):
    """A name whose search key (normalize_name, skeleton) outgrows its column is refused
    by name: one character may spell out to many (ﷺ is 18 letters once normalized)."""
    longest = max(len(normalize_name(name or "")), len(skeleton(name or "")))
    if longest > SEARCH_KEY_LENGTH:
        raise ValidationError(
            {
                "name": ValidationError(
                    "This name spells out to %(length)s characters for search; at most %(limit)s.",
                    code="max_length",
                    params={"length": longest, "limit": SEARCH_KEY_LENGTH},
                )
            }
        )


class Actor(CuratedModel):
    PARTIAL_DATES = ("founded", "dissolved")
    # Events show their actors' ACLED types too (api/acled/: inter1, inter2), derived
    # from the kind when not set (conflictapi.dependents).
    SHOWN_FIELDS = (*CuratedModel.SHOWN_FIELDS, "kind", "acled_actor_type")

    name = models.CharField(max_length=300, help_text="The name most sources use.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="URL-safe unique name, e.g. jabhat-al-nusra."
    )
    kind = models.CharField(
        max_length=30,
        choices=ActorKind.choices,
        db_index=True,
        help_text="What the actor is.",
    )
    description = models.TextField(blank=True, help_text="Who the actor is, in brief.")
    country = CountryField(
        blank=True, db_index=True, help_text="Main country of operation (ISO 3166-1)."
    )
    acled_actor_type = models.PositiveSmallIntegerField(
        choices=AcledActorType.choices,
        null=True,
        blank=True,
        help_text="ACLED actor type (inter1/inter2 code, 1-8); empty: derived from the kind "
        "(state, state force, government body 1; armed group, coalition 2; political "
        "organisation 3; media 7; others 8).",
    )
    founded, founded_start, founded_end, founded_precision = partial_date_fields(
        "founded", "When the actor was founded or came to prominence."
    )
    dissolved, dissolved_start, dissolved_end, dissolved_precision = partial_date_fields(
        "dissolved", "When the actor dissolved, merged away or died."
    )
    name_normalized = models.CharField(
        max_length=300, editable=False, db_index=True, help_text="Search key of the name."
    )
    name_skeleton = models.CharField(
        max_length=300,
        editable=False,
        blank=True,
        help_text="Consonant skeleton of the name, for transliteration variants.",
    )
    # The name search reads one row an actor: the keys of its name and of every alias,
    # each on a line of its own (see joined_keys), kept in step by save() here and by
    # every write to an alias. Loaders that write rows in bulk leave them "" (the
    # field default) and run rebuild_name_keys.
    search_names = models.TextField(
        editable=False,
        blank=True,
        help_text="Normalized name and aliases, one a line, for the name search.",
    )
    search_skeletons = models.TextField(
        editable=False,
        blank=True,
        help_text="Skeletons of the name and aliases, one a line, for the name search.",
    )

    class Meta(CuratedModel.Meta):
        ordering = ["name"]
        permissions = [CuratedModel.publish_permission("actor")]
        constraints = [
            *CuratedModel.status_constraints("actor"),
            partial_date_bounds_constraint("actor", "founded", "dissolved"),
        ]

    def __str__(self):
        return self.name

    @property
    def effective_acled_actor_type(self):
        """The ACLED type set by curators, or the default of the actor's kind."""
        if self.acled_actor_type:
            return self.acled_actor_type
        return ACLED_TYPE_OF_KIND.get(self.kind, AcledActorType.EXTERNAL_OTHER)

    def clean(self):
        super().clean()
        check_search_key_length(self.name)

    def save(self, *args, **kwargs):
        self.name_normalized = normalize_name(self.name)
        self.name_skeleton = skeleton(self.name)
        aliases = [] if self._state.adding else alias_keys(self.pk)
        self.search_names, self.search_skeletons = search_keys(
            self.name_normalized, self.name_skeleton, aliases
        )
        super().save(*args, **kwargs)


def search_keys(name_normalized, name_skeleton, aliases):
    """(search_names, search_skeletons) of an actor from its own keys and its aliases'
    (normalized, skeleton) pairs."""
    return (
        joined_keys([name_normalized, *(normalized for normalized, _ in aliases)]),
        joined_keys([name_skeleton, *(skel for _, skel in aliases)]),
    )


def alias_keys(actor_id):
    return list(ActorName.objects.filter(actor_id=actor_id).values_list("normalized", "skeleton"))


def refresh_search_keys(actor_ids):
    """Rewrite the search columns of these actors from their stored keys: after a write
    to an alias (an UPDATE of two derived columns: no new version, no history row)."""
    for pk, name_normalized, name_skeleton in Actor.objects.filter(pk__in=actor_ids).values_list(
        "pk", "name_normalized", "name_skeleton"
    ):
        names, skeletons = search_keys(name_normalized, name_skeleton, alias_keys(pk))
        Actor.objects.filter(pk=pk).update(search_names=names, search_skeletons=skeletons)


class NameKind(models.TextChoices):
    ORIGINAL = "original", "name in the original language or script"
    ACRONYM = "acronym", "acronym"
    SHORT = "short", "short form"
    TRANSLITERATION = "transliteration", "transliteration"
    TRANSLATION = "translation", "translation"
    FORMER = "former", "former name"
    PEJORATIVE = "pejorative", "pejorative"
    NICKNAME = "nickname", "nickname or metonym"


class ActorName(RecordModel):
    """Every other name of an actor: "Da'esh", "ISIL", "JN", "جبهة النصرة"."""

    # CASCADE: a name means nothing without its actor (and actors with ties are
    # protected from deletion anyway).
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="names", help_text="Whose name."
    )
    name = models.CharField(max_length=300, help_text="The name as written.")
    kind = models.CharField(
        max_length=20, choices=NameKind.choices, help_text="What sort of name it is."
    )
    language = models.CharField(
        max_length=35,
        blank=True,
        validators=[language_validator],
        help_text="BCP 47 language tag of the name, e.g. ar or en.",
    )
    note = models.TextField(blank=True, help_text="Who uses the name, and when.")
    normalized = models.CharField(
        max_length=300,
        editable=False,
        db_index=True,
        help_text="Search key: lower-case, no accents, apostrophes or diacritics.",
    )
    skeleton = models.CharField(
        max_length=300,
        editable=False,
        blank=True,
        help_text="Consonant skeleton, for transliteration variants (Nusra/Nosra).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "name"],
                name="actorname_unique_per_actor",
                violation_error_message="The actor already has this name.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="actorname_not_empty"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_actor_id = instance.__dict__.get("actor_id")
        return instance

    def clean(self):
        super().clean()
        check_search_key_length(self.name)

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        self.skeleton = skeleton(self.name)
        super().save(*args, **kwargs)
        # The actor's search columns hold this alias: the one it now belongs to, and
        # the one it was moved from, if any.
        stored = getattr(self, "_stored_actor_id", None)
        refresh_search_keys({self.actor_id, stored} - {None})
        self._stored_actor_id = self.actor_id


identifier_scheme_validator = RegexValidator(
    r"^[a-z][a-z0-9_-]*$", "Use a lower-case scheme name such as wikidata or acled."
)


class ActorIdentifier(RecordModel):
    """The crosswalk to other data sets: (scheme, value) is unique."""

    # CASCADE: an identifier belongs to its actor alone.
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="identifiers",
        help_text="The actor identified.",
    )
    scheme = models.CharField(
        max_length=30,
        validators=[identifier_scheme_validator],
        help_text="The data set or registry: wikidata, acled, ucdp, gtd, …",
    )
    value = models.CharField(max_length=200, help_text="The actor's id in that scheme.")

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="actoridentifier_unique_scheme_value",
                violation_error_message="Another actor already has this identifier.",
            ),
            models.CheckConstraint(
                condition=~models.Q(value=""), name="actoridentifier_value_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"


class AffiliationKind(models.TextChoices):
    MEMBER_OF = "member_of", "member of"
    LEADER_OF = "leader_of", "leader of"
    BRANCH_OF = "branch_of", "branch of"
    ALLIED_WITH = "allied_with", "allied with"
    COORDINATES_WITH = "coordinates_with", "coordinates with"
    SUPPORTS = "supports", "supports"
    SPLIT_FROM = "split_from", "split from"
    MERGED_INTO = "merged_into", "merged into"
    RIVAL_OF = "rival_of", "rival of"


# These kinds read both ways: "A allied with B" is "B allied with A".
SYMMETRIC_KINDS = frozenset(
    {
        AffiliationKind.ALLIED_WITH,
        AffiliationKind.COORDINATES_WITH,
        AffiliationKind.RIVAL_OF,
    }
)


class Affiliation(CuratedModel):
    """A dated, cited edge: SUBJECT kind OBJECT ("Jabhat al-Nusra branch_of al-Qaeda")."""

    PARTIAL_DATES = ("start_date", "end_date")
    SHOWN_FIELDS = ()  # no record renders a tie
    # A tie is shown only with both its ends (conflictapi.visibility).
    REQUIRES = ("subject", "object")

    # PROTECT: an actor cannot be deleted while ties name it.
    subject = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="affiliations_as_subject",
        help_text="The actor the statement is about.",
    )
    kind = models.CharField(
        max_length=20,
        choices=AffiliationKind.choices,
        db_index=True,
        help_text="The tie. allied_with, coordinates_with and rival_of read both ways.",
    )
    # PROTECT: as for subject.
    object = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="affiliations_as_object",
        help_text="The other actor of the tie.",
    )
    role = models.CharField(
        max_length=200, blank=True, help_text='Role within the tie, e.g. "commander".'
    )
    start_date, start_date_start, start_date_end, start_date_precision = partial_date_fields(
        "start date", "When the tie began."
    )
    end_date, end_date_start, end_date_end, end_date_precision = partial_date_fields(
        "end date", "When the tie ended; empty while it holds."
    )
    description = models.TextField(blank=True, help_text="What the tie amounts to.")

    class Meta(CuratedModel.Meta):
        ordering = ["subject__name", "kind", "object__name"]
        permissions = [CuratedModel.publish_permission("affiliation")]
        constraints = [
            *CuratedModel.status_constraints("affiliation"),
            models.CheckConstraint(
                condition=~models.Q(subject=models.F("object")),
                name="affiliation_no_self_edge",
                violation_error_message="An actor cannot be affiliated with itself.",
            ),
            partial_date_bounds_constraint("affiliation", "start_date", "end_date"),
        ]

    def __str__(self):
        return f"{self.subject} {self.get_kind_display()} {self.object}"


class ActorCitation(CitationBase):
    # CASCADE: a citation is part of the record it supports.
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="citations", help_text="The actor."
    )

    class Meta(CitationBase.Meta):
        constraints = CitationBase.citation_constraints("actorcitation")


class AffiliationCitation(CitationBase):
    # CASCADE: a citation is part of the record it supports.
    affiliation = models.ForeignKey(
        Affiliation,
        on_delete=models.CASCADE,
        related_name="citations",
        help_text="The affiliation.",
    )

    class Meta(CitationBase.Meta):
        constraints = CitationBase.citation_constraints("affiliationcitation")


@receiver(post_delete, sender=ActorName, dispatch_uid="actors-alias-deleted-search-keys")
def _alias_deleted(sender, instance, **kwargs):
    # Deleting an actor deletes its aliases first; refreshing the row about to go is a
    # harmless no-op.
    refresh_search_keys([instance.actor_id])
