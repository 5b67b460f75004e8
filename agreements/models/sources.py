"""Sources (news articles, documents) and the citations that tie each fact to a passage."""

import uuid
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from agreements.models.base import (
    Curated,
    FoldedTextQuerySet,
    Language,
    ReviewState,
    Searchable,
    SearchTextMixin,
    Tracked,
    UidQuerySet,
    choices_constraint,
)
from agreements.text import content_hash, normalize_source_text


class SourceQuerySet(FoldedTextQuerySet):
    def get_by_natural_key(self, content_hash: str) -> "Source":
        return self.get(content_hash=content_hash)


class Source(Searchable, Curated):
    """A news article or document; the same text is always one source (``content_hash``)."""

    search_text_fields = ("title", "publisher", "text")

    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    language = models.CharField(max_length=3, choices=Language.choices)
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(help_text="The full text; citations point into it by offsets.")
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the normalised text."
    )
    countries_mentioned = models.ManyToManyField(
        "agreements.Country", blank=True, related_name="sources_mentioning"
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title", "id"]
        constraints = [
            *Curated.Meta.constraints,
            choices_constraint("language", Language),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="%(app_label)s_%(class)s_unique_url",
                violation_error_message="Another source has this URL.",
            ),
            models.CheckConstraint(
                condition=Q(content_hash__regex=r"^[0-9a-f]{64}\Z"),
                name="%(app_label)s_%(class)s_content_hash_format",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.content_hash,)

    def clean(self) -> None:
        super().clean()
        self.text = normalize_source_text(self.text)
        if not self.text:
            raise ValidationError({"text": "A source needs its text."})
        self.content_hash = content_hash(self.text)
        self.check_text_unchanged_if_cited()
        duplicate = Source.objects.filter(content_hash=content_hash(self.text)).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError(
                {"text": f"This text is already a source: “{duplicate.first()}”."}
            )

    def check_text_unchanged_if_cited(self) -> None:
        if not self.pk:
            return
        stored = Source.objects.filter(pk=self.pk).values_list("text", flat=True).first()
        if stored is not None and stored != self.text and self.citations.exists():
            raise ValidationError(
                {"text": "Citations point into this text by offsets; it cannot change."}
            )

    def prepare_for_save(self) -> None:
        self.text = normalize_source_text(self.text)
        self.check_text_unchanged_if_cited()
        super().prepare_for_save()
        self.content_hash = content_hash(self.text)


CITED_FIELDS = (
    "agreement",
    "event",
    "count_claim",
    "office_held",
    "statement",
    "official",
    "commission",
)


def citation_field_for(model: type[models.Model]) -> str:
    """The Citation field that points at records of ``model``."""
    for field in CITED_FIELDS:
        if Citation._meta.get_field(field).related_model is model:
            return field
    raise LookupError(f"Citations do not cite {model.__name__} records.")


def _exactly_one_of(fields: tuple[str, ...]) -> Q:
    return reduce(
        or_,
        (
            Q(
                **{f"{field}__isnull": False},
                **{f"{other}__isnull": True for other in fields if other != field},
            )
            for field in fields
        ),
    )


class CitationQuerySet(SearchTextMixin, UidQuerySet):
    def from_sources_seen(self, sees_drafts: bool) -> "CitationQuerySet":
        """Citations whose source the reader may see: a hidden source's passages are as hidden
        as the source."""
        return self if sees_drafts else self.filter(source__review_state=ReviewState.PUBLISHED)


class Citation(Searchable, Tracked):
    """Ties one fact to a source and the exact passage that supports it.

    ``passage`` must equal ``source.text[start:end]``; it is checked on every save (fixtures
    included), so a citation can never quote what its source does not say.
    """

    search_text_fields = ("passage", "translation_en")

    uid = models.UUIDField("UID", default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    passage = models.TextField(help_text="Exactly as in the source text.")
    start = models.PositiveIntegerField(
        blank=True, help_text="Character offset; found from the passage when left empty."
    )
    end = models.PositiveIntegerField(blank=True)
    translation_en = models.TextField("English translation", blank=True)

    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
    )
    event = models.ForeignKey(
        "agreements.SigningEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
        verbose_name="signing event",
    )
    count_claim = models.ForeignKey(
        "agreements.CountClaim",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
    )
    office_held = models.ForeignKey(
        "agreements.OfficeHeld",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
    )
    statement = models.ForeignKey(
        "agreements.Statement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
    )
    official = models.ForeignKey(
        "agreements.Official",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
    )
    commission = models.ForeignKey(
        "agreements.Commission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # a partial index, below
        related_name="citations",
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "start", "id"]
        # Each citation fills one of these and leaves the others NULL: an index of the filled
        # rows only is smaller, and SQLite's statistics on a mostly-NULL column made it scan
        # every source instead (an official's citations took 250 ms at 100,000 agreements).
        indexes = [
            models.Index(
                fields=[field],
                condition=Q(**{f"{field}__isnull": False}),
                name=f"citation_{field}_cited",
            )
            for field in CITED_FIELDS
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="%(app_label)s_%(class)s_passage_not_empty",
                violation_error_message="A passage ends after it starts.",
            ),
            models.CheckConstraint(
                condition=_exactly_one_of(CITED_FIELDS),
                name="%(app_label)s_%(class)s_cites_one_fact",
                violation_error_message="A citation supports exactly one fact.",
            ),
        ]

    def __str__(self) -> str:
        excerpt = self.passage[:60] + ("…" if len(self.passage) > 60 else "")
        return f"“{excerpt}” ({self.source})"

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)

    @property
    def cited(self) -> models.Model | None:
        for field in CITED_FIELDS:
            if getattr(self, f"{field}_id"):
                return getattr(self, field)
        return None

    def locate_passage(self) -> None:
        """Fill in missing offsets from the first occurrence of the passage in the source (at or
        after ``start`` when only that is given)."""
        if self.start is not None and self.end is not None:
            return
        from_offset = self.start or 0
        position = self.source.text.find(self.passage, from_offset) if self.passage else -1
        if position < 0:
            raise ValidationError({"passage": "The source text does not contain this passage."})
        self.start, self.end = position, position + len(self.passage)

    def check_passage(self) -> None:
        quoted = self.source.text[self.start : self.end]
        # Comparing lengths too: a slice past the end of the text is silently shortened.
        if quoted != self.passage or self.end - self.start != len(self.passage):
            raise ValidationError(
                {
                    "passage": f"The passage does not match the source at {self.start}–{self.end}, "
                    f"which reads “{quoted[:80]}”."
                },
                code="passage_mismatch",
            )

    def clean(self) -> None:
        super().clean()
        # The related object, not its id: in an inline on an add page the parent is not saved yet.
        cited = [field for field in CITED_FIELDS if getattr(self, field) is not None]
        if len(cited) != 1:
            raise ValidationError("A citation supports exactly one fact; choose one.")
        if not self.source_id:
            return
        self.locate_passage()
        self.check_passage()

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.locate_passage()
        self.check_passage()
