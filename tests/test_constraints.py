"""Invariants hold in the database itself, and clean() explains them to curators."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from agreements.models import Agreement, Citation, CountClaim, OfficeHeld, Official, Source
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    CountClaimFactory,
    OfficeHeldFactory,
    OfficialFactory,
    SigningEventFactory,
    SourceFactory,
    StatementFactory,
    country,
)

pytestmark = pytest.mark.django_db


def test_the_database_rejects_an_agreement_of_a_country_with_itself():
    venezuela = country("VE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.bulk_create([Agreement(title="x", party_a=venezuela, party_b=venezuela)])


def test_the_database_rejects_an_agreement_with_one_party():
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agreements_agreement (uid, review_state, created_at, updated_at, kind,"
            " title, original_title, summary, status, search_text, party_a_id, party_b_id)"
            " VALUES ('0b0f2f4e-5ad8-4d4e-9f3c-1c1b5c7b2a11', 'draft', %s, %s, 'agreement',"
            " 'x', '', '', 'signed', '', %s, NULL)",
            ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", country("VE").pk],
        )


def test_clean_names_the_field_when_both_parties_are_the_same():
    agreement = AgreementFactory.build(party_a=country("VE"), party_b=country("VE"))
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert error.value.message_dict["party_b"] == [
        "The two parties must be two different countries."
    ]


def test_parties_are_stored_in_one_order_whichever_way_they_are_given():
    forward = AgreementFactory(party_a=country("VE"), party_b=country("RU"))
    backward = AgreementFactory(party_a=country("RU"), party_b=country("VE"))
    assert (forward.party_a_id, forward.party_b_id) == (backward.party_a_id, backward.party_b_id)
    assert set(Agreement.objects.involving(country("VE"), country("RU"))) == {forward, backward}


def test_involving_a_pair_misses_agreements_with_only_one_of_them():
    AgreementFactory(party_a=country("VE"), party_b=country("CU"))
    assert not Agreement.objects.involving(country("VE"), country("RU")).exists()


def test_an_agreement_cannot_belong_to_an_event_of_other_countries():
    event = SigningEventFactory(party_a=country("VE"), party_b=country("CU"))
    agreement = AgreementFactory.build(event=event)
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "event" in error.value.message_dict


def test_expiry_before_signing_is_refused_by_clean_and_by_the_database():
    agreement = AgreementFactory.build(signed_on="2024-05", expires_on="2024-04")
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "expires_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_expiry_in_the_year_of_a_more_precise_signing_date_is_allowed():
    agreement = AgreementFactory(signed_on="2024-05-03", expires_on="2024")
    agreement.full_clean()


def test_an_office_cannot_end_before_it_starts():
    office = OfficeHeldFactory.build(started_on="2013", ended_on="1999")
    with pytest.raises(ValidationError) as error:
        office.full_clean()
    assert "ended_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHeldFactory(started_on="2013", ended_on="1999")


def test_offices_held_on_a_day_include_open_and_matching_periods():
    chavez = OfficeHeldFactory(started_on="1999", ended_on="2013")
    maduro = OfficeHeldFactory(started_on="2013-04")
    assert set(OfficeHeld.objects.held_on("2005-06-01")) == {chavez}
    assert set(OfficeHeld.objects.held_on("2013")) == {chavez, maduro}
    assert set(OfficeHeld.objects.held_on("2020")) == {maduro}


def test_a_wikidata_id_must_look_like_one():
    official = OfficialFactory.build(wikidata_id="8440")
    with pytest.raises(ValidationError) as error:
        official.full_clean()
    assert "A Wikidata id is Q followed by digits" in str(error.value)


def test_two_officials_cannot_share_a_wikidata_id():
    OfficialFactory(wikidata_id="Q8440")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialFactory(wikidata_id="Q8440")


def test_officials_without_a_wikidata_id_do_not_collide():
    OfficialFactory()
    OfficialFactory()
    assert Official.objects.filter(wikidata_id="").count() == 2


def test_an_event_with_reported_counts_cannot_be_deleted():
    event = SigningEventFactory()
    CountClaimFactory(event=event)
    with pytest.raises(ProtectedError):
        event.delete()


def test_a_count_for_an_event_cannot_also_have_a_period():
    event = SigningEventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CountClaimFactory(event=event, since="2004")


def test_a_count_claim_explains_a_mixed_scope_by_field():
    claim = CountClaimFactory.build(event=SigningEventFactory(), since="2004")
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "since" in error.value.message_dict


def test_a_count_claim_reads_as_the_source_said_it():
    claim = CountClaimFactory(value=400, qualifier=CountClaim.Qualifier.MORE_THAN, since="2004")
    assert str(claim) == "more than 400 agreements since 2004"


def test_the_same_text_is_one_source():
    SourceFactory(text="Same words.")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(text="\ufeffSame words.\r\n")


def test_clean_explains_a_duplicate_source_text():
    first = SourceFactory(text="Same words.")
    duplicate = SourceFactory.build(text="Same words.")
    with pytest.raises(ValidationError, match=first.title):
        duplicate.full_clean()


def test_two_sources_cannot_share_a_url_but_may_both_have_none():
    SourceFactory(url="https://example.org/a")
    SourceFactory(url="")
    SourceFactory(url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://example.org/a")


def test_a_cited_source_text_cannot_be_changed():
    citation = CitationFactory()
    source = Source.objects.get(pk=citation.source_id)
    source.text = source.text.replace("Caracas", "Moscow")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError, match="cannot change"):
        source.save()
    assert "Caracas" in Source.objects.get(pk=source.pk).text


def test_an_uncited_source_text_can_be_corrected():
    source = SourceFactory(text="Venezula and Russia.")
    source.text = "Venezuela and Russia."
    source.save()
    assert Source.objects.get(pk=source.pk).text == "Venezuela and Russia."


def test_offsets_running_past_the_end_of_the_text_are_refused():
    source = SourceFactory(text="They met on Thursday.")
    with pytest.raises(ValidationError, match="does not match the source"):
        CitationFactory(source=source, passage="Thursday.", start=12, end=500)


def test_a_start_offset_picks_the_occurrence_of_a_repeated_passage():
    source = SourceFactory(text="Oil first. Then oil again.")
    citation = CitationFactory(source=source, passage="oil", start=5)
    assert (citation.start, citation.end) == (16, 19)


def test_a_citation_finds_its_offsets_from_the_passage():
    citation = CitationFactory(passage="signed 17 agreements")
    assert citation.source.text[citation.start : citation.end] == "signed 17 agreements"


def test_a_citation_whose_passage_is_not_in_the_source_is_rejected():
    with pytest.raises(ValidationError, match="does not contain this passage"):
        CitationFactory(passage="signed 18 agreements")


def test_a_citation_whose_offsets_do_not_match_its_passage_is_rejected():
    with pytest.raises(ValidationError, match="does not match the source"):
        CitationFactory(passage="signed 17 agreements", start=0, end=20)
    assert not Citation.objects.exists()


def test_a_citation_must_support_exactly_one_fact():
    source = SourceFactory()
    agreement = AgreementFactory()
    statement = StatementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.bulk_create(
            [
                Citation(
                    source=source,
                    passage="Venezuela",
                    start=source.text.index("Venezuela"),
                    end=source.text.index("Venezuela") + 9,
                    agreement=agreement,
                    statement=statement,
                )
            ]
        )
    orphan = Citation(source=source, passage="Venezuela")
    with pytest.raises(ValidationError, match="exactly one fact"):
        orphan.full_clean()


def test_a_weekday_that_contradicts_the_date_is_refused():
    event = SigningEventFactory.build(held_on="2024-11-07", weekday=5)
    with pytest.raises(ValidationError, match="is a Thursday, not a Friday"):
        event.full_clean()


def test_a_review_state_outside_the_choices_is_refused_by_the_database():
    agreement = AgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(review_state="approved")


def test_officials_of_the_same_name_get_distinct_slugs():
    first, second = OfficialFactory(name="José Pérez"), OfficialFactory(name="José Pérez")
    assert (first.slug, second.slug) == ("jose-perez", "jose-perez-2")
