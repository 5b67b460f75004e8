"""Drafts and reviewed records reach curators only: not in lists, details, embeds, filters,
counts, CSV or relation summaries."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Q
from django.urls import resolve

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


def test_id_filters_take_each_readers_choices_in_turn(api, curator_api, drafts):
    # Each FilterSet class builds its form once (filters.FilterSet): a reader's choices must
    # not stay on it for the next reader.
    query = {"source": drafts["source"].pk}
    readers = (curator_api, api, curator_api, api)
    statuses = [reader.get("/api/v1/agreements/", query).status_code for reader in readers]
    assert statuses == [200, 400, 200, 400]


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


# Non-interference: whatever the public can ask, drafts change nothing in the answer. Drafts of
# every kind are added to the published seed, hooked into its published records (a hidden
# signatory, citations from a hidden source, a hidden agreement and claim at the published
# event, a hidden office of a published official, claims and agreements of the published
# pair); the public's answers (status and bytes) must be the same before and after the drafts
# are removed, while a curator's answers to the same questions change (so the questions do
# reach the drafts). Every filter of every list is asked, with a value that finds the drafts.

DRAFT_FILTERS: dict[str, Callable[[dict], dict[str, Any]]] = {
    "agreements": lambda d: {
        "country": "NO",
        "sector": "tourism",
        "kind": "protocol",
        "status": "terminated",
        "signed_after": "1994",
        "signed_before": "1994",
        "signatory": d["official"].pk,
        "event": d["event"].pk,
        "place": d["place"].pk,
        "source": d["source"].pk,
        "q": "hidden",
        "review_state": "draft",
    },
    "officials": lambda d: {
        "country": "NO",
        "role": "ambassador",
        "active_on": "1990",
        "q": "hidden",
        "source": d["source"].pk,
        "review_state": "draft",
    },
    "offices": lambda d: {
        "official": d["official"].pk,
        "country": "NO",
        "role": "ambassador",
        "active_on": "1990",
        "q": "hidden",
        "source": d["source"].pk,
        "review_state": "draft",
    },
    "events": lambda d: {
        "country": "NO",
        "after": "1991",
        "before": "1991",
        "place": d["place"].pk,
        "q": "hidden",
        "source": d["source"].pk,
        "review_state": "draft",
    },
    "commissions": lambda d: {
        "country": "NO",
        "founded_after": "1992",
        "founded_before": "1992",
        "q": "hidden",
        "source": d["source"].pk,
        "review_state": "draft",
    },
    "claims": lambda d: {
        "country": "NO",
        "event": d["event"].pk,
        "commission": d["commission"].pk,
        "qualifier": "about",
        "since_after": "1993",
        "since_before": "1993",
        "source": d["source"].pk,
        "review_state": "draft",
    },
    "statements": lambda d: {
        "official": d["official"].pk,
        "country": "NO",
        "kind": "quote",
        "language": "es",
        "event": d["event"].pk,
        "said_after": "1995",
        "said_before": "1995",
        "q": "hidden",
        "source": d["source"].pk,
        "review_state": "draft",
    },
    "sources": lambda d: {
        "language": "es",
        "publisher": "hidden",
        "country": "NO",
        "published_after": "1996",
        "published_before": "1996",
        "q": "hidden",
        "review_state": "draft",
    },
    "citations": lambda d: {
        "source": d["source"].pk,
        "agreement": d["agreement"].pk,
        "event": d["event"].pk,
        "count_claim": d["claim"].pk,
        "office_held": d["office"].pk,
        "statement": d["statement"].pk,
        "official": d["official"].pk,
        "commission": d["commission"].pk,
        "q": "norway",
    },
    "places": lambda d: {"country": "NO", "q": "hidden", "review_state": "draft"},
    "countries": lambda d: {"has_agreements": "true", "q": "NO"},
    "sectors": lambda d: {"q": "touris"},
    "relations": lambda d: {"country": "NO"},
}
# Filters on reference data: a curator's answer does not change with drafts either.
SAME_FOR_CURATORS = {("countries", "q"), ("sectors", "q")}


def _add_drafts() -> dict:
    """Drafts of every kind, most of them tied to the seed's published records."""
    chavez = models.Official.objects.get(slug="hugo-chavez")
    seed_event = models.SigningEvent.objects.published().get()
    seed_agreement = models.Agreement.objects.published().order_by("pk").first()
    place = PlaceFactory(name="Hidden place", country=country("NO"))
    official = OfficialFactory(name="Hidden official", country=country("NO"))
    office = OfficeHeldFactory(
        official=chavez,
        country=country("NO"),
        role="ambassador",
        title="Hidden embassy",
        started_on="1990",
    )
    event = SigningEventFactory(
        name="Hidden summit", party_a=country("NO"), party_b=country("VE"), held_on="1991"
    )
    event.officials_present.add(chavez)
    seed_event.officials_present.add(official)
    commission = CommissionFactory(
        name="Hidden commission", party_a=country("NO"), party_b=country("VE"), founded_on="1992"
    )
    claim = CountClaimFactory(
        value=99, qualifier="about", since="1993", commission=commission, counted="hidden"
    )
    CountClaimFactory(value=98, event=seed_event, party_a=country("NO"))
    agreement = AgreementFactory(
        title="Hidden accord",
        kind="protocol",
        status="terminated",
        signed_on="1994",
        event=seed_event,
        place=place,
        sectors=[sector("tourism")],
    )
    AgreementFactory(title="Hidden pact", party_a=country("NO"), event=event)
    models.Signatory.objects.create(
        agreement=seed_agreement, official=official, country=country("VE")
    )
    models.Signatory.objects.create(agreement=agreement, official=chavez, country=country("VE"))
    statement = StatementFactory(
        official=official,
        text="Hidden words",
        language="es",
        said_on="1995",
        event=event,
        kind="quote",
    )
    StatementFactory(official=chavez, text="Hidden remark", event=seed_event)
    source = SourceFactory(
        title="Hidden source",
        publisher="Hidden Press",
        language="es",
        published_on="1996-01-01",
        text="Hidden report: Venezuela signed agreements with Norway in Oslo.",
    )
    source.countries_mentioned.add(country("NO"))
    facts = {
        "agreement": seed_agreement,
        "event": seed_event,
        "official": chavez,
        "commission": models.Commission.objects.published().get(),
        "count_claim": models.CountClaim.objects.published().first(),
        "statement": models.Statement.objects.published().first(),
        "office_held": chavez.offices.published().first(),
    }
    for name, fact in facts.items():
        CitationFactory(source=source, passage="Venezuela", **{"agreement": None, name: fact})
    CitationFactory(source=source, passage="Norway", agreement=agreement)
    return {
        "place": place,
        "official": official,
        "office": office,
        "event": event,
        "commission": commission,
        "claim": claim,
        "agreement": agreement,
        "statement": statement,
        "source": source,
    }


