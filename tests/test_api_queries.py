"""Every list runs a fixed number of queries, whatever the number of records on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import models
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    CommissionFactory,
    CountClaimFactory,
    OfficeHeldFactory,
    OfficialFactory,
    PlaceFactory,
    SigningEventFactory,
    SourceFactory,
    StatementFactory,
    country,
    sector,
)

PUBLISHED = models.ReviewState.PUBLISHED
PARTNERS = [code for code in ("CU", "CN", "IR", "TR", "BY", "NI", "BO", "SY", "IN", "BR")]


def _agreement(n):
    official = OfficialFactory(review_state=PUBLISHED)
    OfficeHeldFactory(official=official, started_on="2000", review_state=PUBLISHED)
    agreement = AgreementFactory(
        signed_on="2020-01-02",
        place=PlaceFactory(review_state=PUBLISHED),
        event=SigningEventFactory(review_state=PUBLISHED),
        review_state=PUBLISHED,
        sectors=[sector("oil"), sector("trade")],
    )
    models.Signatory.objects.create(agreement=agreement, official=official, country=country("VE"))
    CitationFactory(agreement=agreement, source__review_state=PUBLISHED)
    return agreement


def _event(n):
    event = SigningEventFactory(place=PlaceFactory(review_state=PUBLISHED), review_state=PUBLISHED)
    event.officials_present.add(OfficialFactory(review_state=PUBLISHED))
    AgreementFactory(event=event, review_state=PUBLISHED)
    CountClaimFactory(event=event, review_state=PUBLISHED)
    CitationFactory(agreement=None, event=event, source__review_state=PUBLISHED)
    return event


def _official(n):
    official = OfficialFactory(review_state=PUBLISHED)
    models.OfficialName.objects.create(official=official, language="ar", text=f"اسم {n}")
    OfficeHeldFactory(official=official, review_state=PUBLISHED)
    CitationFactory(agreement=None, official=official, source__review_state=PUBLISHED)
    return official


def _relation(n):
    partner = country(PARTNERS[n % len(PARTNERS)])
    AgreementFactory(
        party_a=partner, party_b=country("VE"), review_state=PUBLISHED, sectors=[sector("oil")]
    )
    SigningEventFactory(party_a=partner, party_b=country("VE"), review_state=PUBLISHED)
    claim = CountClaimFactory(
        party_a=partner, party_b=country("VE"), since="2004", review_state=PUBLISHED
    )
    CitationFactory(agreement=None, count_claim=claim, source__review_state=PUBLISHED)
    CommissionFactory(party_a=partner, party_b=country("VE"), review_state=PUBLISHED)


MAKERS = {
    "agreements": _agreement,
    "events": _event,
    "officials": _official,
    "offices": lambda n: OfficeHeldFactory(review_state=PUBLISHED),
    "places": lambda n: models.PlaceName.objects.create(
        place=PlaceFactory(review_state=PUBLISHED), language="ar", text="مكان"
    ),
    "commissions": lambda n: CountClaimFactory(
        commission=CommissionFactory(review_state=PUBLISHED), since="2004", review_state=PUBLISHED
    ),
    "claims": lambda n: CitationFactory(
        agreement=None,
        count_claim=CountClaimFactory(
            event=SigningEventFactory(review_state=PUBLISHED), review_state=PUBLISHED
        ),
        source__review_state=PUBLISHED,
    ),
    "statements": lambda n: CitationFactory(
        agreement=None,
        statement=StatementFactory(event=SigningEventFactory(), review_state=PUBLISHED),
        source__review_state=PUBLISHED,
    ),
    "sources": lambda n: SourceFactory(review_state=PUBLISHED).countries_mentioned.add(
        country("VE"), country("RU")
    ),
    "citations": lambda n: CitationFactory(
        source__review_state=PUBLISHED, agreement__review_state=PUBLISHED
    ),
    "relations": _relation,
}


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("resource", list(MAKERS))
@pytest.mark.parametrize("reader", ["api", "curator_api"])
def test_a_list_runs_the_same_queries_for_1_and_50_records(request, db, resource, reader):
    client = request.getfixturevalue(reader)
    url = f"/api/v1/{resource}/?page_size=200"
    MAKERS[resource](0)
    one, first_count = _queries(client, url)
    for n in range(1, 50 if resource != "relations" else len(PARTNERS)):
        MAKERS[resource](n)
    many, last_count = _queries(client, url)
    assert last_count > first_count
    assert many == one


@pytest.mark.parametrize("resource", ["countries", "sectors"])
def test_reference_lists_run_a_fixed_number_of_queries(api, db, resource):
    count, _ = _queries(api, f"/api/v1/{resource}/?page_size=200")
    # The data version, the count, the page and its prefetch; on PostgreSQL also the table's
    # size (read once a minute outside tests).
    assert count <= (5 if connection.vendor == "postgresql" else 4)


@pytest.mark.parametrize("resource", list(MAKERS))
def test_a_full_page_runs_the_same_queries_whatever_its_size(api, db, resource):
    records = len(PARTNERS) if resource == "relations" else 12
    for n in range(records):
        MAKERS[resource](n)
    small, _ = _queries(api, f"/api/v1/{resource}/?page_size=2")
    large, _ = _queries(api, f"/api/v1/{resource}/?page_size={records - 1}")
    assert small == large
