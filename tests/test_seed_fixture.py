"""The hand-curated fixture of seeds/000_2da5b34de469e791.txt holds what the article states."""

import json

import pytest
from django.core.management import call_command

from agreements.fixtures_loader import load_missing
from agreements.models import (
    Agreement,
    Citation,
    Commission,
    CountClaim,
    OfficeHeld,
    Official,
    Place,
    ReviewState,
    SigningEvent,
    Source,
    Statement,
)
from agreements.text import content_hash
from tests.conftest import SEED_FIXTURE

pytestmark = pytest.mark.usefixtures("seed")

SEED_TEXT = (SEED_FIXTURE.parent.parent / "seeds" / "000_2da5b34de469e791.txt").read_text("utf-8")


def test_the_source_is_the_seed_article_unchanged():
    source = Source.objects.get()
    assert source.text == SEED_TEXT.strip()
    assert source.content_hash == content_hash(SEED_TEXT)
    assert source.language == "ar"
    assert source.published_on is None


def test_the_source_mentions_venezuela_russia_the_us_and_ukraine():
    codes = Source.objects.get().countries_mentioned.values_list("code", flat=True)
    assert sorted(codes) == ["RU", "UA", "US", "VE"]


def test_caracas_is_a_place_in_venezuela_with_its_arabic_name():
    caracas = Place.objects.get(name="Caracas")
    assert caracas.country.code == "VE"
    assert caracas.names.filter(language="ar", text="كراكاس").exists()


@pytest.mark.parametrize(
    ("slug", "country", "role", "title", "started", "ended"),
    [
        ("nicolas-maduro", "VE", "head_of_state", "President of Venezuela", None, None),
        (
            "dmitry-chernyshenko",
            "RU",
            "deputy_head_of_government",
            "Deputy Prime Minister of Russia",
            None,
            None,
        ),
        ("delcy-rodriguez", "VE", "vice_president", "Vice President of Venezuela", None, None),
        ("vladimir-putin", "RU", "head_of_state", "President of Russia", None, None),
        ("hugo-chavez", "VE", "head_of_state", "President of Venezuela", "1999", "2013"),
    ],
)
def test_each_official_holds_the_office_the_article_gives(
    slug, country, role, title, started, ended
):
    office = OfficeHeld.objects.get(official__slug=slug)
    assert (office.country.code, office.role, office.title) == (country, role, title)
    assert (office.started_on, office.ended_on) == (started, ended)
    assert office.official.country.code == country


@pytest.mark.parametrize("spelling", ["Chávez", "Chavez", "تشافيز", "شافيز", "هوغو تشافيز"])
def test_chavez_is_found_by_every_spelling(spelling):
    assert list(Official.objects.search(spelling).values_list("slug", flat=True)) == ["hugo-chavez"]


def test_the_signing_event_is_a_thursday_evening_in_caracas_with_no_calendar_date():
    event = SigningEvent.objects.get()
    assert {event.party_a.code, event.party_b.code} == {"RU", "VE"}
    assert event.held_on is None
    assert event.weekday == SigningEvent.Weekday.THURSDAY
    assert event.part_of_day == SigningEvent.PartOfDay.EVENING
    assert event.place.name == "Caracas"
    assert list(event.officials_present.values_list("slug", flat=True)) == ["nicolas-maduro"]


def test_the_event_reports_exactly_17_and_itemises_four():
    event = SigningEvent.objects.get()
    claim = event.count_claims.get()
    assert (claim.value, claim.qualifier) == (17, CountClaim.Qualifier.EXACT)
    assert event.agreements.count() == 4


@pytest.mark.parametrize(
    ("kind", "sectors"),
    [
        ("cooperation_document", {"drones", "military"}),
        ("agreement", {"intelligence", "counterintelligence", "military"}),
        ("agreement", {"training", "energy"}),
        ("agreement", {"oil", "technology"}),
    ],
)
def test_the_itemised_agreements_have_their_kinds_and_sectors(kind, sectors):
    matching = [
        agreement
        for agreement in Agreement.objects.filter(kind=kind).prefetch_related("sectors")
        if {sector.slug for sector in agreement.sectors.all()} == sectors
    ]
    assert len(matching) == 1
    agreement = matching[0]
    assert agreement.signed_on is None  # the article gives no calendar date
    assert agreement.place.name == "Caracas"
    assert agreement.status == Agreement.Status.SIGNED


def test_the_commission_of_2004_counts_more_than_400_since_2004():
    commission = Commission.objects.get()
    assert commission.founded_on == "2004"
    claim = commission.count_claims.get()
    assert (claim.value, claim.qualifier, claim.since) == (
        400,
        CountClaim.Qualifier.MORE_THAN,
        "2004",
    )


def test_maduros_quote_is_kept_word_for_word():
    quote = Statement.objects.get(official__slug="nicolas-maduro", kind=Statement.Kind.QUOTE)
    assert quote.text.startswith("بهذه الاتفاقات والعقود التي وقعناها اليوم")
    assert "2030" in quote.text
    assert quote.text in SEED_TEXT


@pytest.mark.parametrize(
    "model", [Agreement, SigningEvent, CountClaim, OfficeHeld, Statement, Official, Commission]
)
def test_every_fact_has_a_citation_with_the_exact_passage(model):
    for fact in model.objects.all():
        citations = fact.citations.all()
        assert citations, fact
        for citation in citations:
            assert SEED_TEXT.strip()[citation.start : citation.end] == citation.passage


def test_every_seed_record_is_published():
    for model in [
        Agreement,
        SigningEvent,
        CountClaim,
        OfficeHeld,
        Statement,
        Official,
        Source,
        Commission,
        Place,
    ]:
        assert set(model.objects.values_list("review_state", flat=True)) == {ReviewState.PUBLISHED}


def test_loading_the_seed_again_creates_nothing():
    counts = {model: model.objects.count() for model in [Agreement, Citation, Official, Source]}
    result = load_missing(SEED_FIXTURE)
    assert result.already_loaded and result.created == 0
    assert result.skipped == len(json.loads(SEED_FIXTURE.read_text("utf-8")))
    assert counts == {model: model.objects.count() for model in counts}


def test_loading_the_seed_again_keeps_a_renamed_place_and_a_deleted_citation():
    Place.objects.filter(name="Caracas").update(name="Santiago de León de Caracas")
    Citation.objects.filter(official__slug="hugo-chavez").delete()
    call_command("load_seed_fixtures", verbosity=0)
    assert not Place.objects.filter(name="Caracas").exists()
    assert not Citation.objects.filter(official__slug="hugo-chavez").exists()


def test_each_loaded_record_starts_its_history():
    agreement = Agreement.objects.get(kind="cooperation_document")
    (entry,) = agreement.history.all()
    assert entry.history_change_reason == f"Loaded from {SEED_FIXTURE.name}"


def test_loading_the_seed_again_keeps_a_curators_edit():
    agreement = Agreement.objects.get(kind="cooperation_document")
    agreement.summary = "Edited by a curator."
    agreement.save()
    call_command("load_seed_fixtures", verbosity=0)
    agreement.refresh_from_db()
    assert agreement.summary == "Edited by a curator."


def test_loaddata_over_the_seed_updates_in_place():
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert Agreement.objects.count() == 4
    assert Citation.objects.count() == 22
