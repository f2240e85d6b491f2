from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField

from conflictapi.dependents import changed
from conflictapi.models import CuratedModel, RecordModel, Status
from sources import quotes

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
    # Others' copyright: served to curators only (DocumentSerializer.curators_only).
    text = models.TextField(
        blank=True,
        help_text="The document's full text, where the curators hold it: every quote "
        "citing the document must then occur in it, and a citation's paragraph is read "
        "from it. Shown to curators and editors only.",
    )

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        if "text" in document.__dict__:
            document._stored_text = document.text
        return document

    def _text_before(self):
        """The text as stored (None for a new document)."""
        if self._state.adding:
            return None
        if hasattr(self, "_stored_text"):
            return self._stored_text
        return type(self)._base_manager.filter(pk=self.pk).values_list("text", flat=True).first()

    def citation_models(self):
        return [
            rel.related_model
            for rel in self._meta.related_objects
            if issubclass(rel.related_model, CitationBase)
        ]

    def citations_broken_by(self, text, limit=20):
        """This document's citations whose quote (not marked as a translation) does
        not occur in `text`: at most `limit` of them."""
        broken = []
        for model in self.citation_models():
            rows = model.objects.filter(document=self, translation=False).select_related(
                model.cited_field().name
            )
            for citation in rows.order_by("created_at"):
                if quotes.find(text, citation.quote) is None:
                    broken.append(citation)
                    if len(broken) >= limit:
                        return broken
        return broken

    def clean(self):
        super().clean()
        if not self.text or self.text == self._text_before():
            return
        broken = self.citations_broken_by(self.text)
        if broken:
            listed = "; ".join(f"{c.describe()} ({c.locator or 'no locator'})" for c in broken[:10])
            more = " and more" if len(broken) > 10 else ""
            raise ValidationError(
                {
                    "text": f"This text does not hold the quote of {len(broken)}"
                    f"{'+' if len(broken) >= 20 else ''} citation(s) of the document: "
                    f"{listed}{more}. Correct those quotes (or mark them as the curator's "
                    "translation) first, or leave the text empty."
                }
            )

    def save(self, *args, **kwargs):
        before = self._text_before()
        super().save(*args, **kwargs)
        self._stored_text = self.text
        if before is not None and before != self.text:
            self.recheck_citations()

    def recheck_citations(self):
        """Hold every citation of this document against its text as it now is: their
        `quote_verified` (and an empty locator) follow, and the records they support
        get a new version and updated_at, as their representation changed."""
        now = timezone.now()
        for model in self.citation_models():
            cited = model.cited_field()
            rows = list(
                model.objects.filter(document=self).only(
                    "id", "quote", "locator", "quote_verified", "version", cited.attname
                )
            )
            touched, owners = [], set()
            for citation in rows:
                citation.document = self
                before = (citation.quote_verified, citation.locator)
                citation.check_against_text()
                if (citation.quote_verified, citation.locator) != before:
                    citation.version += 1
                    citation.updated_at = now
                    touched.append(citation)
                    owners.add(getattr(citation, cited.attname))
            if touched:
                model.objects.bulk_update(
                    touched, ["quote_verified", "locator", "version", "updated_at"]
                )
                cited.related_model._base_manager.filter(pk__in=owners).update(**changed(now))

    def retraction_conflicts(self):
        """Published records (events, actors, ties) for which this document is the
        only published citation: retracting it would leave a published fact unsupported."""
        blocked = []
        for rel in self._meta.related_objects:
            citation = rel.related_model
            if not issubclass(citation, CitationBase):
                continue
            parent = citation.cited_field()
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


class CitationQuerySet(models.QuerySet):
    def with_documents(self):
        """Citations as a record renders them: each with its document and the
        document's outlet, without the document's text (long, and not shown there)."""
        return self.select_related("document__outlet").defer("document__text")


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
        help_text="The supporting sentence or phrase, verbatim from the document. Where "
        "the document's text is held, the quote must occur in it (whitespace and the "
        "variants of quote marks aside), unless it is marked as a translation."
    )
    translation = models.BooleanField(
        default=False,
        db_default=False,
        help_text="The quote is the curator's translation of the document's words, not "
        "verbatim: it is not held against the document's text.",
    )
    quote_verified = models.BooleanField(
        null=True,
        editable=False,
        help_text="Whether the quote was found in the document's text: true, found; "
        "false, not found (a translation, which is not checked); null, the document's "
        "text is not held, so there is nothing to check against.",
    )
    locator = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where in the document: paragraph or page. Left empty, it is filled "
        "from the document's text where that is held: para N, the N-th non-empty line.",
    )
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices,
        default=Credibility.CANNOT_JUDGE,
        help_text="Credibility of the information on the Admiralty scale, 1 "
        "(confirmed) to 6 (cannot be judged).",
    )
    note = models.TextField(blank=True, help_text="Curator's note on the citation.")

    objects = CitationQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:57] + "…"
        return f"“{quote}”"

    @classmethod
    def cited_field(cls):
        """The foreign key to what the citation supports (an event, an actor, a tie)."""
        return next(f for f in cls._meta.concrete_fields if f.many_to_one and f.name != "document")

    def describe(self):
        """The citation as an error message names it: what it supports, and its quote."""
        owner = getattr(self, self.cited_field().name, None)
        what = self.cited_field().related_model._meta.verbose_name
        return f"{what} “{owner}”: {self}"

    def _document_text(self):
        if self.document_id is None:
            return ""
        return self.document.text

    def check_against_text(self):
        """Set `quote_verified` from the document's text, and an empty locator to the
        paragraph holding the quote. Returns the Match, or None."""
        text = self._document_text()
        if not text:
            self.quote_verified = None
            return None
        match = quotes.find(text, self.quote)
        self.quote_verified = match is not None
        if match is not None and not self.locator:
            self.locator = match.locator
        return match

    def clean(self):
        super().clean()
        text = self._document_text()
        if not text or not self.quote:
            return
        if self.check_against_text() is None and not self.translation:
            passage, locator = quotes.nearest_passage(text, self.quote)
            raise ValidationError(
                {
                    "quote": ValidationError(
                        "The quote does not occur in the document's text (whitespace and "
                        "quote marks aside). The nearest passage (%(locator)s): "
                        "“%(passage)s”. Quote the text as it stands, or mark the quote as "
                        "the curator's translation.",
                        code="quote_not_in_text",
                        params={"passage": passage, "locator": locator},
                    )
                }
            )

    def save(self, *args, **kwargs):
        # However the citation is written (a form, the API, a loader), its state follows
        # the document's text; clean() refuses a quote that is not in it.
        self.check_against_text()
        super().save(*args, **kwargs)

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
