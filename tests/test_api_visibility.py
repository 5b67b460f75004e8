"""Drafts and reviewed records reach curators only: not in lists, details, embeds, filters,
counts, CSV or relation summaries."""

import pytest

from agreements import models
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    CountClaimFactory,
    SigningEventFactory,
    SourceFactory,
    country,
)

PUBLISHED = models.ReviewState.PUBLISHED


@pytest.fixture
def drafts(seed):
    """A draft Cuba–Venezuela agreement, a draft event with a claim, and a draft source cited by
    a published agreement."""
    event = SigningEventFactory(name="Secret summit", party_a=country("CU"), party_b=country("VE"))
    CountClaimFactory(value=99, event=event, party_a=country("CU"), party_b=country("VE"))
    draft = AgreementFactory(
        title="Secret draft", party_a=country("CU"), party_b=country("VE"), event=event
    )
    published = AgreementFactory(
        title="Public memorandum",
        party_a=country("CU"),
        party_b=country("VE"),
        event=event,
        review_state=PUBLISHED,
    )
    hidden_source = SourceFactory(title="Leaked draft source")
    CitationFactory(source=hidden_source, agreement=published)
    return {"draft": draft, "published": published, "event": event, "source": hidden_source}


def _titles(client, **params):
    return [row["title"] for row in client.get("/api/v1/agreements/", params).json()["results"]]


def test_anonymous_lists_show_published_records_only(api, drafts):
    assert "Secret draft" not in _titles(api)
    assert "Public memorandum" in _titles(api)
    assert api.get("/api/v1/agreements/").json()["count"] == 5


def test_curators_see_drafts_and_can_filter_by_review_state(curator_api, drafts):
    assert "Secret draft" in _titles(curator_api)
    assert _titles(curator_api, review_state="draft") == ["Secret draft"]


def test_anonymous_filtering_by_draft_state_finds_nothing(api, drafts):
    assert _titles(api, review_state="draft") == []


def test_a_draft_detail_is_a_404_for_anonymous_readers(api, curator_api, drafts):
    url = f"/api/v1/agreements/{drafts['draft'].pk}/"
    assert api.get(url).status_code == 404
    assert curator_api.get(url).status_code == 200


def test_a_published_record_hides_its_embedded_drafts(api, curator_api, drafts):
    url = f"/api/v1/agreements/{drafts['published'].pk}/"
    public = api.get(url).json()
    assert public["event"] is None
    assert public["citations"] == []
    curated = curator_api.get(url).json()
    assert curated["event"]["name"] == "Secret summit"
    assert curated["citations"][0]["source"]["title"] == "Leaked draft source"


def test_a_draft_id_is_unknown_to_filters(api, drafts):
    response = api.get("/api/v1/agreements/", {"event": drafts["event"].pk})
    assert response.status_code == 400
    response = api.get("/api/v1/agreements/", {"source": drafts["source"].pk})
    assert response.status_code == 400


def test_full_text_does_not_find_drafts(api, drafts):
    assert _titles(api, q="secret") == []


def test_relation_summaries_count_published_records_only(api, curator_api, drafts):
    public = api.get("/api/v1/relations/CU-VE/").json()
    assert public["agreement_count"] == 1
    assert public["recent_events"] == [] and public["event_count"] == 0
    curated = curator_api.get("/api/v1/relations/CU-VE/").json()
    assert curated["agreement_count"] == 2
    assert [e["name"] for e in curated["recent_events"]] == ["Secret summit"]


def test_a_pair_with_only_drafts_has_no_relation_for_the_public(api, curator_api, seed):
    AgreementFactory(title="Only draft", party_a=country("CN"), party_b=country("VE"))
    assert api.get("/api/v1/relations/CN-VE/").status_code == 404
    assert "CN-VE" not in [r["pair"] for r in api.get("/api/v1/relations/").json()["results"]]
    assert curator_api.get("/api/v1/relations/CN-VE/").status_code == 200


def test_csv_exports_leave_drafts_out(api, drafts):
    text = api.get("/api/v1/agreements/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Public memorandum" in text
    assert "Secret draft" not in text and "Leaked draft source" not in text


def test_country_has_agreements_counts_published_agreements_only(api, seed):
    AgreementFactory(title="Only draft", party_a=country("NO"), party_b=country("VE"))
    codes = [
        c["code"]
        for c in api.get("/api/v1/countries/", {"has_agreements": "true"}).json()["results"]
    ]
    assert codes == ["RU", "VE"]


def test_an_event_lists_only_visible_agreements_and_claims(api, drafts):
    drafts["event"].review_state = PUBLISHED
    drafts["event"].save()
    body = api.get(f"/api/v1/events/{drafts['event'].pk}/").json()
    assert [a["title"] for a in body["agreements"]] == ["Public memorandum"]
    assert body["reported"] == [] and body["itemised_count"] == 1
