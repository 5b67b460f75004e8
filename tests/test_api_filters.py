"""Every filter once with a value that matches and once with one that does not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from agreements import models
from agreements.api.filters import AgreementFilter
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
SEED_AGREEMENTS = {
    "Cooperation document on the use of unmanned aerial vehicles",
    "Agreements on intelligence and counter-intelligence matters",
    "Agreements on training and technical advice in the energy sector",
    "Agreements on petroleum services and technology for extracting extra-heavy crude oil",
}
LOAN = "Memorandum on a loan for the Caracas metro"


@pytest.fixture
def catalogue(seed):
    """The seed (Russia–Venezuela, 2004 onwards) plus a China–Venezuela memorandum of 2019."""
    beijing = PlaceFactory(name="Beijing", country=country("CN"), review_state=PUBLISHED)
    models.PlaceName.objects.create(place=beijing, language="zh", text="北京")
    minister = OfficeHeldFactory(
        official__name="Tareck El Aissami",
        official__review_state=PUBLISHED,
        title="Minister of Oil",
        role=models.OfficeHeld.Role.MINISTER,
        started_on="2018",
        ended_on="2023-03",
        review_state=PUBLISHED,
    )
    event = SigningEventFactory(
        name="Beijing state visit",
        party_a=country("CN"),
        party_b=country("VE"),
        held_on="2019-05-14",
        place=beijing,
        review_state=PUBLISHED,
    )
    loan = AgreementFactory(
        title=LOAN,
        summary="A loan of 5 billion dollars for the metro.",
        kind=models.Agreement.Kind.MEMORANDUM,
        status=models.Agreement.Status.IN_FORCE,
        party_a=country("CN"),
        party_b=country("VE"),
        signed_on="2019-05-14",
        place=beijing,
        event=event,
        review_state=PUBLISHED,
        sectors=[sector("finance"), sector("transport")],
    )
    models.Signatory.objects.create(
        agreement=loan, official=minister.official, country=country("VE")
    )
    source = SourceFactory(
        title="Beijing lends to Caracas",
        publisher="Example Wire",
        text="China and Venezuela signed a memorandum on metro financing in Beijing.",
        published_on="2019-05-15",
        review_state=PUBLISHED,
    )
    source.countries_mentioned.add(country("CN"), country("VE"))
    CitationFactory(source=source, passage="memorandum on metro financing", agreement=loan)
    commission = CommissionFactory(
        name="China–Venezuela Joint Commission",
        party_a=country("CN"),
        party_b=country("VE"),
        founded_on="2001",
        review_state=PUBLISHED,
    )
    CountClaimFactory(
        value=500,
        qualifier=models.CountClaim.Qualifier.ABOUT,
        party_a=country("CN"),
        party_b=country("VE"),
        commission=commission,
        since="2001",
        review_state=PUBLISHED,
    )
    StatementFactory(
        official=minister.official,
        text="The metro will be finished in 2025.",
        language="en",
        said_on="2019-05-14",
        event=event,
        kind=models.Statement.Kind.QUOTE,
        review_state=PUBLISHED,
    )
    return {
        "loan": loan,
        "event": event,
        "beijing": beijing,
        "minister": minister,
        "source": source,
    }


def _get(api, resource, params):
    response = api.get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def _titles(api, params):
    return {row["title"] for row in _get(api, "agreements", params)}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, SEED_AGREEMENTS | {LOAN}),
        ({"country": "CN"}, {LOAN}),
        ({"country": "US"}, set()),
        ({"country": ["VE", "RU"]}, SEED_AGREEMENTS),
        ({"country": ["RU", "VE"]}, SEED_AGREEMENTS),
        ({"country": "ve,ru"}, SEED_AGREEMENTS),
        ({"country": ["CN", "RU"]}, set()),
        ({"sector": "finance"}, {LOAN}),
        ({"sector": ["oil", "finance"]}, {LOAN, *(t for t in SEED_AGREEMENTS if "petroleum" in t)}),
        ({"sector": "nuclear"}, set()),
        ({"kind": "memorandum_of_understanding"}, {LOAN}),
        ({"kind": "treaty"}, set()),
        ({"status": "in_force"}, {LOAN}),
        ({"status": "expired"}, set()),
        ({"signed_after": "2019"}, {LOAN}),
        ({"signed_after": "2019-05-14"}, {LOAN}),
        ({"signed_after": "2019-05-15"}, set()),
        ({"signed_before": "2019-05"}, {LOAN}),
        ({"signed_before": "2019-05-13"}, set()),
        ({"q": "metro"}, {LOAN}),
        ({"q": "financing"}, {LOAN}),
        ({"q": "الطائرات"}, {"Cooperation document on the use of unmanned aerial vehicles"}),
        ({"q": "الطاءرات"}, set()),
        ({"q": "تجسس"}, {"Agreements on intelligence and counter-intelligence matters"}),
        (
            {"q": "المشورة الفنية"},
            {"Agreements on training and technical advice in the energy sector"},
        ),
        ({"q": "submarines"}, set()),
        ({"review_state": "published"}, SEED_AGREEMENTS | {LOAN}),
        ({"review_state": "draft"}, set()),
    ],
)
def test_agreement_filters(api, catalogue, params, expected):
    assert _titles(api, params) == expected


@pytest.mark.parametrize("name", ["signatory", "event", "place", "source"])
def test_agreement_filters_by_related_record(api, catalogue, name):
    related = {
        "signatory": catalogue["minister"].official,
        "event": catalogue["event"],
        "place": catalogue["beijing"],
        "source": catalogue["source"],
    }[name]
    assert _titles(api, {name: related.pk}) == {LOAN}
    other = {
        "signatory": OfficialFactory(review_state=PUBLISHED),
        "event": models.SigningEvent.objects.get(name__contains="Caracas"),
        "place": models.Place.objects.get(name="Caracas"),
        "source": models.Source.objects.get(language="ar"),
    }[name]
    assert LOAN not in _titles(api, {name: other.pk})


def test_a_partial_date_on_the_record_compares_as_a_period(api, catalogue):
    AgreementFactory(title="Known to the year", signed_on="2019", review_state=PUBLISHED)
    assert "Known to the year" in _titles(api, {"signed_after": "2019-06-30"})
    assert "Known to the year" in _titles(api, {"signed_before": "2019-01-01"})
    assert "Known to the year" not in _titles(api, {"signed_after": "2020"})
    assert "Known to the year" not in _titles(api, {"signed_before": "2018-12"})


def test_no_filter_returns_an_agreement_twice(api, catalogue):
    loan = catalogue["loan"]
    CitationFactory(source=catalogue["source"], passage="metro financing", agreement=loan)
    rows = _get(
        api,
        "agreements",
        {"sector": ["finance", "transport"], "q": "metro", "source": catalogue["source"].pk},
    )
    assert [row["id"] for row in rows] == [loan.pk]


@pytest.mark.parametrize("ordering", ["signed_on", "-signed_on", "title", "-title", "kind"])
def test_agreements_order_by_whitelisted_fields(api, catalogue, ordering):
    rows = _get(api, "agreements", {"ordering": ordering})
    key = ordering.lstrip("-")
    known = [row[key] for row in rows if row[key] is not None]
    assert known == sorted(known, reverse=ordering.startswith("-"))
    # Records whose value is unknown come last, in either direction, on both engines.
    assert [row[key] for row in rows[len(known) :]] == [None] * (len(rows) - len(known))


def _names(api, resource, params, field="name"):
    return {row[field] for row in _get(api, resource, params)}


@pytest.fixture
def delcy_eloina(db):
    official = OfficialFactory(name="Delcy Eloína", review_state=PUBLISHED)
    other = models.OfficialName.objects.create(official=official, language="es", text="Rodríguez")
    return official, other


def _found(api, term):
    return _names(api, "officials", {"q": term})


def test_an_official_is_found_by_another_name_added_after_it(api, delcy_eloina):
    assert _found(api, "rodriguez") == {"Delcy Eloína"}


def test_an_official_is_found_by_another_name_as_changed(api, delcy_eloina):
    _, other = delcy_eloina
    other.text = "Gómez"
    other.save()
    assert _found(api, "gomez") == {"Delcy Eloína"}
    assert _found(api, "rodriguez") == set()


def test_an_official_is_not_found_by_a_name_removed(api, delcy_eloina):
    delcy_eloina[1].delete()
    assert _found(api, "rodriguez") == set()


def test_an_official_is_still_found_by_its_other_names_when_renamed(api, delcy_eloina):
    official, _ = delcy_eloina
    official.name = "Delcy Rodríguez Gómez"
    official.save()
    assert _found(api, "rodriguez") == {"Delcy Rodríguez Gómez"}
    assert _found(api, "eloina") == set()


def test_a_search_term_never_spans_two_names(api, delcy_eloina):
    assert _found(api, "eloina rodriguez") == set()


def test_deleting_an_official_leaves_its_names_search_column_alone(delcy_eloina):
    # Its names go with it: re-joining its search names for each would be wasted writes.
    official, _ = delcy_eloina
    with CaptureQueriesContext(connection) as queries:
        official.delete()
    assert not [q["sql"] for q in queries if q["sql"].startswith('UPDATE "agreements_official"')]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Chavez"}, {"Hugo Chávez"}),
        ({"q": "Chávez"}, {"Hugo Chávez"}),
        ({"q": "تشافيز"}, {"Hugo Chávez"}),
        ({"q": "شافيز"}, {"Hugo Chávez"}),
        ({"q": "Bolsonaro"}, set()),
        ({"country": "RU"}, {"Vladimir Putin", "Dmitry Chernyshenko"}),
        ({"country": "cn"}, set()),
        ({"role": "deputy_head_of_government"}, {"Dmitry Chernyshenko"}),
        ({"role": "ambassador"}, set()),
        (
            {"active_on": "2005-06"},
            {
                "Hugo Chávez",
                "Nicolás Maduro",
                "Dmitry Chernyshenko",
                "Delcy Rodríguez",
                "Vladimir Putin",
            },
        ),
        (
            {"active_on": "2020"},
            {
                "Nicolás Maduro",
                "Dmitry Chernyshenko",
                "Delcy Rodríguez",
                "Vladimir Putin",
                "Tareck El Aissami",
            },
        ),
        (
            {"active_on": "1990"},
            {"Nicolás Maduro", "Dmitry Chernyshenko", "Delcy Rodríguez", "Vladimir Putin"},
        ),
    ],
)
def test_official_filters(api, catalogue, params, expected):
    assert _names(api, "officials", params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Venezuela"}, {"VE"}),
        ({"q": "فنزويلا"}, {"VE"}),
        ({"q": "Moscow"}, {"RU"}),
        ({"q": "Atlantis"}, set()),
        ({"has_agreements": "true"}, {"CN", "RU", "VE"}),
    ],
)
def test_country_filters(api, catalogue, params, expected):
    assert _names(api, "countries", params, "code") == expected


def test_countries_without_agreements(api, catalogue):
    assert "US" in _names(
        api, "countries", {"has_agreements": "false", "q": "United States"}, "code"
    )
    assert _names(api, "countries", {"has_agreements": "false", "q": "Venezuela"}, "code") == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": ["VE", "CN"]}, {"Beijing state visit"}),
        ({"country": "US"}, set()),
        ({"after": "2019-05"}, {"Beijing state visit"}),
        ({"after": "2020"}, set()),
        ({"before": "2019-05-14"}, {"Beijing state visit"}),
        ({"before": "2019-05-13"}, set()),
        ({"q": "beijing"}, {"Beijing state visit"}),
        ({"q": "moscow"}, set()),
    ],
)
def test_event_filters(api, catalogue, params, expected):
    assert _names(api, "events", params) == expected


def test_event_filter_by_place(api, catalogue):
    assert _names(api, "events", {"place": catalogue["beijing"].pk}) == {"Beijing state visit"}
    caracas = models.Place.objects.get(name="Caracas")
    assert _names(api, "events", {"place": caracas.pk}) == {"Venezuela–Russia signing in Caracas"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "CN"}, {500}),
        ({"country": ["RU", "VE"]}, {17, 400}),
        ({"country": "US"}, set()),
        ({"qualifier": "about"}, {500}),
        ({"qualifier": "at_most"}, set()),
        ({"since_after": "2004"}, {400}),
        ({"since_before": "2003"}, {500}),
        ({"since_before": "1990"}, set()),
    ],
)
def test_claim_filters(api, catalogue, params, expected):
    assert _names(api, "claims", params, "value") == expected


def test_claim_filters_by_event_and_commission(api, catalogue):
    event = models.SigningEvent.objects.get(name__contains="Caracas")
    assert _names(api, "claims", {"event": event.pk}, "value") == {17}
    assert _names(api, "claims", {"event": catalogue["event"].pk}, "value") == set()
    commission = models.Commission.objects.get(founded_on="2004")
    assert _names(api, "claims", {"commission": commission.pk}, "value") == {400}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "RU"}, {"Venezuela–Russia High-Level Commission"}),
        ({"country": "US"}, set()),
        ({"founded_after": "2002"}, {"Venezuela–Russia High-Level Commission"}),
        ({"founded_before": "2001-12-31"}, {"China–Venezuela Joint Commission"}),
        ({"founded_before": "1999"}, set()),
        ({"q": "joint"}, {"China–Venezuela Joint Commission"}),
        ({"q": "trade"}, set()),
    ],
)
def test_commission_filters(api, catalogue, params, expected):
    assert _names(api, "commissions", params) == expected


def _speakers(api, params):
    return {row["official"]["name"] for row in _get(api, "statements", params)}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"language": "en"}, {"Tareck El Aissami"}),
        ({"language": "fr"}, set()),
        ({"kind": "reported"}, {"Dmitry Chernyshenko", "Delcy Rodríguez"}),
        ({"country": "RU"}, {"Dmitry Chernyshenko"}),
        ({"country": "CN"}, set()),
        ({"said_after": "2019"}, {"Tareck El Aissami"}),
        ({"said_before": "2018"}, set()),
        ({"q": "2030"}, {"Nicolás Maduro"}),
        ({"q": "نختم ونعزز"}, {"Nicolás Maduro"}),
        ({"q": "metro"}, {"Tareck El Aissami"}),
        ({"q": "railway"}, set()),
    ],
)
def test_statement_filters(api, catalogue, params, expected):
    assert _speakers(api, params) == expected


def test_statement_filters_by_official_and_event(api, catalogue):
    minister = catalogue["minister"].official
    assert _speakers(api, {"official": minister.pk}) == {"Tareck El Aissami"}
    assert _speakers(api, {"event": catalogue["event"].pk}) == {"Tareck El Aissami"}
    assert _speakers(api, {"official": OfficialFactory(review_state=PUBLISHED).pk}) == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"language": "en"}, {"Beijing lends to Caracas"}),
        ({"language": "ru"}, set()),
        ({"publisher": "example"}, {"Beijing lends to Caracas"}),
        ({"publisher": "reuters"}, set()),
        ({"country": "CN"}, {"Beijing lends to Caracas"}),
        ({"country": "JP"}, set()),
        ({"published_after": "2019-05-15"}, {"Beijing lends to Caracas"}),
        ({"published_after": "2019-05-16"}, set()),
        ({"published_before": "2019-05-14"}, set()),
        ({"q": "metro financing"}, {"Beijing lends to Caracas"}),
        (
            {"q": "مكافحة التجسس"},
            {"Venezuela and Russia sign military and oil agreements in Caracas"},
        ),
        ({"q": "submarine"}, set()),
    ],
)
def test_source_filters(api, catalogue, params, expected):
    assert _names(api, "sources", params, "title") == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "CN"}, {"Beijing"}),
        ({"country": "US"}, set()),
        ({"q": "北京"}, {"Beijing"}),
        ({"q": "كراكاس"}, {"Caracas"}),
        ({"q": "Lima"}, set()),
    ],
)
def test_place_filters(api, catalogue, params, expected):
    assert _names(api, "places", params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "minister"}, {"Minister of Oil"}),
        ({"role": "legislator"}, set()),
        ({"country": "RU"}, {"Deputy Prime Minister of Russia", "President of Russia"}),
        (
            {"active_on": "2021"},
            {
                "Minister of Oil",
                "President of Venezuela",
                "Deputy Prime Minister of Russia",
                "Vice President of Venezuela",
                "President of Russia",
            },
        ),
        (
            {"active_on": "2024"},
            {
                "President of Venezuela",
                "Deputy Prime Minister of Russia",
                "Vice President of Venezuela",
                "President of Russia",
            },
        ),
        ({"q": "Chavez"}, {"President of Venezuela"}),
        ({"q": "ambassador"}, set()),
    ],
)
def test_office_filters(api, catalogue, params, expected):
    assert _names(api, "offices", params, "title") == expected


def test_office_filter_by_official(api, catalogue):
    minister = catalogue["minister"]
    assert _names(api, "offices", {"official": minister.official.pk}, "title") == {
        "Minister of Oil"
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"q": "drone"}, {"drones"}), ({"q": "نفط"}, {"oil"}), ({"q": "zzz"}, set())],
)
def test_sector_filters(api, params, expected, db):
    assert _names(api, "sectors", params, "slug") == expected


def test_citation_filters(api, catalogue):
    loan = catalogue["loan"]
    rows = _get(api, "citations", {"agreement": loan.pk})
    assert [row["passage"] for row in rows] == ["memorandum on metro financing"]
    assert _get(api, "citations", {"q": "metro financing"})[0]["agreement"] == loan.pk
    assert _get(api, "citations", {"q": "tramway"}) == []
    seed_source = models.Source.objects.get(language="ar")
    assert len(_get(api, "citations", {"source": seed_source.pk})) == 22


def test_filter_forms_share_no_field_or_queryset_with_each_other(db):
    reader = RequestFactory().get("/api/v1/agreements/")
    reader.user = AnonymousUser()
    first, second = (
        AgreementFilter(QueryDict(), models.Agreement.objects.all(), request=reader).form
        for _ in range(2)
    )
    assert all(first.fields[name] is not second.fields[name] for name in first.fields)
    for name in ("sector", "event"):  # a fixed queryset, and the reader's
        assert first.fields[name].queryset is not second.fields[name].queryset
        assert first.fields[name].widget is not second.fields[name].widget
