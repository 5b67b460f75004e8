"""Curators write through the API with the admin's validation; nobody else can."""

import pytest

from agreements import models
from tests.conftest import if_match
from tests.factories import AgreementFactory, OfficialFactory, SourceFactory, country

pytestmark = pytest.mark.usefixtures("seed")

NEW_AGREEMENT = {
    "kind": "memorandum_of_understanding",
    "title": "Memorandum on fisheries",
    "parties": ["VE", "CU"],
    "sectors": ["agriculture", {"slug": "trade"}],
    "signed_on": "2024-11",
    "expires_on": "2030",
}


def _seed_agreement():
    return models.Agreement.objects.get(kind="cooperation_document")


def test_a_curator_creates_an_agreement_with_codes_and_slugs(curator_api, curator):
    response = curator_api.post("/api/v1/agreements/", NEW_AGREEMENT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [p["code"] for p in body["parties"]] == ["CU", "VE"]
    assert [s["slug"] for s in body["sectors"]] == ["agriculture", "trade"]
    assert (body["signed_on"], body["expires_on"], body["review_state"]) == (
        "2024-11",
        "2030",
        "draft",
    )
    agreement = models.Agreement.objects.get(pk=body["id"])
    assert agreement.history.get().history_user == curator


def test_a_curator_replaces_the_signatories(curator_api):
    official = OfficialFactory(review_state="published")
    agreement = _seed_agreement()
    url = f"/api/v1/agreements/{agreement.pk}/"
    payload = {"signatories": [{"official": official.pk, "country": "ve"}]}
    response = curator_api.patch(url, payload, format="json", **if_match(curator_api, url))
    assert response.status_code == 200, response.json()
    assert [s.official for s in agreement.signatory_links.all()] == [official]
    response = curator_api.patch(
        url, {"signatories": []}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert response.status_code == 200, response.json()
    assert not agreement.signatory_links.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"parties": ["VE", "VE"]}, "parties", "The two parties must be two different countries."),
        ({"parties": ["VE"]}, "parties", "Give exactly two parties"),
        ({"parties": "VE"}, "parties", "Give exactly two parties"),
        ({"parties": ["VE", "ZZ"]}, "parties", "There is no country with code ZZ."),
        ({"signed_on": "2024-13"}, "signed_on", "month 13 does not exist"),
        ({"signed_on": "13/11/2024"}, "signed_on", "is not a partial date"),
        ({"expires_on": "2020"}, "expires_on", "Expiry (2020) is before signing date (2024-11)."),
        ({"sectors": ["spying"]}, "sectors", "There is no sector with slug spying."),
        ({"kind": "pact"}, "kind", "is not a valid choice"),
        ({"event": 10**29}, "event", "Give the id of a signing event"),  # beyond 64 bits
        ({"event": 10**18}, "event", "There is no signing event with id"),
        ({"title": ""}, "title", "may not be blank"),
        ({"title": "x" * 301}, "title", "no more than 300"),
        ({"summary": "nul\x00byte"}, "summary", "Null characters are not allowed."),
    ],
)
def test_bad_input_is_refused_with_the_admins_message(curator_api, change, field, message):
    response = curator_api.post("/api/v1/agreements/", NEW_AGREEMENT | change, format="json")
    assert response.status_code == 400
    assert message in " ".join(map(str, response.json()[field]))
    assert not models.Agreement.objects.filter(title=NEW_AGREEMENT["title"]).exists()


def test_a_signatory_must_sign_for_a_party(curator_api):
    official = OfficialFactory()
    payload = NEW_AGREEMENT | {"signatories": [{"official": official.pk, "country": "RU"}]}
    response = curator_api.post("/api/v1/agreements/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["signatories"] == ["A signatory signs for one of the two parties."]


def test_an_event_of_other_countries_is_refused(curator_api):
    event = models.SigningEvent.objects.get()
    response = curator_api.post(
        "/api/v1/agreements/", NEW_AGREEMENT | {"event": event.pk}, format="json"
    )
    assert response.status_code == 400
    assert "other countries" in response.json()["event"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 12345),
        ("uid", "0b0f2f4e-5ad8-4d4e-9f3c-1c1b5c7b2a11"),
        ("created_at", "2001-01-01T00:00:00Z"),
        ("updated_at", "2001-01-01T00:00:00Z"),
        ("citations", []),
        ("history", []),
        ("search_text", "x"),
    ],
)
def test_clients_cannot_set_ids_history_or_timestamps(curator_api, field, value):
    agreement = _seed_agreement()
    url = f"/api/v1/agreements/{agreement.pk}/"
    response = curator_api.patch(url, {field: value}, format="json", **if_match(curator_api, url))
    assert response.status_code == 400
    assert field in response.json()
    after = models.Agreement.objects.get(pk=agreement.pk)
    assert (after.uid, after.created_at, after.updated_at) == (
        agreement.uid,
        agreement.created_at,
        agreement.updated_at,
    )


def test_a_source_hash_is_the_servers(curator_api):
    response = curator_api.post(
        "/api/v1/sources/",
        {"title": "T", "language": "en", "text": "Some text.", "content_hash": "0" * 64},
        format="json",
    )
    assert response.status_code == 400
    assert "content_hash" in response.json()


