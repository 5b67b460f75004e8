"""Agreements, the events where they are signed, the bodies and the numbers that frame them."""

from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from agreements.models.base import (
    Bilateral,
    Curated,
    FoldedTextQuerySet,
    Language,
    ReviewState,
    Searchable,
    Tracked,
    check_partial_date_order,
    choices_constraint,
    partial_date_order_constraint,
)
from agreements.models.fields import (
    OrderedIndex,
    PartialDateField,
    partial_date_format_constraint,
)
from agreements.models.versions import bump_data_version
from agreements.partial_dates import PartialDate
from agreements.search import matches_full_text


class SectorQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> "Sector":
        return self.get(slug=slug)


class Sector(Tracked):
    """A field of cooperation; a small fixed taxonomy kept by migrations."""

    slug = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField("name (English)", max_length=80)
    name_ar = models.CharField("name (Arabic)", max_length=80)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["name_en", "id"]

    def __str__(self) -> str:
        return self.name_en

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


NEWEST_FIRST = (F("signed_on").desc(nulls_last=True), F("id").desc())


class PairQuerySet(FoldedTextQuerySet):
    def involving(self, *countries: Any) -> "PairQuerySet":
        """Records to which every one of ``countries`` (Country or id) is a party."""
        ids = sorted({getattr(country, "pk", country) for country in countries})
        if len(ids) == 1:
            return self.filter(Q(party_a=ids[0]) | Q(party_b=ids[0]))
        if len(ids) == 2:
            # Parties are stored in canonical order (Bilateral), so a pair is one index probe.
            return self.filter(party_a=ids[0], party_b=ids[1])
        return self if not ids else self.none()


