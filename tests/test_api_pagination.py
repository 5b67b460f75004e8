"""Pages: counted exactly up to a cap, estimated beyond on PostgreSQL, never counted when the
page itself tells the count; links that survive raw UTF-8 query strings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.api import pagination
from agreements.models import Agreement, ReviewState
from tests.factories import AgreementFactory, OfficialFactory, country

PUBLISHED = ReviewState.PUBLISHED


@pytest.fixture
def five(db):
    return AgreementFactory.create_batch(5, review_state=PUBLISHED)


def _get(api, url):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in queries]


def test_a_page_shorter_than_the_page_size_needs_no_count_query(api, five):
    body, queries = _get(api, "/api/v1/agreements/?page_size=10")
    assert body["count"] == 5
    assert not any("COUNT(" in sql.upper() for sql in queries)


def test_a_full_page_counts_the_rest(api, five):
    body, queries = _get(api, "/api/v1/agreements/?page_size=2")
    assert (body["count"], body["count_estimated"]) == (5, False)
    assert sum("COUNT(" in sql.upper() for sql in queries) == 1


def test_the_last_short_page_knows_the_count_without_counting(api, five):
    body, queries = _get(api, "/api/v1/agreements/?page_size=2&page=3")
    assert (body["count"], len(body["results"])) == (5, 1)
    assert not any("COUNT(" in sql.upper() for sql in queries)


def test_the_count_query_leaves_out_the_pages_joins(api, five):
    _, queries = _get(api, "/api/v1/agreements/?page_size=2")
    (count,) = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert "agreements_place" not in count and "agreements_signingevent" not in count


def test_above_the_cap_the_count_is_estimated_on_postgresql_and_exact_elsewhere(
    api, five, monkeypatch
):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 3)
    body, _ = _get(api, "/api/v1/agreements/?page_size=2")
    if connection.vendor == "postgresql":
        assert body["count_estimated"] is True
        assert body["count"] >= 4
    else:
        assert (body["count"], body["count_estimated"]) == (5, False)


def _analysed(table: str) -> None:
    """The planner's statistics of ``table``, and its size in pg_class, brought up to date."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def test_where_postgresql_expects_many_rows_nothing_is_counted(api, five, monkeypatch):
    monkeypatch.setattr(pagination, "SURELY_ABOVE", 3)
    _analysed("agreements_agreement")
    body, queries = _get(api, "/api/v1/agreements/?page_size=2")
    if connection.vendor == "postgresql":
        assert body["count_estimated"] is True
        assert body["count"] >= 3
        assert not any("COUNT(" in sql.upper() for sql in queries)
    else:  # no estimate: counted exactly
        assert (body["count"], body["count_estimated"]) == (5, False)


def test_where_postgresql_expects_few_rows_they_are_counted(api, five, monkeypatch):
    AgreementFactory.create_batch(
        2, party_a=country("CU"), party_b=country("VE"), review_state=PUBLISHED
    )
    monkeypatch.setattr(pagination, "SURELY_ABOVE", 7)  # as many as the table holds
    _analysed("agreements_agreement")
    body, queries = _get(api, "/api/v1/agreements/?page_size=2&country=CU")
    assert len(body["results"]) == 2  # a full page: its count is asked
    assert (body["count"], body["count_estimated"]) == (2, False)
    assert sum("COUNT(" in sql.upper() for sql in queries) == 1


def test_a_list_known_to_match_nothing_is_not_explained(api, five, monkeypatch):
    # Three countries can never all be parties: the query is known empty, with no SQL.
    monkeypatch.setattr(pagination, "SURELY_ABOVE", 3)
    _analysed("agreements_agreement")
    url = "/api/v1/agreements/?country=RU&country=VE&country=CU"
    assert api.get(url).json()["count"] == 0
    response = api.get(f"{url}&page=2")
    assert response.status_code == 404
    assert response.json() == {"detail": "No page 2: the last page is 1."}


def test_a_page_past_an_estimated_end_promises_no_last_page(api, five, monkeypatch):
    monkeypatch.setattr(pagination, "SURELY_ABOVE", 3)
    _analysed("agreements_agreement")
    response = api.get("/api/v1/agreements/?page_size=2&page=40")
    assert response.status_code == 404
    if connection.vendor == "postgresql":
        assert response.json() == {"detail": "No page 40: the list ends before it."}
    else:
        assert response.json() == {"detail": "No page 40: the last page is 3."}