def test_a_read_record_can_be_put_back_unchanged(curator_api):
    url = f"/api/v1/agreements/{_seed_agreement().pk}/"
    read = curator_api.get(url)
    response = curator_api.put(url, read.json(), format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.json()


def test_a_stale_if_match_is_refused_with_412(curator_api):
    url = f"/api/v1/agreements/{_seed_agreement().pk}/"
    etag = curator_api.get(url)["ETag"]
    first = curator_api.patch(url, {"summary": "First curator."}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    second = curator_api.patch(
        url, {"summary": "Second curator."}, format="json", HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    assert "changed since you read it" in second.json()["detail"]
    assert _seed_agreement().summary == "First curator."
    assert curator_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert (
        curator_api.patch(url, {"summary": "Third."}, HTTP_IF_MATCH=first["ETag"]).status_code
        == 200
    )


def test_a_citation_must_quote_its_source(curator_api):
    source = SourceFactory(text="Cuba and Venezuela signed a fisheries memorandum.")
    agreement = AgreementFactory()
    payload = {"source": source.pk, "passage": "a fisheries treaty", "agreement": agreement.pk}
    response = curator_api.post("/api/v1/citations/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["passage"] == ["The source text does not contain this passage."]
    payload["passage"] = "a fisheries memorandum"
    response = curator_api.post("/api/v1/citations/", payload, format="json")
    assert response.status_code == 201
    assert (response.json()["start"], response.json()["end"]) == (26, 48)


def test_a_citation_supports_exactly_one_fact(curator_api):
    source = SourceFactory()
    response = curator_api.post(
        "/api/v1/citations/", {"source": source.pk, "passage": "Venezuela"}, format="json"
    )
    assert response.status_code == 400
    assert "exactly one fact" in str(response.json())


def test_names_of_an_official_are_replaced_as_a_set(curator_api):
    official = models.Official.objects.get(slug="hugo-chavez")
    names = [
        {"language": "ar", "text": "تشافيز", "kind": "variant"},
        {"language": "en", "text": "Chavez"},
    ]
    url = f"/api/v1/officials/{official.pk}/"
    response = curator_api.patch(url, {"names": names}, format="json", **if_match(curator_api, url))
    assert response.status_code == 200, response.json()
    assert sorted(official.names.values_list("text", flat=True)) == ["Chavez", "تشافيز"]


def test_an_official_is_searched_by_the_names_as_replaced(curator_api):
    official = models.Official.objects.get(slug="hugo-chavez")
    url = f"/api/v1/officials/{official.pk}/"
    names = [{"language": "es", "text": "Comandante Frías"}]
    response = curator_api.patch(url, {"names": names}, format="json", **if_match(curator_api, url))
    assert response.status_code == 200, response.json()

    def found(term):
        results = curator_api.get("/api/v1/officials/", {"q": term}).json()["results"]
        return [row["slug"] for row in results]

    assert found("frias") == ["hugo-chavez"]
    assert found("شافيز") == []  # an Arabic name the seed gave him, replaced


# The permissions matrix: (method, url, body) for every writable resource.
def _write_requests():
    agreement = _seed_agreement()
    return [
        ("post", "/api/v1/agreements/", NEW_AGREEMENT),
        ("patch", f"/api/v1/agreements/{agreement.pk}/", {"summary": "x"}),
        ("put", f"/api/v1/agreements/{agreement.pk}/", NEW_AGREEMENT | {"event": None}),
        ("delete", f"/api/v1/agreements/{agreement.pk}/", None),
        ("post", "/api/v1/places/", {"name": "Havana", "country": "CU"}),
        ("post", "/api/v1/officials/", {"name": "Miguel Díaz-Canel", "country": "CU"}),
        ("post", "/api/v1/events/", {"name": "Havana signing", "parties": ["CU", "VE"]}),
        ("post", "/api/v1/commissions/", {"name": "Joint commission", "parties": ["CU", "VE"]}),
        ("post", "/api/v1/claims/", {"value": 3, "parties": ["CU", "VE"], "since": "2000"}),
        ("post", "/api/v1/sources/", {"title": "T", "language": "en", "text": "New text."}),
        ("delete", f"/api/v1/statements/{models.Statement.objects.first().pk}/", None),
        ("delete", f"/api/v1/offices/{models.OfficeHeld.objects.first().pk}/", None),
        ("delete", f"/api/v1/citations/{models.Citation.objects.first().pk}/", None),
    ]


def _counts():
    return [
        model.objects.count()
        for model in (models.Agreement, models.Place, models.Official, models.Citation)
    ]


@pytest.mark.parametrize(("client_name", "status"), [("api", 401), ("plain_user_api", 403)])
def test_only_curators_may_write(request, client_name, status):
    client = request.getfixturevalue(client_name)
    before = _counts()
    for method, url, body in _write_requests():
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == status, (method, url)
    assert _counts() == before
    assert _seed_agreement().summary != "x"


def test_curators_may_do_each_write(curator_api):
    expected = {"post": 201, "patch": 200, "put": 200, "delete": 204}
    for method, url, body in _write_requests():
        if method == "delete" and "agreements" in url:
            continue  # the PUT above already changed it; deleted below
        condition = if_match(curator_api, url) if method in ("put", "patch", "delete") else {}
        response = getattr(curator_api, method)(url, body, format="json", **condition)
        assert response.status_code == expected[method], (method, url, response.content[:300])


def test_reference_data_is_read_only(curator_api):
    assert curator_api.post("/api/v1/countries/", {"code": "XK"}, format="json").status_code == 405
    assert curator_api.delete("/api/v1/sectors/oil/").status_code == 405
    assert curator_api.delete("/api/v1/relations/RU-VE/").status_code == 405


def test_session_authentication_works_for_curators(client, curator):
    client.force_login(curator)
    url = f"/api/v1/agreements/{_seed_agreement().pk}/"
    response = client.patch(
        url, {"summary": "By session."}, content_type="application/json", **if_match(client, url)
    )
    assert response.status_code == 200
    assert country("VE")  # the seed's countries are untouched
