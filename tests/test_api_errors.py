"""Bad query strings are clear 400s (or 404 for a page past the end), never 500s."""

import pytest

pytestmark = pytest.mark.usefixtures("seed")


@pytest.mark.parametrize(
    ("resource", "params", "parameter", "message"),
    [
        ("agreements", {"country": "Venezuela"}, "country", "is not an ISO 3166-1 alpha-2 code"),
        ("agreements", {"country": "XX"}, "country", "Unknown country code: XX"),
        ("agreements", {"sector": "spying"}, "sector", "Select a valid choice"),
        ("agreements", {"kind": "pact"}, "kind", "Select a valid choice"),
        ("agreements", {"status": "alive"}, "status", "Select a valid choice"),
        ("agreements", {"signed_after": "2024-13"}, "signed_after", "month 13 does not exist"),
        ("agreements", {"signed_before": "yesterday"}, "signed_before", "is not a partial date"),
        ("agreements", {"signed_after": "2023-02-29"}, "signed_after", "not a day of the calendar"),
        ("agreements", {"event": "abc"}, "event", "Select a valid choice"),
        ("agreements", {"event": "999999"}, "event", "Select a valid choice"),
        ("agreements", {"review_state": "secret"}, "review_state", "Select a valid choice"),
        ("agreements", {"ordering": "password"}, "ordering", "Order by one of"),
        ("agreements", {"page_size": "500"}, "page_size", "At most 200"),
        ("agreements", {"page_size": "0"}, "page_size", "Must be a whole number from 1"),
        ("agreements", {"page": "abc"}, "page", "Must be a whole number from 1"),
        ("officials", {"active_on": "2024/01"}, "active_on", "is not a partial date"),
        ("officials", {"role": "king"}, "role", "Select a valid choice"),
        ("countries", {"has_agreements": "maybe"}, "has_agreements", "Use true or false."),
        ("events", {"after": "2024-00"}, "after", "month 0 does not exist"),
        ("sources", {"published_after": "2024-13"}, "published_after", "month 13 does not exist"),
        ("relations", {"country": "Russia"}, "country", "is not an ISO 3166-1 alpha-2 code"),
        ("sources", {"country": "Russia"}, "country", "is not an ISO 3166-1 alpha-2 code"),
        ("sources", {"country": "xx"}, "country", "Unknown country code: XX"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(
    api, resource, params, parameter, message
):
    response = api.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[parameter])


def test_an_unknown_parameter_is_a_400_listing_the_accepted_ones(api):
    response = api.get("/api/v1/agreements/", {"contry": "VE"})
    assert response.status_code == 400
    (message,) = response.json()["contry"]
    assert message.startswith("Unknown query parameter. Accepted: country, event, format, kind")


def test_a_detail_page_accepts_no_filters(api):
    response = api.get("/api/v1/countries/VE/", {"country": "VE"})
    assert response.status_code == 400
    assert "Accepted: format." in response.json()["country"][0]


def test_a_page_past_the_end_is_a_404(api):
    response = api.get("/api/v1/agreements/", {"page": 2})
    assert response.status_code == 404
    assert response.json()["detail"] == "No page 2: the last page is 1."


def test_pages_have_count_next_and_previous(api):
    first = api.get("/api/v1/agreements/", {"page_size": 3}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (4, 3, None)
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    ids = {row["id"] for row in first["results"]} | {row["id"] for row in second["results"]}
    assert len(ids) == 4


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "country=VE%00",
        "ca%00ll=1",
        "event=99999999999999999999999999",
        "event=-1",
        "page=99999999999999999999",
        "page_size=-5",
        "q=" + "x" * 10_000,
        "q=%E2%80%8F%D9%81%D9%86%D8%B2%D9%88%D9%8A%D9%84%D8%A7%E2%80%8E",
        "q=e%CC%81%CC%81%CC%81",
        "q=%F0%9F%98%80",
        "q=%ED%A0%80",
        "signed_after=9999-12-31",
        "signed_before=0001",
        "country=VE&country=VE&country=RU",
        "ordering=-signed_on,title,-signed_on",
    ],
)
@pytest.mark.parametrize("resource", ["agreements", "officials", "sources", "relations"])
def test_nothing_in_a_query_string_causes_a_server_error(api, resource, query):
    response = api.get(f"/api/v1/{resource}/?{query}")
    assert response.status_code < 500