def _remove_drafts() -> None:
    hidden = ~Q(review_state=PUBLISHED)
    models.Citation.objects.filter(
        Q(source__review_state__in=["draft", "reviewed"])
        | Q(agreement__review_state__in=["draft", "reviewed"])
    ).delete()
    models.Signatory.objects.filter(
        Q(official__review_state__in=["draft", "reviewed"])
        | Q(agreement__review_state__in=["draft", "reviewed"])
    ).delete()
    for model in (
        models.Statement,
        models.CountClaim,
        models.Agreement,
        models.SigningEvent,
        models.OfficeHeld,
        models.Official,
        models.Commission,
        models.Place,
        models.Source,
    ):
        model.objects.filter(hidden).delete()


def _questions(resource: str, drafts: dict) -> list[tuple[str, dict, bool]]:
    """(URL, query, whether a curator's answer must change) for one list resource."""
    base = f"/api/v1/{resource}/"
    questions = [(base, {}, resource not in ("countries", "sectors"))]
    questions.append((base, {"format": "csv"}, False))
    questions.append((base, {"page_size": 1, "page": 2}, False))
    for name, value in DRAFT_FILTERS[resource](drafts).items():
        changes = (resource, name) not in SAME_FOR_CURATORS
        questions.append((base, {name: value}, changes))
    view = resolve(base).func.cls
    for name in getattr(view, "ordering_fields", None) or ():
        questions += [(base, {"ordering": name}, False), (base, {"ordering": f"-{name}"}, False)]
    return questions


def _details(resource: str, drafts: dict) -> list[tuple[str, dict, bool]]:
    """Every record of the resource the public can see, and the drafts' own pages."""
    if resource == "relations":
        keys = ["RU-VE", "NO-VE"]
    elif resource == "countries":
        keys = ["VE", "NO"]
    elif resource == "sectors":
        keys = ["tourism", "oil"]
    else:
        view = resolve(f"/api/v1/{resource}/").func.cls
        model = view.queryset.model
        keys = list(model.objects.values_list("pk", flat=True))
    return [(f"/api/v1/{resource}/{key}/", {}, False) for key in keys]


