from django.core.validators import RegexValidator
from django.db import models
from django_countries.fields import CountryField

from conflictapi.models import CuratedModel, RecordModel, Status

language_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "Enter a BCP 47 language tag such as en, ar or pt-BR.",
)


class Reliability(models.TextChoices):
    """Admiralty (NATO) source reliability."""

    A = "A", "A – completely reliable"
    B = "B", "B – usually reliable"
    C = "C", "C – fairly reliable"
    D = "D", "D – not usually reliable"
    E = "E", "E – unreliable"
    F = "F", "F – reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """Admiralty (NATO) information credibility."""

    CONFIRMED = 1, "1 – confirmed by other sources"
    PROBABLY_TRUE = 2, "2 – probably true"
    POSSIBLY_TRUE = 3, "3 – possibly true"
    DOUBTFUL = 4, "4 – doubtful"
    IMPROBABLE = 5, "5 – improbable"
    CANNOT_JUDGE = 6, "6 – truth cannot be judged"


class OutletKind(models.TextChoices):
    NEWS = "news", "news"
    STATE_MEDIA = "state_media", "state media"
    MONITOR = "monitor", "monitor or NGO"
    RESEARCH = "research", "research"
    GOVERNMENT = "government", "government"
    ARMED_GROUP_MEDIA = "armed_group_media", "armed-group media"
    BLOG = "blog", "blog"


class Outlet(CuratedModel):
    name = models.CharField(max_length=200, help_text="The outlet's name.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="URL-safe unique name, e.g. daily-beast."
    )
    kind = models.CharField(
        max_length=20, choices=OutletKind.choices, help_text="What sort of publisher."
    )
    country = CountryField(blank=True, help_text="Where the outlet is based (ISO 3166-1).")
    url = models.URLField(blank=True, help_text="The outlet's home page.")
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        help_text="Source reliability on the Admiralty scale, A (completely reliable) "
        "to F (cannot be judged).",
    )

    class Meta(CuratedModel.Meta):
        ordering = ["name"]
        permissions = [CuratedModel.publish_permission("outlet")]
        constraints = CuratedModel.status_constraints("outlet")

    def __str__(self):
        return self.name


class Document(CuratedModel):
    # A citation shows its document in brief, with the document's outlet.
    SHOWN_FIELDS = ("title", "url", "published_on", "outlet", "status")

    # PROTECT: an outlet cannot be deleted while documents cite it.
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Who published the document.",
    )
    title = models.CharField(max_length=500, help_text="Title as published.")
    authors = models.CharField(
        max_length=500, blank=True, help_text="Authors as credited, comma-separated."
    )
    published_on = models.DateField(
        null=True, blank=True, db_index=True, help_text="Publication date."
    )
    url = models.URLField(max_length=1000, blank=True, help_text="Where it is published.")
    language = models.CharField(
        max_length=35,
        default="en",
        validators=[language_validator],
        help_text="BCP 47 language tag of the text, e.g. en or ar.",
    )
    summary = models.TextField(blank=True, help_text="What the document reports.")
    # A data set's release (an ACLED export, a UCDP GED version) is a document too: the
    # importers (dataload.importing) record what was read, and under which terms.
    release = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a data set release: its version or date (GED 25.1, an ACLED export's date).",
    )
    row_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a data set release: the rows its file held."
    )
    checksum = models.CharField(
        max_length=80,
        blank=True,
        db_index=True,
        help_text="For a data set release: the file's SHA-256 (sha256:<hex>), so that the "
        "same file is recognised when it is imported again.",
    )
    licence = models.TextField(
        blank=True, help_text="The terms under which the document may be used or shared."
    )
    attribution = models.TextField(
        blank=True, help_text="The attribution its licence requires of those who use it."
    )

    def retraction_conflicts(self):
        """Published records (events, actors, ties) for which this document is the
        only published citation: retracting it would leave a published fact unsupported."""
        blocked = []
        for rel in self._meta.related_objects:
            citation = rel.related_model
            if not issubclass(citation, CitationBase):
                continue
            parent = next(
                f for f in citation._meta.concrete_fields if f.many_to_one and f.name != "document"
            )
            cited_here = citation.objects.filter(document=self).values(parent.attname)
            cited_elsewhere = (
                citation.objects.filter(document__status=Status.PUBLISHED)
                .exclude(document=self)
                .values(parent.attname)
            )
            blocked += (
                parent.related_model._base_manager.filter(
                    status=Status.PUBLISHED, pk__in=cited_here
                )
                .exclude(pk__in=cited_elsewhere)
                .order_by()[:20]
            )
        return blocked

    class Meta(CuratedModel.Meta):
        ordering = ["-published_on", "title"]
        permissions = [CuratedModel.publish_permission("document")]
        constraints = CuratedModel.status_constraints("document")

    def __str__(self):
        return self.title


class CitationBase(RecordModel):
    """A fact's support: the document and the verbatim quote. Each citing app has a
    concrete table with a plain foreign key to what it cites."""

    # A quote is shown only with the document it is from (conflictapi.visibility).
    REQUIRES = ("document",)

    # PROTECT: deleting a document would silently strip facts of their support.
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        help_text="The document that supports the fact.",
    )
    quote = models.TextField(
        help_text="The supporting sentence or phrase, verbatim from the document."
    )
    locator = models.CharField(
        max_length=100, blank=True, help_text="Where in the document: paragraph or page."
    )
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices,
        default=Credibility.CANNOT_JUDGE,
        help_text="Credibility of the information on the Admiralty scale, 1 "
        "(confirmed) to 6 (cannot be judged).",
    )
    note = models.TextField(blank=True, help_text="Curator's note on the citation.")

    class Meta:
        abstract = True

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:57] + "…"
        return f"“{quote}”"

    @classmethod
    def citation_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=~models.Q(quote=""),
                name=f"{prefix}_quote_required",
                violation_error_message="A citation needs its verbatim quote.",
            ),
            models.CheckConstraint(
                condition=models.Q(credibility__gte=1, credibility__lte=6),
                name=f"{prefix}_credibility_range",
                violation_error_message="Credibility is 1 to 6.",
            ),
        ]
