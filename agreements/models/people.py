"""Officials, their names in every script, and the offices they held."""

from django.db import models, router
from django.db.models import Q
from django.utils.text import slugify

from agreements.models.base import (
    Curated,
    CuratedQuerySet,
    Language,
    Tracked,
    check_partial_date_order,
    choices_constraint,
    partial_date_order_constraint,
)
from agreements.models.fields import PartialDateField, partial_date_format_constraint
from agreements.partial_dates import PartialDate
from agreements.text import fold


class OfficialQuerySet(CuratedQuerySet):
    def get_by_natural_key(self, slug: str) -> "Official":
        return self.get(slug=slug)

    def search(self, term: str) -> "OfficialQuerySet":
        """Officials any of whose names or aliases contains ``term``, in any script or accent."""
        key = fold(term)
        if not key:
            return self
        return self.filter(search_names__contains=key)


class Official(Curated):
    """A person who holds or held public office; ``name`` is the canonical Latin-script name."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="Stable identifier; made from the name when left empty.",
    )
    name = models.CharField(
        "canonical name", max_length=150, help_text="Latin script, as in English."
    )
    country = models.ForeignKey(
        "agreements.Country", on_delete=models.PROTECT, related_name="officials"
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, default="", help_text="Such as Q8440."
    )
    search_name = models.TextField(editable=False, default="")
    # The folded name and every other name (OfficialName), one per line: one column that one
    # trigram index serves (migration 0015), where a search of the names and a search of the
    # other names had to be merged. fold() makes any line break a space, so no match can
    # span two names.
    search_names = models.TextField(editable=False, default="")

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        # The lists' order: without it, a page of officials sorted all of them (9 ms for the
        # first page of 20,000, 19 ms for the hundredth).
        indexes = [models.Index(fields=["name", "id"], name="official_name_order")]
        constraints = [
            *Curated.Meta.constraints,
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*\Z"),
                name="%(app_label)s_%(class)s_wikidata_id_format",
                violation_error_message="A Wikidata id is Q followed by digits, such as Q8440.",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="%(app_label)s_%(class)s_unique_wikidata_id",
                violation_error_message="Another official has this Wikidata id.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        if not self.slug:
            self.slug = self.free_slug(slugify(self.name)[:110] or "official")
        self.search_name = fold(self.name)
        self.search_names = self.joined_search_names()

    def joined_search_names(self, using: str | None = None) -> str:
        """``search_names`` from the folded name and the other names as stored."""
        others = []
        if self.pk is not None:
            using = using or router.db_for_write(Official, instance=self)
            others = OfficialName.objects.using(using).filter(official_id=self.pk)
            others = others.order_by("pk").values_list("search_key", flat=True)
        return "\n".join([self.search_name, *others])

    def free_slug(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``… whichever no other official has."""
        taken = set(
            Official.objects.exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def office_on(self, day: PartialDate | str | None) -> "OfficeHeld | None":
        """The office this official may have held on ``day`` (from prefetched ``offices``)."""
        if not day:
            return None
        day = PartialDate(day)
        for office in self.offices.all():
            if office.may_be_held_on(day):
                return office
        return None


class OfficialRecord(models.Model):
    """An official as the public list shows it, as JSON: a read model (agreements/api/records.py)
    that the signals in services.py rebuild on every write that shows in it. A table of its
    own, so that the officials' rows, which a name search reads by the hundred, stay narrow."""

    official = models.OneToOneField(
        Official, primary_key=True, on_delete=models.CASCADE, related_name="public_record"
    )
    record = models.TextField()

    def __str__(self) -> str:
        return f"Public record of official {self.official_id}"


class OfficialNameQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str, language: str, text: str) -> "OfficialName":
        return self.get(official__slug=slug, language=language, text=text)


class OfficialNameKind(models.TextChoices):
    NAME = "name", "Name in this language"
    VARIANT = "variant", "Alias or spelling variant"


class OfficialName(Tracked):
    """An official's name in one language or script, or a spelling variant (Chavez, شافيز)."""

    Kind = OfficialNameKind

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(max_length=3, choices=Language.choices)
    text = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NAME)
    search_key = models.TextField(editable=False, db_index=True)

    objects = OfficialNameQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "language", "text", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "language", "text"], name="%(app_label)s_%(class)s_unique"
            ),
            choices_constraint("language", Language),
            choices_constraint("kind", OfficialNameKind),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str, ...]:
        return (*self.official.natural_key(), self.language, self.text)

    natural_key.dependencies = ["agreements.official"]

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.search_key = fold(self.text)


class OfficeHeldQuerySet(CuratedQuerySet):
    def search(self, term: str) -> "OfficeHeldQuerySet":
        """Offices whose title, or whose holder's name in any script, contains ``term``."""
        if not term.strip():
            return self
        return self.filter(
            Q(title__icontains=term.strip()) | Q(official__in=Official.objects.search(term))
        )

    def held_on(self, day: PartialDate | str) -> "OfficeHeldQuerySet":
        """Offices that may have been held on ``day``; an unknown start or end leaves it open."""
        day = PartialDate(day)
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__may_be_on_or_before=day),
            Q(ended_on__isnull=True) | Q(ended_on__may_be_on_or_after=day),
        )


class OfficeHeldRole(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", "Head of state"
    HEAD_OF_GOVERNMENT = "head_of_government", "Head of government"
    DEPUTY_HEAD_OF_GOVERNMENT = "deputy_head_of_government", "Deputy head of government"
    VICE_PRESIDENT = "vice_president", "Vice president"
    MINISTER = "minister", "Minister"
    AMBASSADOR = "ambassador", "Ambassador"
    LEGISLATOR = "legislator", "Legislator"
    OTHER = "other", "Other"


class OfficeHeld(Curated):
    """An office an official held for a country, with its title as the source writes it."""

    Role = OfficeHeldRole

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="offices")
    country = models.ForeignKey(
        "agreements.Country", on_delete=models.PROTECT, related_name="offices"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(
        max_length=200, help_text="As written, in English: “Deputy Prime Minister”."
    )
    started_on = PartialDateField("start", null=True, blank=True)
    ended_on = PartialDateField(
        "end", null=True, blank=True, help_text="Empty while the office is held."
    )

    objects = OfficeHeldQuerySet.as_manager()

    class Meta:
        verbose_name = "office held"
        verbose_name_plural = "offices held"
        ordering = ["official__name", "started_on", "id"]
        constraints = [
            *Curated.Meta.constraints,
            choices_constraint("role", OfficeHeldRole),
            partial_date_format_constraint("started_on"),
            partial_date_format_constraint("ended_on"),
            partial_date_order_constraint("started_on", "ended_on"),
        ]

    def __str__(self) -> str:
        period = ""
        if self.started_on or self.ended_on:
            period = f" ({self.started_on or '?'}–{self.ended_on or ''})"
        return f"{self.title}, {self.country.name_en}{period}"

    def clean(self) -> None:
        super().clean()
        check_partial_date_order(self, "started_on", "ended_on")

    def may_be_held_on(self, day: PartialDate) -> bool:
        if self.started_on and not self.started_on.may_be_on_or_before(day):
            return False
        return not (self.ended_on and not self.ended_on.may_be_on_or_after(day))
