"""The precomputed pair statistics always equal counting the published records afresh."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from agreements import statistics
from agreements.models import Agreement, ReviewState
from agreements.relations import _counted_now
from agreements.services import set_review_state
from tests.factories import (
    AgreementFactory,
    CommissionFactory,
    CountClaimFactory,
    SigningEventFactory,
    country,
    sector,
)

PUBLISHED = ReviewState.PUBLISHED
DRAFT = ReviewState.DRAFT


def _pair(a: str, b: str) -> tuple[int, int]:
    first, second = country(a).pk, country(b).pk
    return (min(first, second), max(first, second))


@pytest.fixture
def pairs(db):
    return [_pair("VE", "RU"), _pair("CN", "RU"), _pair("VE", "CU")]


def _assert_current(pairs) -> None:
    stored = statistics.statistics_of(pairs, "default")
    counted = _counted_now(pairs, AnonymousUser())
    for pair in pairs:
        expected = counted.get(pair)
        if expected is None or not (expected["agreements"] or expected["events"]):
            assert stored.get(pair, {"agreements": 0})["agreements"] == 0
            continue
        assert stored[pair] == dict(expected), pair


def test_publishing_an_agreement_counts_it(pairs):
    agreement = AgreementFactory(review_state=DRAFT, signed_on="2020-05")
    _assert_current(pairs)
    agreement.review_state = PUBLISHED
    agreement.save()
    assert statistics.statistics_of(pairs, "default")[pairs[0]]["agreements"] == 1
    _assert_current(pairs)


def test_first_and_last_signing_follow_the_published_agreements(pairs):
    AgreementFactory(review_state=PUBLISHED, signed_on="2004")
    AgreementFactory(review_state=PUBLISHED, signed_on="2024-11-07")
    AgreementFactory(review_state=DRAFT, signed_on="1999")
    stored = statistics.statistics_of(pairs, "default")[pairs[0]]
    assert (stored["first"], stored["last"]) == ("2004", "2024-11-07")


def test_moving_an_agreement_to_another_pair_recounts_both(pairs):
    agreement = AgreementFactory(review_state=PUBLISHED)
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement.party_a, agreement.party_b = country("CN"), country("RU")
    agreement.save()
    stored = statistics.statistics_of(pairs, "default")
    assert pairs[0] not in stored and stored[pairs[1]]["agreements"] == 1
    _assert_current(pairs)


def test_deleting_recounts(pairs):
    agreement = AgreementFactory(review_state=PUBLISHED)
    agreement.delete()
    assert pairs[0] not in statistics.statistics_of(pairs, "default")


def test_sectors_are_counted_from_either_side(pairs):
    agreement = AgreementFactory(review_state=PUBLISHED)
    agreement.sectors.add(sector("energy"), sector("trade"))
    sector("trade").agreements.remove(agreement)
    _assert_current(pairs)
    assert [s["slug"] for s in statistics.statistics_of(pairs, "default")[pairs[0]]["sectors"]] == [
        "energy"
    ]
    agreement.sectors.clear()
    _assert_current(pairs)


def test_events_commissions_and_claims_make_a_pair_public(pairs):
    SigningEventFactory(party_a=country("VE"), party_b=country("CU"), review_state=PUBLISHED)
    CommissionFactory(party_a=country("CN"), party_b=country("RU"), review_state=PUBLISHED)
    CountClaimFactory(review_state=PUBLISHED)
    assert set(statistics.published_pairs([], "default")) == set(pairs)
    assert statistics.statistics_of(pairs, "default")[pairs[2]]["events"] == 1


def test_published_pairs_for_one_country_and_for_two(pairs):
    AgreementFactory(review_state=PUBLISHED)
    AgreementFactory(party_a=country("CN"), party_b=country("RU"), review_state=PUBLISHED)
    assert set(statistics.published_pairs([country("RU").pk], "default")) == set(pairs[:2])
    assert statistics.published_pairs([country("RU").pk, country("VE").pk], "default") == [pairs[0]]
    assert statistics.published_pairs([country("CU").pk], "default") == []


def test_a_bulk_review_recounts(pairs):
    AgreementFactory.create_batch(3, review_state=DRAFT)
    set_review_state(Agreement.objects.all(), PUBLISHED, user=None)
    assert statistics.statistics_of(pairs, "default")[pairs[0]]["agreements"] == 3


def test_a_rolled_back_write_leaves_the_statistics(pairs):
    AgreementFactory(review_state=PUBLISHED)
    with pytest.raises(RuntimeError), transaction.atomic():
        AgreementFactory(review_state=PUBLISHED)
        raise RuntimeError("undo")
    assert statistics.statistics_of(pairs, "default")[pairs[0]]["agreements"] == 1


def test_deferred_refreshes_once_at_the_end(pairs):
    with transaction.atomic(), statistics.deferred():
        AgreementFactory.create_batch(3, review_state=PUBLISHED)
        assert pairs[0] not in statistics.statistics_of(pairs, "default")
    assert statistics.statistics_of(pairs, "default")[pairs[0]]["agreements"] == 3


def test_a_full_refresh_rebuilds_everything(pairs):
    AgreementFactory(review_state=PUBLISHED)
    statistics.refresh_pairs(None)
    _assert_current(pairs)


def test_a_relation_lists_the_ten_latest_events_and_counts_them_all(api, db):
    for month in range(1, 13):
        SigningEventFactory(held_on=f"2024-{month:02d}", review_state=PUBLISHED)
    SigningEventFactory(held_on=None, review_state=PUBLISHED)
    body = api.get("/api/v1/relations/RU-VE/").json()
    assert body["event_count"] == 13
    assert [e["held_on"] for e in body["recent_events"]] == [
        f"2024-{month:02d}" for month in range(12, 2, -1)
    ]
