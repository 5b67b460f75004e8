"""Reading the API: every resource, what is embedded, partial dates, relations, docs."""

import pytest

from agreements import models

pytestmark = pytest.mark.usefixtures("seed")

RESOURCES = [
    "countries",
    "sectors",
    "places",
    "officials",
    "offices",
    "agreements",
    "events",
    "commissions",
    "claims",
    "statements",
    "sources",
    "citations",
    "relations",
]


def test_the_root_lists_every_resource(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    assert sorted(response.json()) == sorted(RESOURCES)


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_and_its_first_record_answer(api, resource):
    listing = api.get(f"/api/v1/{resource}/")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] >= 1 and {"next", "previous", "results"} <= set(body)
    first = api.get(body["results"][0]["href"])
    assert first.status_code == 200
    assert first.json()["href"] == body["results"][0]["href"]


def _agreement(api, kind="cooperation_document"):
    pk = models.Agreement.objects.get(kind=kind).pk
    return api.get(f"/api/v1/agreements/{pk}/").json()


def test_an_agreement_embeds_its_parties_sectors_place_and_event(api):
    agreement = _agreement(api)
    assert agreement["parties"] == [
        {"code": "RU", "name": "Russia"},
        {"code": "VE", "name": "Venezuela"},
    ]
    assert [sector["slug"] for sector in agreement["sectors"]] == ["drones", "military"]
    assert agreement["sectors"][0]["name_ar"] == "طائرات مسيرة"
    assert agreement["place"]["name"] == "Caracas"
    assert agreement["event"]["name"] == "Venezuela–Russia signing in Caracas"
    assert agreement["event"]["href"].endswith(f"/api/v1/events/{agreement['event']['id']}/")


def test_an_agreement_embeds_its_citations_with_passage_and_source(api):
    (citation,) = _agreement(api)["citations"]
    assert citation["passage"] == "وهي ثيقة تعاون مشترك بشأن استخدام الطائرات من دون طيار"
    assert citation["source"]["title"].startswith("Venezuela and Russia sign")
    assert citation["source"]["language"] == "ar"


def test_a_signatory_shows_the_office_held_on_the_signing_date(api):
    from tests.factories import AgreementFactory, OfficeHeldFactory, country

    minister = OfficeHeldFactory(
        started_on="2010",
        ended_on="2015",
        title="Minister of Oil",
        review_state="published",
        official__review_state="published",
    )
    OfficeHeldFactory(
        official=minister.official,
        started_on="2016",
        title="Vice President",
        review_state="published",
    )
    agreement = AgreementFactory(signed_on="2012-05", review_state="published")
    models.Signatory.objects.create(
        agreement=agreement, official=minister.official, country=country("VE")
    )
    (signatory,) = api.get(f"/api/v1/agreements/{agreement.pk}/").json()["signatories"]
    assert signatory["official"]["name"] == minister.official.name
    assert signatory["country"] == {"code": "VE", "name": "Venezuela"}
    assert signatory["office"]["title"] == "Minister of Oil"


def test_partial_dates_read_as_strings_of_their_precision(api):
    from tests.factories import AgreementFactory

    for value in ["2004", "2024-11", "2024-11-07"]:
        agreement = AgreementFactory(signed_on=value, review_state="published")
        assert api.get(f"/api/v1/agreements/{agreement.pk}/").json()["signed_on"] == value


def test_the_event_shows_reported_beside_itemised(api):
    event = api.get(f"/api/v1/events/{models.SigningEvent.objects.get().pk}/").json()
    assert [(c["value"], c["qualifier"]) for c in event["reported"]] == [(17, "exact")]
    assert event["itemised_count"] == 4
    assert event["weekday"] == 4 and event["part_of_day"] == "evening"
    assert event["held_on"] is None


def test_an_official_shows_offices_names_and_country(api):
    chavez = api.get(f"/api/v1/officials/{models.Official.objects.get(slug='hugo-chavez').pk}/")
    body = chavez.json()
    assert body["country"] == {"code": "VE", "name": "Venezuela"}
    assert body["wikidata_id"] == "Q8440"
    assert body["offices"][0] | {"href": None, "id": None} == {
        "href": None,
        "id": None,
        "role": "head_of_state",
        "title": "President of Venezuela",
        "country": "VE",
        "started_on": "1999",
        "ended_on": "2013",
    }
    assert {"language": "ar", "text": "شافيز", "kind": "variant"} in body["names"]


@pytest.mark.parametrize("code", ["VE", "ve", "Ve"])
def test_a_country_is_found_by_its_code_in_any_case(api, code):
    body = api.get(f"/api/v1/countries/{code}/").json()
    assert body["code"] == "VE"
    assert body["names"]["ar"] == "فنزويلا"
    assert {"text": "فنزيلا", "language": "ar", "kind": "misspelling"} in body["aliases"]


@pytest.mark.parametrize("resource", ["agreements", "officials", "places"])
@pytest.mark.parametrize("pk", ["999999", str(2**63), "9" * 40, "9" * 5000])
def test_an_id_no_record_has_is_a_404(api, resource, pk):
    assert api.get(f"/api/v1/{resource}/{pk}/").status_code == 404


def test_an_unknown_country_code_is_a_404(api):
    assert api.get("/api/v1/countries/XX/").status_code == 404