def test_of_a_table_smaller_than_that_the_planner_is_not_asked(api, five, monkeypatch):
    monkeypatch.setattr(pagination, "SURELY_ABOVE", 6)  # more than the table holds
    _analysed("agreements_agreement")
    body, queries = _get(api, "/api/v1/agreements/?page_size=2")
    assert (body["count"], body["count_estimated"]) == (5, False)
    assert not any(sql.upper().startswith("EXPLAIN") for sql in queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's table sizes")
def test_a_tables_size_is_read_once_a_minute(db, five, monkeypatch):
    monkeypatch.setattr(pagination, "TABLE_SIZE_SECONDS", 60.0)
    monkeypatch.setattr(pagination, "_table_sizes", {})
    _analysed("agreements_agreement")
    rows = Agreement.objects.all()
    with CaptureQueriesContext(connection) as queries:
        sizes = [pagination.table_size(rows) for _ in range(3)]
    assert sizes == [5.0, 5.0, 5.0]
    assert len(queries) == 1


def test_up_to_the_cap_the_count_is_exact(api, five, monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 5)
    body, _ = _get(api, "/api/v1/agreements/?page_size=2")
    assert (body["count"], body["count_estimated"]) == (5, False)


@pytest.fixture
def five_haddads(db):
    for n in range(5):
        OfficialFactory(name=f"Sami Haddad {n}", review_state=PUBLISHED)


def test_a_name_search_counts_its_matches_in_its_page_query(api, five_haddads):
    _, short_page = _get(api, "/api/v1/officials/?q=haddad&page_size=10")
    body, full_page = _get(api, "/api/v1/officials/?q=haddad&page_size=2")
    assert (body["count"], body["count_estimated"]) == (5, False)
    assert [row["name"] for row in body["results"]] == ["Sami Haddad 0", "Sami Haddad 1"]
    assert len(full_page) == len(short_page)


def test_a_name_search_counts_exactly_beyond_the_cap(api, five_haddads, monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 3)
    body, _ = _get(api, "/api/v1/officials/?q=haddad&page_size=2&page=2")
    assert (body["count"], body["count_estimated"]) == (5, False)
    assert [row["name"] for row in body["results"]] == ["Sami Haddad 2", "Sami Haddad 3"]


def test_a_term_that_folds_to_nothing_lists_every_official_counted_as_any_list(
    api, five_haddads, monkeypatch
):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 3)
    body, queries = _get(api, "/api/v1/officials/?q=-&page_size=2")
    # Counted by count queries, as any list is, not by a window over the page query.
    assert any(sql.upper().startswith("SELECT COUNT(") for sql in queries)
    assert not any("OVER ()" in sql.upper() for sql in queries)
    if connection.vendor == "postgresql":
        assert body["count_estimated"] is True
    else:
        assert (body["count"], body["count_estimated"]) == (5, False)


def test_a_name_search_page_past_the_end_names_the_last_page(api, five_haddads):
    response = api.get("/api/v1/officials/?q=haddad&page_size=2&page=4")
    assert response.status_code == 404
    assert response.json() == {"detail": "No page 4: the last page is 3."}


def test_next_links_percent_encode_a_raw_utf8_query_string(api, db):
    AgreementFactory.create_batch(2, review_state=PUBLISHED, title="اتفاقية النفط")
    first = api.get("/api/v1/agreements/?q=النفط&page_size=1").json()
    assert "q=%D8%A7%D9%84%D9%86%D9%81%D8%B7" in first["next"]
    second = api.get(first["next"]).json()
    assert second["count"] == 2 and second["previous"].endswith(
        "page_size=1&q=%D8%A7%D9%84%D9%86%D9%81%D8%B7"
    )


def test_a_previous_link_to_the_first_page_carries_no_page(api, five):
    body = api.get("/api/v1/agreements/?page_size=2&page=2").json()
    assert "page=" not in body["previous"].replace("page_size=", "")


def test_two_countries_in_either_order_name_the_stored_pair(db):
    agreement = AgreementFactory(party_a=country("VE"), party_b=country("RU"))
    assert list(Agreement.objects.involving(country("VE"), country("RU"))) == [agreement]
    assert list(Agreement.objects.involving(country("RU"), country("VE"))) == [agreement]


def test_a_pair_filter_misses_another_pair(db):
    AgreementFactory(party_a=country("VE"), party_b=country("RU"))
    assert not Agreement.objects.involving(country("VE"), country("CN")).exists()


def test_three_countries_name_no_bilateral_record(db):
    AgreementFactory(party_a=country("VE"), party_b=country("RU"))
    assert not Agreement.objects.involving(country("VE"), country("RU"), country("CN")).exists()
