"""What curated records share: identity, review state, history, and pair-of-countries rules."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models.fields import Constant
from agreements.partial_dates import PartialDate
from agreements.search import matches_full_text, matches_words
from agreements.text import search_words


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEWED = "reviewed", "Reviewed"
    PUBLISHED = "published", "Published"


class Language(models.TextChoices):
    """Languages of sources and names; the six UN languages and a few more seen in the news."""

    ARABIC = "ar", "Arabic"
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"
    RUSSIAN = "ru", "Russian"
    FRENCH = "fr", "French"
    CHINESE = "zh", "Chinese"
    PERSIAN = "fa", "Persian"
    TURKISH = "tr", "Turkish"
    PORTUGUESE = "pt", "Portuguese"
    GERMAN = "de", "German"
    HEBREW = "he", "Hebrew"
    OTHER = "und", "Other"


def choices_constraint(field_name: str, choices: type[models.Choices]) -> models.CheckConstraint:
    """A check that the column holds one of ``choices``, so raw inserts cannot invent values."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_{field_name}_valid",
    )


def partial_date_order_constraint(earlier: str, later: str) -> models.CheckConstraint:
    """``later`` may not end before ``earlier`` starts (periods compare as ranges).

    A period L ends on or after the first day of E exactly when L >= E cut to L's length.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": Substr(F(earlier), 1, Length(F(later)))}),
        name=f"%(app_label)s_%(class)s_{later}_not_before_{earlier}",
        violation_error_message=f"{later} cannot be before {earlier}.",
    )


def check_partial_date_order(instance: models.Model, earlier: str, later: str) -> None:
    start, end = getattr(instance, earlier), getattr(instance, later)
    if start and end and PartialDate(end).end < PartialDate(start).start:
        first, second = (instance._meta.get_field(name).verbose_name for name in (earlier, later))
        message = f"{second.capitalize()} ({end}) is before {first} ({start})."
        raise ValidationError({later: message})


class UidQuerySet(models.QuerySet):
    def get_by_natural_key(self, uid: str) -> models.Model:
        return self.get(uid=uid)


def can_see_drafts(user: Any, model: type[models.Model]) -> bool:
    """Curators (and whoever else may view the model in the admin) see drafts and reviewed
    records; everyone else sees published records only."""
    return bool(user and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"))


class CuratedQuerySet(UidQuerySet):
    def published(self) -> "CuratedQuerySet":
        # Written into the SQL, so that the published-only partial indexes serve it.
        return self.filter(review_state=Constant(ReviewState.PUBLISHED))

    def visible_to(self, user: Any) -> "CuratedQuerySet":
        return self.seen(can_see_drafts(user, self.model))

    def seen(self, sees_drafts: bool) -> "CuratedQuerySet":
        """The records a reader who does (or does not) see drafts may see."""
        return self if sees_drafts else self.published()


class SearchTextMixin:
    """Search in the ``search_text`` column that ``Searchable`` keeps folded."""

    def search(self, term: str) -> models.QuerySet:
        """Records whose text contains every word of ``term`` (accent- and script-insensitive)."""
        return self.filter(matches_words(term))

    def full_text(self, term: str) -> models.QuerySet:
        """Records matching every word of ``term`` (see ``agreements.search``)."""
        return self.filter(matches_full_text(self.db, term))


class FoldedTextQuerySet(SearchTextMixin, CuratedQuerySet):
    pass


class SavePreparation:
    """Derives stored values (folded search keys, canonical party order, hashes) before a save.

    Called from a pre_save receiver rather than from ``save()`` because fixtures are saved raw,
    which skips ``save()`` but not the signal. Overrides call ``super().prepare_for_save()``.
    """

    def prepare_for_save(self) -> None:
        pass


def prepare_before_save(sender: type, instance: object, **kwargs: Any) -> None:
    if isinstance(instance, SavePreparation):
        instance.prepare_for_save()


class Tracked(SavePreparation, models.Model):
    """Keeps every change, with who made it and when (django-simple-history)."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class Curated(Tracked):
    """A record that curators review before it is published.

    ``uid`` is the natural key: it identifies the record in fixtures and across databases, where
    integer ids differ.
    """

    uid = models.UUIDField("UID", default=uuid.uuid4, unique=True, editable=False)
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CuratedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [choices_constraint("review_state", ReviewState)]

    def natural_key(self) -> tuple[str, ...]:
        return (str(self.uid),)

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        # A fixture may leave the timestamps out (raw saves skip auto_now): now, then.
        now = timezone.now()
        self.created_at = self.created_at or now
        self.updated_at = self.updated_at or now


class Searchable(SavePreparation, models.Model):
    """Keeps ``search_text``: the folded text of ``search_text_fields``, for accent- and
    script-insensitive search (see ``FoldedTextQuerySet.search``)."""

    search_text_fields: tuple[str, ...] = ()
    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        texts = (getattr(self, name) or "" for name in self.search_text_fields)
        self.search_text = " ".join(search_words(" ".join(texts)))


class Bilateral(SavePreparation, models.Model):
    """Two distinct countries, stored in canonical order (lower id first).

    The order lets a pair be found with one index lookup and makes (A, B) and (B, A) the same pair;
    the check constraint rejects a country paired with itself, even from raw SQL.
    """

    party_a = models.ForeignKey(
        "agreements.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="party",
    )
    party_b = models.ForeignKey(
        "agreements.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="other party",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(party_a__lt=F("party_b")),
                name="%(app_label)s_%(class)s_two_distinct_parties",
                violation_error_message="The two parties must be two different countries.",
            )
        ]

    @classmethod
    def from_db(cls, db: str, field_names: Any, values: Any) -> "Bilateral":
        record = super().from_db(db, field_names, values)
        # Remembered so that moving a record to another pair recounts the pair it left.
        record.loaded_pair = (record.__dict__.get("party_a_id"), record.__dict__.get("party_b_id"))
        return record

    @property
    def parties(self) -> tuple[Any, Any]:
        return (self.party_a, self.party_b)

    def order_parties(self) -> None:
        if self.party_a_id and self.party_b_id and self.party_a_id > self.party_b_id:
            self.party_a, self.party_b = self.party_b, self.party_a

    def clean(self) -> None:
        super().clean()
        if self.party_a_id and self.party_a_id == self.party_b_id:
            raise ValidationError(
                {"party_b": "The two parties must be two different countries."},
                code="same_party",
            )
        self.order_parties()

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.order_parties()

    def same_pair_as(self, other: "Bilateral") -> bool:
        return {self.party_a_id, self.party_b_id} == {other.party_a_id, other.party_b_id}