def test_a_relation_summary_reads_each_thing_once(api, django_assert_num_queries):
    api.get("/api/v1/relations/RU-VE/")
    # The data version, the two countries (by their codes), the pair's statistics and its
    # sectors' statistics, its latest events, its reported totals and their sources, and its
    # commissions.
    with django_assert_num_queries(8):
        assert api.get("/api/v1/relations/RU-VE/").status_code == 200


@pytest.mark.parametrize("pair", ["RU-VE", "VE-RU", "ru-ve"])
def test_a_relation_is_the_same_in_either_order(api, pair):
    body = api.get(f"/api/v1/relations/{pair}/").json()
    assert body["pair"] == "RU-VE"
    assert [c["code"] for c in body["countries"]] == ["RU", "VE"]
    assert body["agreement_count"] == 4
    assert [e["name"] for e in body["recent_events"]] == ["Venezuela–Russia signing in Caracas"]
    assert body["event_count"] == 1
    (total,) = body["reported_totals"]
    assert (total["value"], total["qualifier"], total["since"]) == (400, "more_than", "2004")
    assert total["sources"][0]["title"].startswith("Venezuela and Russia")
    assert [c["founded_on"] for c in body["commissions"]] == ["2004"]
    assert {s["slug"]: s["count"] for s in body["sectors"]}["oil"] == 1
    assert len(body["sectors"]) == 8


def test_a_relation_gives_its_first_and_last_signing_dates(api):
    from tests.factories import AgreementFactory, country

    for value in ["2010-03", "2004", "2019-12-01"]:
        AgreementFactory(
            party_a=country("CU"), party_b=country("VE"), signed_on=value, review_state="published"
        )
    body = api.get("/api/v1/relations/CU-VE/").json()
    assert (body["first_signed_on"], body["last_signed_on"]) == ("2004", "2019-12-01")


@pytest.mark.parametrize("pair", ["CU-VE", "VE-VE", "XX-VE"])
def test_a_pair_without_records_is_a_404(api, pair):
    assert api.get(f"/api/v1/relations/{pair}/").status_code == 404


def test_the_relations_list_filters_by_country(api):
    from tests.factories import AgreementFactory, country

    AgreementFactory(party_a=country("CN"), party_b=country("RU"), review_state="published")
    assert [r["pair"] for r in api.get("/api/v1/relations/").json()["results"]] == [
        "CN-RU",
        "RU-VE",
    ]
    assert [r["pair"] for r in api.get("/api/v1/relations/?country=VE").json()["results"]] == [
        "RU-VE"
    ]
    assert api.get("/api/v1/relations/?country=CU").json()["results"] == []


def test_a_page_of_relations_shows_only_its_own_pairs_records(api):
    """The page's pairs are read as any first country with any second one (one compiled
    query): A-C and C-D also cover A-D, whose commission and claim belong to no summary here."""
    from tests.factories import AgreementFactory, CommissionFactory, CountClaimFactory, country

    a, c, d = sorted((country("AR"), country("BR"), country("CL")), key=lambda x: x.pk)
    for first, second in ((a, c), (c, d)):
        AgreementFactory(party_a=first, party_b=second, review_state="published")
    CommissionFactory(party_a=a, party_b=d, name="A-D commission", review_state="published")
    CountClaimFactory(party_a=a, party_b=d, value=9, since="2001", review_state="published")

    page = api.get(f"/api/v1/relations/?country={c.code}").json()["results"]
    assert len(page) == 2
    assert all(r["commissions"] == [] and r["reported_totals"] == [] for r in page)
    (other,) = [
        r
        for r in api.get(f"/api/v1/relations/?country={a.code}").json()["results"]
        if {x["code"] for x in r["countries"]} == {a.code, d.code}
    ]
    assert [x["name"] for x in other["commissions"]] == ["A-D commission"]
    assert [t["value"] for t in other["reported_totals"]] == [9]


def test_detail_responses_carry_an_etag_that_changes_with_the_record(api):
    agreement = models.Agreement.objects.get(kind="cooperation_document")
    first = api.get(f"/api/v1/agreements/{agreement.pk}/")["ETag"]
    agreement.summary = "Changed."
    agreement.save()
    second = api.get(f"/api/v1/agreements/{agreement.pk}/")["ETag"]
    assert first.startswith('"') and first != second


def test_a_source_list_leaves_out_the_text_but_its_page_has_it(api):
    listing = api.get("/api/v1/sources/").json()["results"][0]
    assert "text" not in listing
    assert listing["content_hash"] == models.Source.objects.get().content_hash
    detail = api.get(listing["href"]).json()
    assert detail["text"].startswith("وقّعت الدولتين")
    assert [c["code"] for c in detail["countries_mentioned"]] == ["RU", "UA", "US", "VE"]


def test_the_openapi_schema_and_the_offline_docs_answer(api):
    schema = api.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/agreements/" in schema.content
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html


def test_the_schema_is_made_without_querying_the_database(api, django_assert_num_queries):
    # A query here once ran at import time of the Schemathesis tests, before the test
    # database existed, and pointed the connection pool at the real database.
    with django_assert_num_queries(0):
        assert api.get("/api/v1/schema/?format=json").status_code == 200


def test_the_schema_validates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("reader", ["api", "curator_api"])
def test_the_browsable_api_renders_every_list_and_record(request, resource, reader):
    client = request.getfixturevalue(reader)
    listing = client.get(f"/api/v1/{resource}/", HTTP_ACCEPT="text/html")
    assert listing.status_code == 200
    first = client.get(f"/api/v1/{resource}/").json()["results"][0]["href"]
    assert client.get(first, HTTP_ACCEPT="text/html").status_code == 200