class SigningEventPartOfDay(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"
    NIGHT = "night", "Night"


class SigningEventWeekday(models.IntegerChoices):
    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7


class SigningEvent(Searchable, Curated, Bilateral):
    """A ceremony, visit or summit at which two countries sign several instruments."""

    search_text_fields = ("name", "summary")

    PartOfDay = SigningEventPartOfDay

    Weekday = SigningEventWeekday

    name = models.CharField(max_length=250)
    held_on = PartialDateField("date", null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text="When the source gives the day of the week but not the date.",
    )
    part_of_day = models.CharField(max_length=10, choices=PartOfDay.choices, blank=True)
    place = models.ForeignKey(
        "agreements.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    summary = models.TextField(blank=True)
    officials_present = models.ManyToManyField(
        "agreements.Official", blank=True, related_name="events_attended"
    )

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = "signing event"
        ordering = ["-held_on", "name", "id"]
        constraints = [
            *Curated.Meta.constraints,
            *Bilateral.Meta.constraints,
            partial_date_format_constraint("held_on"),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__gte=1, weekday__lte=7),
                name="%(app_label)s_%(class)s_weekday_valid",
            ),
            models.CheckConstraint(
                condition=Q(part_of_day="") | Q(part_of_day__in=SigningEventPartOfDay.values),
                name="%(app_label)s_%(class)s_part_of_day_valid",
            ),
        ]
        # A pair's latest events (relation summaries) and the event list, newest first.
        indexes = [
            OrderedIndex(
                "party_a",
                "party_b",
                F("held_on").desc(nulls_last=True),
                F("id").desc(),
                name="event_pair_newest",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.held_on and self.weekday and PartialDate(self.held_on).day is not None:
            actual = PartialDate(self.held_on).start.isoweekday()
            if actual != self.weekday:
                raise ValidationError(
                    {
                        "weekday": f"{self.held_on} is a {self.Weekday(actual).label}, "
                        f"not a {self.Weekday(self.weekday).label}."
                    }
                )


class AgreementKind(models.TextChoices):
    TREATY = "treaty", "Treaty"
    AGREEMENT = "agreement", "Agreement"
    MEMORANDUM = "memorandum_of_understanding", "Memorandum of understanding"
    CONTRACT = "contract", "Contract"
    PROTOCOL = "protocol", "Protocol"
    COOPERATION_DOCUMENT = "cooperation_document", "Cooperation document"
    DECLARATION = "declaration", "Declaration"


class AgreementStatus(models.TextChoices):
    SIGNED = "signed", "Signed"
    RATIFIED = "ratified", "Ratified"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    SUSPENDED = "suspended", "Suspended"
    UNKNOWN = "unknown", "Unknown"


class AgreementQuerySet(PairQuerySet):
    def full_text(self, term: str) -> "AgreementQuerySet":
        return self.filter(matches_full_text(self.db, term, stored_vector=True))


class Agreement(Searchable, Curated, Bilateral):
    """One instrument signed between two countries."""

    search_text_fields = ("title", "original_title", "summary")

    Kind = AgreementKind

    Status = AgreementStatus

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.AGREEMENT)
    title = models.CharField(max_length=300, help_text="In English.")
    original_title = models.CharField(
        max_length=300, blank=True, help_text="As the source writes it, in its language."
    )
    summary = models.TextField(blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="agreements")
    signed_on = PartialDateField("signing date", null=True, blank=True)
    place = models.ForeignKey(
        "agreements.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    event = models.ForeignKey(
        SigningEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name="signing event",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SIGNED)
    in_force_on = PartialDateField("entry into force", null=True, blank=True)
    expires_on = PartialDateField("expiry", null=True, blank=True, help_text="“until 2030”: 2030")
    signatories = models.ManyToManyField(
        "agreements.Official", through="Signatory", blank=True, related_name="agreements_signed"
    )
    # search_text as a tsvector, kept by a trigger on PostgreSQL (migration 0007); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title", "id"]
        constraints = [
            *Curated.Meta.constraints,
            *Bilateral.Meta.constraints,
            choices_constraint("kind", AgreementKind),
            choices_constraint("status", AgreementStatus),
            partial_date_format_constraint("signed_on"),
            partial_date_format_constraint("in_force_on"),
            partial_date_format_constraint("expires_on"),
            partial_date_order_constraint("signed_on", "in_force_on"),
            partial_date_order_constraint("signed_on", "expires_on"),
        ]
        # In the API's order (newest first, undated last), so that a page of a pair, of one
        # party, or of a date range reads its rows off an index instead of sorting them all.
        indexes = [
            OrderedIndex("party_a", "party_b", *NEWEST_FIRST, name="agreement_pair_newest"),
            OrderedIndex("party_b", *NEWEST_FIRST, name="agreement_party_b_newest"),
            OrderedIndex(*NEWEST_FIRST, name="agreement_newest"),
            # The public's lists: their capped count reads this index alone (no bitmap of
            # every match, no visit to the table to check the review state).
            OrderedIndex(
                *NEWEST_FIRST,
                name="agreement_published_newest",
                condition=Q(review_state=ReviewState.PUBLISHED),
            ),
            # A public pair's page and its capped count read only published rows: the count
            # of a pair with thousands of agreements scanned the table (2.6 ms at 1M, 0.3 ms
            # off this index).
            OrderedIndex(
                "party_a",
                "party_b",
                *NEWEST_FIRST,
                name="agreement_published_pair",
                condition=Q(review_state=ReviewState.PUBLISHED),
            ),
            # A filter through another table (sector, signatory) is counted by a merge join in
            # id order: off this index alone rather than the table (1.1 against 2.4 to 4 ms
            # for a busy sector at 1M).
            models.Index(
                fields=["id"],
                name="agreement_published_id",
                condition=Q(review_state=ReviewState.PUBLISHED),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        if self.pk:
            cited = cited_search_words([self.pk]).get(self.pk)
            if cited:
                self.search_text = f"{self.search_text} {cited}".strip()

    def clean(self) -> None:
        super().clean()
        check_partial_date_order(self, "signed_on", "in_force_on")
        check_partial_date_order(self, "signed_on", "expires_on")
        if self.event_id and self.party_a_id and not self.same_pair_as(self.event):
            raise ValidationError(
                {"event": "The signing event is between other countries than this agreement."}
            )


class SignatoryQuerySet(models.QuerySet):
    def get_by_natural_key(self, agreement_uid: str, official_slug: str) -> "Signatory":
        return self.get(agreement__uid=agreement_uid, official__slug=official_slug)


class Signatory(Tracked):
    """An official who signed an agreement, for one of its parties."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatory_links"
    )
    official = models.ForeignKey(
        "agreements.Official", on_delete=models.PROTECT, related_name="signatures"
    )
    country = models.ForeignKey(
        "agreements.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The party the official signed for.",
    )

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "country__name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "official"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message="This official is already a signatory of the agreement.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} for {self.country.name_en}"

    def natural_key(self) -> tuple[str, ...]:
        return (*self.agreement.natural_key(), *self.official.natural_key())

    natural_key.dependencies = ["agreements.agreement", "agreements.official"]

    def clean(self) -> None:
        super().clean()
        # The agreement may be unsaved (an inline on its add page): use the object.
        agreement = getattr(self, "agreement", None)
        parties = (agreement.party_a_id, agreement.party_b_id) if agreement else ()
        if agreement is not None and self.country_id and self.country_id not in parties:
            raise ValidationError({"country": "A signatory signs for one of the two parties."})


class Commission(Searchable, Curated, Bilateral):
    """A standing bilateral body, such as the Venezuela–Russia high-level commission (2004)."""

    search_text_fields = ("name", "original_name", "summary")

    name = models.CharField(max_length=250, help_text="In English.")
    original_name = models.CharField(max_length=250, blank=True)
    founded_on = PartialDateField("founded", null=True, blank=True)
    dissolved_on = PartialDateField("dissolved", null=True, blank=True)
    summary = models.TextField(blank=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            *Curated.Meta.constraints,
            *Bilateral.Meta.constraints,
            partial_date_format_constraint("founded_on"),
            partial_date_format_constraint("dissolved_on"),
            partial_date_order_constraint("founded_on", "dissolved_on"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        check_partial_date_order(self, "founded_on", "dissolved_on")


class CountClaimQualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    MORE_THAN = "more_than", "more than"
    AT_LEAST = "at_least", "at least"
    ABOUT = "about", "about"
    AT_MOST = "at_most", "at most"
    FEWER_THAN = "fewer_than", "fewer than"


class CountClaim(Searchable, Curated, Bilateral):
    """A number a source reports without listing the items: "17 signed", "more than 400 since 2004".

    Its scope is a signing event, or the country pair over a period (``since``/``until``).
    """

    search_text_fields = ("counted",)

    Qualifier = CountClaimQualifier

    value = models.PositiveIntegerField()
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    counted = models.CharField(
        max_length=100, default="agreements", help_text="What is counted, as the source says."
    )
    event = models.ForeignKey(
        SigningEvent,
        # A reported count is evidence: deleting its event must not silently delete it.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="count_claims",
        verbose_name="signing event",
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="count_claims",
    )
    since = PartialDateField(null=True, blank=True)
    until = PartialDateField(null=True, blank=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = "count claim"
        ordering = ["-since", "-value", "id"]
        constraints = [
            *Curated.Meta.constraints,
            *Bilateral.Meta.constraints,
            choices_constraint("qualifier", CountClaimQualifier),
            partial_date_format_constraint("since"),
            partial_date_format_constraint("until"),
            partial_date_order_constraint("since", "until"),
            models.CheckConstraint(
                condition=Q(event__isnull=True) | Q(since__isnull=True, until__isnull=True),
                name="%(app_label)s_%(class)s_one_scope",
                violation_error_message="A count is either for a signing event or for a period.",
            ),
        ]

    def __str__(self) -> str:
        scope = f" at {self.event}" if self.event_id else ""
        if self.since:
            scope += f" since {self.since}"
        return f"{self.get_qualifier_display()} {self.value} {self.counted}{scope}"

    def clean(self) -> None:
        # The event or commission may be unsaved (an inline on its add page): use the objects.
        scope = self.event or self.commission
        if scope is not None and self.party_a_id is None and self.party_b_id is None:
            self.party_a, self.party_b = scope.party_a, scope.party_b
        super().clean()
        check_partial_date_order(self, "since", "until")
        for name, related in (("event", self.event), ("commission", self.commission)):
            if related is not None and self.party_a_id and not self.same_pair_as(related):
                raise ValidationError({name: f"The {name} is between other countries."})
        if self.event is not None and (self.since or self.until):
            raise ValidationError(
                {"since": "A count for a signing event has no period; leave since/until empty."}
            )


class StatementKind(models.TextChoices):
    QUOTE = "quote", "Direct quote"
    REPORTED = "reported", "Reported speech"


class Statement(Searchable, Curated):
    """An official's words as a source quotes or reports them."""

    search_text_fields = ("text", "translation_en")

    Kind = StatementKind

    official = models.ForeignKey(
        "agreements.Official", on_delete=models.PROTECT, related_name="statements"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUOTE)
    text = models.TextField(help_text="As the source gives it, in its language.")
    translation_en = models.TextField("English translation", blank=True)
    language = models.CharField(max_length=3, choices=Language.choices)
    said_on = PartialDateField(null=True, blank=True)
    event = models.ForeignKey(
        SigningEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name="signing event",
    )

    objects = FoldedTextQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "official__name", "id"]
        constraints = [
            *Curated.Meta.constraints,
            choices_constraint("kind", StatementKind),
            choices_constraint("language", Language),
            partial_date_format_constraint("said_on"),
        ]

    def __str__(self) -> str:
        excerpt = self.translation_en or self.text
        return f"{self.official}: {excerpt[:60]}{'…' if len(excerpt) > 60 else ''}"


def cited_search_words(agreement_ids: list[int]) -> dict[int, str]:
    """The search words of the passages that cite each agreement from a published source: the
    agreement's full text covers what its sources say about it, without drafts' words."""
    from agreements.models.sources import Citation

    words: dict[int, list[str]] = {}
    cited = Citation.objects.filter(
        agreement_id__in=agreement_ids, source__review_state=ReviewState.PUBLISHED
    ).values_list("agreement_id", "search_text")
    for agreement_id, text in cited.order_by("pk"):
        words.setdefault(agreement_id, []).append(text)
    return {agreement_id: " ".join(texts) for agreement_id, texts in words.items()}


def refresh_search_text(agreement_ids: list[int]) -> None:
    """Recompute the search text of agreements whose citations or sources changed."""
    agreements = list(Agreement.objects.filter(pk__in=agreement_ids))
    for agreement in agreements:
        agreement.prepare_for_save()
    Agreement.objects.bulk_update(agreements, ["search_text"], batch_size=500)
    if agreements:
        bump_data_version()  # bulk updates send no post_save