LIST_RESOURCES = sorted(DRAFT_FILTERS)


def _answers(client, questions) -> list[tuple[int, bytes]]:
    return [
        (response.status_code, response.content)
        for response in (client.get(url, query) for url, query, _ in questions)
    ]


@pytest.mark.parametrize("resource", LIST_RESOURCES)
def test_drafts_change_nothing_the_public_reads(resource, api, plain_user_api, curator_api, seed):
    drafts = _add_drafts()
    questions = _questions(resource, drafts) + _details(resource, drafts)
    with_drafts = {
        name: _answers(client, questions)
        for name, client in (("anonymous", api), ("user", plain_user_api), ("curator", curator_api))
    }
    _remove_drafts()
    assert not models.Agreement.objects.exclude(review_state=PUBLISHED).exists()
    for name, client in (("anonymous", api), ("user", plain_user_api)):
        without = _answers(client, questions)
        differ = [
            (url, query, before[0], before[1][:300])
            for (url, query, _), before, after in zip(
                questions, with_drafts[name], without, strict=True
            )
            if before != after
        ]
        assert not differ, f"{name} reads drafts: {differ}"
    curated = _answers(curator_api, questions)
    unchanged = [
        (url, query)
        for (url, query, must_change), before, after in zip(
            questions, with_drafts["curator"], curated, strict=True
        )
        if must_change and before == after
    ]
    assert not unchanged, f"these questions do not reach the drafts: {unchanged}"


def test_every_filter_of_every_list_is_asked_with_drafts():
    from agreements.api.urls import router

    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        accepted = set(filterset.base_filters) if filterset else set()
        if prefix == "relations":
            accepted = {"country"}
        drafts = {
            name: type("Stub", (), {"pk": 0})()
            for name in (
                "place",
                "official",
                "office",
                "event",
                "commission",
                "claim",
                "agreement",
                "statement",
                "source",
            )
        }
        assert set(DRAFT_FILTERS[prefix](drafts)) == accepted, prefix


@pytest.mark.parametrize("resource", LIST_RESOURCES)
def test_the_browsable_api_shows_the_public_no_drafts(resource, api, seed):
    _add_drafts()
    response = api.get(f"/api/v1/{resource}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Hidden" not in response.content.decode()


def test_a_published_statement_is_not_found_by_its_hidden_speakers_country(api, curator_api, db):
    speaker = OfficialFactory(country=country("NO"))
    StatementFactory(official=speaker, review_state=PUBLISHED)
    assert api.get("/api/v1/statements/", {"country": "NO"}).json()["count"] == 0
    assert curator_api.get("/api/v1/statements/", {"country": "NO"}).json()["count"] == 1


def test_a_hidden_signatory_leaves_no_row(api, curator_api, db):
    official = OfficialFactory()
    OfficeHeldFactory(
        official=official, title="Office of a hidden official", review_state=PUBLISHED
    )
    agreement = AgreementFactory(review_state=PUBLISHED, signed_on="2020")
    models.Signatory.objects.create(agreement=agreement, official=official, country=country("VE"))
    url = f"/api/v1/agreements/{agreement.pk}/"
    assert api.get(url).json()["signatories"] == []
    assert [s["official"]["id"] for s in curator_api.get(url).json()["signatories"]] == [
        official.pk
    ]


def _office_titles(client) -> list[str]:
    return [office["title"] for office in client.get("/api/v1/offices/").json()["results"]]


def test_a_hidden_officials_name_does_not_place_their_published_office(api, curator_api, db):
    """Ordered by the hidden name, the office would show where that name sorts."""
    shown = OfficialFactory(name="Zed Visible", review_state=PUBLISHED)
    hidden = OfficialFactory(name="Aaron Hidden")
    OfficeHeldFactory(official=shown, title="Shown office", review_state=PUBLISHED)
    OfficeHeldFactory(official=hidden, title="Hidden holder's office", review_state=PUBLISHED)

    assert _office_titles(api) == ["Shown office", "Hidden holder's office"]
    assert _office_titles(curator_api) == ["Hidden holder's office", "Shown office"]
