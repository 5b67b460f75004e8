"""Regressions found by attacking the API: each was a 500, a leak or a write that got through."""

import pytest

from agreements import models
from tests.conftest import if_match
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    OfficeHeldFactory,
    OfficialFactory,
    SigningEventFactory,
    SourceFactory,
    country,
)

pytestmark = pytest.mark.usefixtures("seed")
PUBLISHED = models.ReviewState.PUBLISHED


@pytest.mark.parametrize("ordering", ["--id", "---title", "-", ",", "- id"])
def test_odd_orderings_are_400s(api, ordering):
    response = api.get("/api/v1/agreements/", {"ordering": ordering})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_deleting_a_record_others_depend_on_is_a_409_naming_them(curator_api):
    event = models.SigningEvent.objects.get()
    url = f"/api/v1/events/{event.pk}/"
    response = curator_api.delete(url, **if_match(curator_api, url))
    assert response.status_code == 409
    assert "1 count claims" in response.json()["detail"]
    assert models.SigningEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", 5), ("country", "V\x00"), ("country", ["VE"]), ("country", "x" * 500)],
)
def test_a_country_given_as_anything_but_a_code_is_a_400(curator_api, field, value):
    response = curator_api.post("/api/v1/places/", {"name": "X", field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("sectors", [["oi\x00l"], [7], [{"slug": None}]])
def test_bad_sector_keys_are_400s(curator_api, sectors):
    url = f"/api/v1/agreements/{AgreementFactory().pk}/"
    response = curator_api.patch(
        url, {"sectors": sectors}, format="json", **if_match(curator_api, url)
    )
    assert response.status_code == 400


def test_a_sector_url_with_a_nul_byte_is_a_404(api):
    assert api.get("/api/v1/sectors/%00/").status_code == 404


@pytest.mark.parametrize("row", [{}, {"official": 1}, {"country": "VE"}])
def test_a_partial_update_still_needs_whole_signatory_rows(curator_api, row):
    url = f"/api/v1/agreements/{models.Agreement.objects.first().pk}/"
    response = curator_api.patch(
        url, {"signatories": [row]}, format="json", **if_match(curator_api, url)
    )
    assert response.status_code == 400


def test_deeply_nested_json_is_a_400(curator_api):
    body = "[" * 100_000 + "]" * 100_000
    response = curator_api.generic(
        "POST", "/api/v1/agreements/", body, content_type="application/json"
    )
    assert response.status_code == 400


def test_citations_of_draft_facts_stay_hidden(api):
    source = SourceFactory(review_state=PUBLISHED, text="A secret deal was signed on oil.")
    draft = AgreementFactory(title="Secret deal")
    citation = CitationFactory(source=source, agreement=draft, passage="secret deal")
    assert citation.pk not in [row["id"] for row in api.get("/api/v1/citations/").json()["results"]]
    assert api.get(f"/api/v1/citations/{citation.pk}/").status_code == 404


def test_full_text_ignores_passages_of_draft_sources(api):
    published = AgreementFactory(review_state=PUBLISHED, title="Plain title")
    source = SourceFactory(text="The zeppelin clause was agreed.")
    CitationFactory(source=source, agreement=published, passage="zeppelin clause")
    assert api.get("/api/v1/agreements/", {"q": "zeppelin"}).json()["results"] == []


def test_draft_officials_present_at_an_event_are_hidden(api):
    event = models.SigningEvent.objects.get()
    event.officials_present.add(OfficialFactory(name="Secret Envoy"))
    body = api.get(f"/api/v1/events/{event.pk}/").json()
    assert [o["name"] for o in body["officials_present"]] == ["Nicolás Maduro"]


def test_official_filters_ignore_draft_offices(api):
    official = OfficialFactory(review_state=PUBLISHED)
    OfficeHeldFactory(official=official, role="ambassador", started_on="2099")
    assert api.get("/api/v1/officials/", {"role": "ambassador"}).json()["results"] == []
    assert api.get("/api/v1/officials/", {"active_on": "2099"}).json()["count"] == 4


def test_office_search_ignores_draft_officials(api):
    office = OfficeHeldFactory(review_state=PUBLISHED, official__name="Hidden Person")
    assert office.official.review_state == "draft"
    assert api.get("/api/v1/offices/", {"q": "Hidden Person"}).json()["results"] == []


def test_changing_parties_cannot_orphan_signatories(curator_api):
    agreement = AgreementFactory(party_a=country("VE"), party_b=country("RU"))
    models.Signatory.objects.create(
        agreement=agreement, official=OfficialFactory(), country=country("VE")
    )
    url = f"/api/v1/agreements/{agreement.pk}/"
    response = curator_api.patch(
        url, {"parties": ["CU", "RU"]}, format="json", **if_match(curator_api, url)
    )
    assert response.status_code == 400
    assert "signatories" in response.json()["parties"][0]


def test_changing_an_events_parties_cannot_orphan_its_agreements(curator_api):
    event = models.SigningEvent.objects.get()
    url = f"/api/v1/events/{event.pk}/"
    response = curator_api.patch(
        url, {"parties": ["CU", "CN"]}, format="json", **if_match(curator_api, url)
    )
    assert response.status_code == 400
    assert "4 agreements" in response.json()["parties"][0]


@pytest.mark.parametrize(
    ("resource", "payload"),
    [
        ("agreements", {"signatories": [{"official": 1, "country": "VE", "bogus": 1}]}),
        ("officials", {"names": [{"language": "en", "text": "X", "bogus": 1}]}),
    ],
)
def test_unknown_keys_in_nested_rows_are_refused(curator_api, resource, payload):
    record = (models.Agreement if resource == "agreements" else models.Official).objects.first()
    url = f"/api/v1/{resource}/{record.pk}/"
    response = curator_api.patch(url, payload, format="json", **if_match(curator_api, url))
    assert response.status_code == 400
    assert "bogus" in str(response.json())


def test_a_weak_if_match_never_matches(curator_api):
    url = f"/api/v1/agreements/{models.Agreement.objects.first().pk}/"
    etag = curator_api.get(url)["ETag"]
    response = curator_api.patch(url, {"summary": "x"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 412


def _patch_queries(client, agreement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/agreements/{agreement.pk}/"
    condition = if_match(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.patch(url, {"summary": "x"}, format="json", **condition)
    assert response.status_code == 200
    return len(queries)


def _add_signatory(agreement):
    official = OfficialFactory()
    OfficeHeldFactory(official=official)
    models.Signatory.objects.create(agreement=agreement, official=official, country=country("VE"))


def test_a_write_answers_with_the_same_queries_for_1_and_10_signatories(curator_api):
    agreement = AgreementFactory(signed_on="2020")
    _add_signatory(agreement)
    one = _patch_queries(curator_api, agreement)
    for _ in range(9):
        _add_signatory(agreement)
    assert _patch_queries(curator_api, agreement) == one


def test_sources_filter_by_partial_publication_dates(api):
    SourceFactory(review_state=PUBLISHED, published_on="2024-06-15", title="Mid 2024")
    assert [
        s["title"]
        for s in api.get("/api/v1/sources/", {"published_after": "2024"}).json()["results"]
    ] == ["Mid 2024"]
    assert api.get("/api/v1/sources/", {"published_before": "2024-05"}).json()["results"] == []


def test_csv_columns_of_nested_lists_line_up(api):
    agreement = AgreementFactory(review_state=PUBLISHED, signed_on="2020", title="Aligned")
    first = OfficialFactory(review_state=PUBLISHED, name="First Signer")
    second = OfficialFactory(review_state=PUBLISHED, name="Second Signer")
    OfficeHeldFactory(official=second, title="Second office", review_state=PUBLISHED)
    for official in (first, second):
        models.Signatory.objects.create(
            agreement=agreement, official=official, country=country("VE")
        )
    text = api.get("/api/v1/agreements/", {"format": "csv", "q": "Aligned"}).content.decode(
        "utf-8-sig"
    )
    import csv
    import io

    (row,) = csv.DictReader(io.StringIO(text))
    assert row["signatories.official.name"] == "First Signer; Second Signer"
    assert row["signatories.office.title"] == "; Second office"


def test_a_draft_office_does_not_hide_the_published_one(api):
    official = OfficialFactory(review_state=PUBLISHED)
    OfficeHeldFactory(official=official, title="Draft office", started_on="2010")
    OfficeHeldFactory(
        official=official, title="Published office", started_on="2010", review_state=PUBLISHED
    )
    agreement = AgreementFactory(review_state=PUBLISHED, signed_on="2015")
    models.Signatory.objects.create(agreement=agreement, official=official, country=country("VE"))
    (signatory,) = api.get(f"/api/v1/agreements/{agreement.pk}/").json()["signatories"]
    assert signatory["office"]["title"] == "Published office"


def test_events_take_officials_by_object_too(curator_api):
    official = OfficialFactory()
    response = curator_api.post(
        "/api/v1/events/",
        {"name": "Talks", "parties": ["CU", "VE"], "officials_present": [{"id": official.pk}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert SigningEventFactory  # factories stay importable for the cases above
