"""Countries (ISO 3166-1, names from CLDR), their aliases, and places."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from agreements.models.base import Curated, CuratedQuerySet, Language, Tracked, choices_constraint
from agreements.text import fold

NAME_LANGUAGES = ("en", "ar", "es", "ru", "fr", "zh")


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code: str) -> "Country":
        return self.get(code=code)

    def search(self, term: str) -> "CountryQuerySet":
        """Countries whose code, name in any language or alias contains ``term`` (folded)."""
        key = fold(term)
        if not key:
            return self
        aliases = CountryAlias.objects.filter(country=OuterRef("pk"), search_key__contains=key)
        return self.filter(
            Q(code__iexact=term.strip())
            | Q(alpha3__iexact=term.strip())
            | Q(search_names__contains=key)
            | Exists(aliases)
        )


class Country(Tracked):
    """A state in ISO 3166-1; the names come from CLDR (Babel) and are refreshed by migrations."""

    code = models.CharField("ISO code", max_length=2, unique=True, help_text="ISO 3166-1 alpha-2")
    alpha3 = models.CharField("ISO alpha-3", max_length=3, unique=True)
    name_en = models.CharField("name (English)", max_length=100)
    name_ar = models.CharField("name (Arabic)", max_length=100)
    name_es = models.CharField("name (Spanish)", max_length=100)
    name_ru = models.CharField("name (Russian)", max_length=100)
    name_fr = models.CharField("name (French)", max_length=100)
    name_zh = models.CharField("name (Chinese)", max_length=100)
    # The folded names in every language, for accent- and script-insensitive search.
    search_names = models.TextField(editable=False, default="")

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "countries"
        ordering = ["name_en", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}\Z"),
                name="%(app_label)s_%(class)s_code_format",
                violation_error_message="The ISO code is two capital letters, such as VE.",
            ),
            models.CheckConstraint(
                condition=Q(alpha3__regex=r"^[A-Z]{3}\Z"),
                name="%(app_label)s_%(class)s_alpha3_format",
                violation_error_message="The alpha-3 code is three capital letters, such as VEN.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.code = self.code.upper()
        self.alpha3 = self.alpha3.upper()
        self.search_names = " | ".join(
            fold(getattr(self, f"name_{language}")) for language in NAME_LANGUAGES
        )


class CountryAliasQuerySet(models.QuerySet):
    def get_by_natural_key(self, code: str, language: str, text: str) -> "CountryAlias":
        return self.get(country__code=code, language=language, text=text)


class CountryAliasKind(models.TextChoices):
    OFFICIAL_NAME = "official_name", "Official name"
    SPELLING = "spelling", "Other spelling"
    MISSPELLING = "misspelling", "Common misspelling"
    ADJECTIVE = "adjective", "Adjective"
    CAPITAL = "capital", "Capital standing for the state"


class CountryAlias(Tracked):
    """Another way of naming a country: official name, spelling, misspelling, adjective, capital."""

    Kind = CountryAliasKind

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=150)
    language = models.CharField(max_length=3, choices=Language.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    search_key = models.TextField(editable=False, db_index=True)

    objects = CountryAliasQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "country aliases"
        ordering = ["country__name_en", "language", "text", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "language", "text"], name="%(app_label)s_%(class)s_unique"
            ),
            choices_constraint("kind", CountryAliasKind),
            choices_constraint("language", Language),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str, ...]:
        return (*self.country.natural_key(), self.language, self.text)

    natural_key.dependencies = ["agreements.country"]

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.search_key = fold(self.text)


class PlaceQuerySet(CuratedQuerySet):
    def get_by_natural_key(self, country_code: str, name: str) -> "Place":
        return self.get(country__code=country_code, name=name)

    def search(self, term: str) -> "PlaceQuerySet":
        key = fold(term)
        if not key:
            return self
        names = PlaceName.objects.filter(place=OuterRef("pk"), search_key__contains=key)
        return self.filter(Q(search_name__contains=key) | Exists(names))


class PlaceKind(models.TextChoices):
    CITY = "city", "City"
    SITE = "site", "Site or building"
    REGION = "region", "Region"


class Place(Curated):
    """A city or a site where things are signed; its English name is unique within its country."""

    Kind = PlaceKind

    name = models.CharField("name (English)", max_length=150)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="places")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITY)
    search_name = models.TextField(editable=False, default="")

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            *Curated.Meta.constraints,
            models.UniqueConstraint(
                fields=["country", "name"],
                name="%(app_label)s_%(class)s_unique_name_in_country",
                violation_error_message="This country already has a place of that name.",
            ),
            choices_constraint("kind", PlaceKind),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.country.name_en}"

    def natural_key(self) -> tuple[str, ...]:
        return (*self.country.natural_key(), self.name)

    natural_key.dependencies = ["agreements.country"]

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.search_name = fold(self.name)


class PlaceNameQuerySet(models.QuerySet):
    def get_by_natural_key(
        self, country_code: str, place_name: str, language: str, text: str
    ) -> "PlaceName":
        return self.get(
            place__country__code=country_code, place__name=place_name, language=language, text=text
        )


class PlaceName(Tracked):
    """A place's name in one language (Caracas / كراكاس) or another spelling of it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(max_length=3, choices=Language.choices)
    text = models.CharField(max_length=150)
    search_key = models.TextField(editable=False, db_index=True)

    objects = PlaceNameQuerySet.as_manager()

    class Meta:
        ordering = ["language", "text", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "language", "text"], name="%(app_label)s_%(class)s_unique"
            ),
            choices_constraint("language", Language),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str, ...]:
        return (*self.place.natural_key(), self.language, self.text)

    natural_key.dependencies = ["agreements.place"]

    def prepare_for_save(self) -> None:
        super().prepare_for_save()
        self.search_key = fold(self.text)
