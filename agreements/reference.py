"""Reference data kept by migrations: the ISO countries with CLDR names, aliases, and sectors.

Functions take the model classes as arguments so that data migrations can pass their historical
models; each is idempotent (running it again changes nothing that is already right).
"""

import json
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale

NAME_LOCALES = ("en", "ar", "es", "ru", "fr", "zh")
ALIASES_FILE = Path(__file__).parent / "data" / "country_aliases.json"

# (slug, English, Arabic, parent slug)
SECTORS: tuple[tuple[str, str, str, str | None], ...] = (
    ("military", "Military", "عسكري", None),
    ("defence", "Defence", "دفاع", "military"),
    ("intelligence", "Intelligence", "استخبارات", "security"),
    ("counterintelligence", "Counter-intelligence", "مكافحة التجسس", "intelligence"),
    ("security", "Security", "أمن", None),
    ("drones", "Drones", "طائرات مسيرة", "military"),
    ("energy", "Energy", "طاقة", None),
    ("oil", "Oil", "نفط", "energy"),
    ("gas", "Gas", "غاز", "energy"),
    ("nuclear", "Nuclear", "طاقة نووية", "energy"),
    ("trade", "Trade", "تجارة", None),
    ("investment", "Investment", "استثمار", None),
    ("finance", "Finance", "مالية", None),
    ("agriculture", "Agriculture", "زراعة", None),
    ("education", "Education", "تعليم", None),
    ("health", "Health", "صحة", None),
    ("culture", "Culture", "ثقافة", None),
    ("tourism", "Tourism", "سياحة", None),
    ("transport", "Transport", "نقل", None),
    ("technology", "Technology", "تكنولوجيا", None),
    ("telecommunications", "Telecommunications", "اتصالات", "technology"),
    ("space", "Space", "فضاء", "technology"),
    ("science", "Science", "علوم", None),
    ("training", "Training", "تدريب", "education"),
    ("justice", "Justice", "عدل", None),
    ("media", "Media", "إعلام", None),
    ("sport", "Sport", "رياضة", None),
    ("water", "Water", "مياه", None),
    ("industry", "Industry", "صناعة", None),
    ("mining", "Mining", "تعدين", "industry"),
    ("infrastructure", "Infrastructure", "بنية تحتية", None),
    ("customs", "Customs", "جمارك", "trade"),
    ("visas", "Visas", "تأشيرات", "diplomacy"),
    ("diplomacy", "Diplomacy", "دبلوماسية", None),
)


def iso_countries() -> list[dict[str, str]]:
    """All ISO 3166-1 countries (pycountry) with their CLDR names (Babel)."""
    territories = {locale: Locale.parse(locale).territories for locale in NAME_LOCALES}
    return [
        {
            "code": country.alpha_2,
            "alpha3": country.alpha_3,
            **{f"name_{locale}": territories[locale][country.alpha_2] for locale in NAME_LOCALES},
        }
        for country in sorted(pycountry.countries, key=lambda country: country.alpha_2)
    ]


def country_aliases() -> list[tuple[str, str, str, str]]:
    """(code, language, kind, text) from ISO's official and common names and the aliases file."""
    aliases = []
    for country in pycountry.countries:
        for attribute, kind in (("official_name", "official_name"), ("common_name", "spelling")):
            text = getattr(country, attribute, None)
            if text:
                aliases.append((country.alpha_2, "en", kind, text))
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    for code, languages in data.items():
        if code.startswith("_"):
            continue
        for language, kinds in languages.items():
            for kind, texts in kinds.items():
                aliases.extend((code, language, kind, text) for text in texts)
    return aliases


def sync_countries(country_model: Any, alias_model: Any, fold: Any) -> None:
    """Create or update the 249 countries and add missing aliases (curators' aliases stay)."""
    existing = {country.code: country for country in country_model.objects.all()}
    to_create, to_update = [], []
    for values in iso_countries():
        values["search_names"] = " | ".join(
            fold(values[f"name_{locale}"]) for locale in NAME_LOCALES
        )
        country = existing.get(values["code"])
        if country is None:
            to_create.append(country_model(**values))
        elif any(getattr(country, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(country, key, value)
            to_update.append(country)
    country_model.objects.bulk_create(to_create)
    country_model.objects.bulk_update(
        to_update, ["alpha3", "search_names", *(f"name_{locale}" for locale in NAME_LOCALES)]
    )

    ids = dict(country_model.objects.values_list("code", "id"))
    have = set(alias_model.objects.values_list("country_id", "language", "text"))
    new_aliases = {}
    for code, language, kind, text in country_aliases():
        key = (ids[code], language, text)
        if key not in have and key not in new_aliases:
            new_aliases[key] = alias_model(
                country_id=ids[code], language=language, kind=kind, text=text, search_key=fold(text)
            )
    alias_model.objects.bulk_create(new_aliases.values())


def sync_sectors(sector_model: Any) -> None:
    """Create missing sectors and correct names and parents of the built-in ones."""
    for slug, name_en, name_ar, _parent in SECTORS:
        sector_model.objects.update_or_create(
            slug=slug, defaults={"name_en": name_en, "name_ar": name_ar}
        )
    ids = dict(sector_model.objects.values_list("slug", "id"))
    for slug, _name_en, _name_ar, parent in SECTORS:
        sector_model.objects.filter(slug=slug).update(parent_id=ids[parent] if parent else None)
