"""The curators' admin: every page answers, no changelist grows a query per row, and only
curators may change things."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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

pytestmark = pytest.mark.usefixtures("seed")

ADMIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "agreements"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:agreements_{model._meta.model_name}_{view}", args=args)


def _agreement_with_everything():
    agreement = AgreementFactory(sectors=[sector("oil"), sector("energy")])
    models.Signatory.objects.create(
        agreement=agreement, official=OfficialFactory(), country=agreement.party_a
    )
    CitationFactory(agreement=agreement)
    return agreement


def _event_with_claims():
    event = SigningEventFactory(place=PlaceFactory())
    CountClaimFactory(event=event)
    AgreementFactory(event=event)
    return event


def _official_with_offices():
    office = OfficeHeldFactory()
    OfficeHeldFactory(official=office.official, started_on="2001", ended_on="2005")
    return office.official


def _sector():
    return models.Sector.objects.create(
        slug=f"s{models.Sector.objects.count()}", name_en="S", name_ar="س", parent=sector("energy")
    )


def _citation():
    return CitationFactory(office_held=OfficeHeldFactory(), agreement=None)


ROW_MAKERS = {
    models.Agreement: _agreement_with_everything,
    models.SigningEvent: _event_with_claims,
    models.Official: _official_with_offices,
    models.OfficeHeld: OfficeHeldFactory,
    models.Place: PlaceFactory,
    models.Commission: CommissionFactory,
    models.CountClaim: lambda: CountClaimFactory(commission=CommissionFactory(), since="2004"),
    models.Statement: StatementFactory,
    models.Source: lambda: CitationFactory().source,
    models.Citation: _citation,
    models.Sector: _sector,
}


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_every_changelist_answers_a_curator(curator_client, model):
    assert curator_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_every_change_page_answers_a_curator(curator_client, model):
    record = model.objects.first()
    assert curator_client.get(admin_url(model, "change", record.pk)).status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_every_add_page_answers_a_curator_except_for_countries(curator_client, model):
    expected = 403 if model is models.Country else 200
    assert curator_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_every_history_page_answers_a_curator(curator_client, model):
    record = model.objects.first()
    assert curator_client.get(admin_url(model, "history", record.pk)).status_code == 200


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", list(ROW_MAKERS), ids=lambda model: model._meta.model_name)
def test_no_changelist_makes_a_query_per_row(curator_client, model):
    url = admin_url(model, "changelist")
    ROW_MAKERS[model]()
    _count_queries(curator_client, url)  # warm the session and content-type caches
    with_few_rows = _count_queries(curator_client, url)
    for _ in range(3):
        ROW_MAKERS[model]()
    assert _count_queries(curator_client, url) == with_few_rows


CITED_MODELS = {
    models.Citation._meta.get_field(field).related_model: field for field in models.CITED_FIELDS
}


@pytest.mark.parametrize("model", list(CITED_MODELS), ids=lambda model: model._meta.model_name)
def test_no_change_page_makes_a_query_per_citation(curator_client, model):
    record = ROW_MAKERS[model]() if model in ROW_MAKERS else model.objects.first()
    url = admin_url(model, "change", record.pk)
    _count_queries(curator_client, url)
    before = _count_queries(curator_client, url)
    for _ in range(3):
        CitationFactory(**{"agreement": None, CITED_MODELS[model]: record})
    assert _count_queries(curator_client, url) == before


def test_no_agreement_page_makes_a_query_per_signatory(curator_client):
    agreement = _agreement_with_everything()
    url = admin_url(models.Agreement, "change", agreement.pk)
    _count_queries(curator_client, url)
    before = _count_queries(curator_client, url)
    for _ in range(3):
        models.Signatory.objects.create(
            agreement=agreement, official=OfficialFactory(), country=agreement.party_b
        )
    assert _count_queries(curator_client, url) == before


def test_no_event_page_makes_a_query_per_itemised_agreement(curator_client):
    event = SigningEventFactory()

    def itemise() -> None:
        AgreementFactory(event=event, party_a=event.party_a, party_b=event.party_b)

    itemise()  # with none, the inline's prefetches have nothing to read and run no query
    url = admin_url(models.SigningEvent, "change", event.pk)
    _count_queries(curator_client, url)
    before = _count_queries(curator_client, url)
    for _ in range(3):
        itemise()
    assert _count_queries(curator_client, url) == before


def test_the_agreements_changelist_runs_a_fixed_number_of_queries(curator_client):
    # 1 session, 2 user, 3-4 the user's permissions (actions, then filters), 5 countries for the
    # country filter, 6 sectors for the sector filter, 7 years for the year filter, 8 COUNT of
    # the filtered list, 9 the page with parties and event joined, 10 its sectors, prefetched.
    url = admin_url(models.Agreement, "changelist")
    _count_queries(curator_client, url)
    assert _count_queries(curator_client, url) == 10


def test_staff_outside_the_curators_group_cannot_see_or_change_records(
    client, staff_outside_curators
):
    client.force_login(staff_outside_curators)
    agreement = models.Agreement.objects.first()
    assert client.get(admin_url(models.Agreement, "changelist")).status_code == 403
    response = client.post(admin_url(models.Agreement, "change", agreement.pk), {"title": "x"})
    assert response.status_code == 403
    assert client.post(admin_url(models.Agreement, "delete", agreement.pk)).status_code == 403
    agreement.refresh_from_db()
    assert agreement.title != "x"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(admin_url(models.Agreement, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("term", ["Chavez", "chávez", "شافيز", "هوغو"])
def test_the_officials_search_ignores_accents_and_arabic_spelling(curator_client, term):
    response = curator_client.get(admin_url(models.Official, "changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [
        models.Official.objects.get(slug="hugo-chavez")
    ]


def test_the_officials_search_misses_an_unknown_name(curator_client):
    response = curator_client.get(admin_url(models.Official, "changelist"), {"q": "Bolsonaro"})
    assert list(response.context["cl"].result_list) == []


def test_the_agreements_search_finds_arabic_titles_without_diacritics(curator_client):
    response = curator_client.get(admin_url(models.Agreement, "changelist"), {"q": "الطائرات"})
    assert [a.kind for a in response.context["cl"].result_list] == ["cooperation_document"]


def test_autocomplete_finds_officials_by_any_spelling(curator_client):
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Chavez",
            "app_label": "agreements",
            "model_name": "officeheld",
            "field_name": "official",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Hugo Chávez"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "VE"}, 4),
        ({"country": "CU"}, 0),
        ({"sectors__id__exact": "oil"}, 1),
        ({"kind": "cooperation_document"}, 1),
        ({"kind": "treaty"}, 0),
        ({"status": "signed"}, 4),
        ({"status": "in_force"}, 1),
        ({"status": "expired"}, 0),
        ({"review_state": "published"}, 5),
        ({"review_state": "draft"}, 0),
        ({"signed_on_year": "2004"}, 1),
        ({"signed_on_year": "1990"}, 0),
    ],
)
def test_the_agreements_list_filters(curator_client, params, expected):
    AgreementFactory(
        party_a=country("CN"),
        party_b=country("RU"),
        signed_on="2004-05",
        status=models.Agreement.Status.IN_FORCE,
        review_state=models.ReviewState.PUBLISHED,
    )
    if "sectors__id__exact" in params:
        params = {"sectors__id__exact": str(sector(params["sectors__id__exact"]).pk)}
    response = curator_client.get(admin_url(models.Agreement, "changelist"), params)
    assert response.context["cl"].result_count == expected


def test_bulk_publish_records_who_did_it_in_the_history(curator_client, curator):
    drafts = [AgreementFactory(), AgreementFactory()]
    response = curator_client.post(
        admin_url(models.Agreement, "changelist"),
        {"action": "mark_published", "_selected_action": [draft.pk for draft in drafts]},
    )
    assert response.status_code == 302
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.review_state == models.ReviewState.PUBLISHED
        latest = draft.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (curator, "Marked published")


def test_the_event_page_shows_reported_beside_itemised(curator_client):
    event = models.SigningEvent.objects.get()
    response = curator_client.get(admin_url(models.SigningEvent, "change", event.pk))
    assert "Reported: exactly 17. Itemised in the tracker: 4." in response.content.decode()


def _agreement_form(**overrides):
    data = {
        "kind": "memorandum_of_understanding",
        "title": "Memorandum on oil",
        "original_title": "",
        "summary": "",
        "party_a": country("VE").pk,
        "party_b": country("CN").pk,
        "signed_on": "2024-11",
        "status": "signed",
        "in_force_on": "",
        "expires_on": "2030",
        "review_state": "draft",
        "sectors": [sector("oil").pk],
        "signatory_links-TOTAL_FORMS": "0",
        "signatory_links-INITIAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_curator_adds_an_agreement_with_partial_dates(curator_client, curator):
    response = curator_client.post(admin_url(models.Agreement, "add"), _agreement_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    agreement = models.Agreement.objects.get(title="Memorandum on oil")
    assert (agreement.signed_on, agreement.expires_on) == ("2024-11", "2030")
    assert agreement.history.get().history_user == curator


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("signed_on", "2024-13", "month 13 does not exist"),
        ("signed_on", "Nov 2024", "is not a partial date"),
        ("expires_on", "2020", "Expiry (2020) is before signing date (2024-11)."),
        ("party_b", "VE", "different countries"),
    ],
)
def test_the_add_form_names_what_is_wrong(curator_client, field, value, message):
    if field == "party_b":
        value = country(value).pk
    response = curator_client.post(
        admin_url(models.Agreement, "add"), _agreement_form(**{field: value})
    )
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors)
    assert not models.Agreement.objects.filter(title="Memorandum on oil").exists()


def test_a_citation_added_inline_finds_its_offsets(curator_client):
    source = SourceFactory(text="Russia and Venezuela signed a memorandum on oil.")
    data = _agreement_form(
        **{
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": source.pk,
            "citations-0-passage": "signed a memorandum on oil",
            "citations-0-translation_en": "",
            "citations-0-start": "",
            "citations-0-end": "",
        }
    )
    response = curator_client.post(admin_url(models.Agreement, "add"), data)
    assert response.status_code == 302
    citation = models.Citation.objects.get(source=source)
    assert (citation.start, citation.end) == (21, 47)


def test_an_inline_citation_that_misquotes_its_source_is_refused(curator_client):
    source = SourceFactory(text="Russia and Venezuela signed a memorandum on oil.")
    data = _agreement_form(
        **{
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": source.pk,
            "citations-0-passage": "signed a treaty on oil",
            "citations-0-start": "",
            "citations-0-end": "",
        }
    )
    response = curator_client.post(admin_url(models.Agreement, "add"), data)
    assert response.status_code == 200
    assert "does not contain this passage" in response.content.decode()
    assert not models.Agreement.objects.filter(title="Memorandum on oil").exists()


def test_a_signatory_for_a_third_country_is_refused_on_the_add_page(curator_client):
    data = _agreement_form(
        **{
            "signatory_links-TOTAL_FORMS": "1",
            "signatory_links-0-official": OfficialFactory().pk,
            "signatory_links-0-country": country("CU").pk,
        }
    )
    response = curator_client.post(admin_url(models.Agreement, "add"), data)
    assert response.status_code == 200
    assert "A signatory signs for one of the two parties." in response.content.decode()
    assert not models.Agreement.objects.filter(title="Memorandum on oil").exists()


def test_a_count_added_on_a_new_events_page_takes_the_events_parties(curator_client):
    data = {
        "name": "Havana signing",
        "summary": "",
        "party_a": country("CU").pk,
        "party_b": country("VE").pk,
        "held_on": "2024-05",
        "weekday": "",
        "part_of_day": "",
        "review_state": "draft",
        "agreements-TOTAL_FORMS": "0",
        "agreements-INITIAL_FORMS": "0",
        "count_claims-TOTAL_FORMS": "1",
        "count_claims-INITIAL_FORMS": "0",
        "count_claims-0-value": "12",
        "count_claims-0-qualifier": "about",
        "count_claims-0-counted": "agreements",
        "count_claims-0-review_state": "draft",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    response = curator_client.post(admin_url(models.SigningEvent, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = models.CountClaim.objects.get(value=12)
    assert {claim.party_a.code, claim.party_b.code} == {"CU", "VE"}
    assert claim.event.name == "Havana signing"


def test_the_events_page_cannot_delete_an_itemised_agreement(curator_client):
    event = models.SigningEvent.objects.get()
    response = curator_client.get(admin_url(models.SigningEvent, "change", event.pk))
    assert "agreements-0-DELETE" not in response.content.decode()


def test_a_change_can_be_reverted_from_the_history(curator_client):
    agreement = AgreementFactory(title="The right title", sectors=[sector("oil")])
    agreement.title = "A wrong title"
    agreement.save()
    first = agreement.history.earliest()
    url = admin_url(models.Agreement, "simple_history", agreement.pk, first.history_id)
    form = curator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            key: value
            for key, value in _agreement_form().items()
            if key.endswith("FORMS") or key == "sectors"
        }
    )
    data["sectors"] = [s.pk for s in agreement.sectors.all()]
    response = curator_client.post(url, data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "The right title"
    assert agreement.history.count() == 3


def _autocomplete_fields() -> list[tuple[str, str]]:
    from django.contrib import admin

    return [
        (model._meta.model_name, field)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "agreements"
        for field in model_admin.autocomplete_fields
    ]


@pytest.mark.parametrize(("model_name", "field_name"), _autocomplete_fields())
def test_every_autocomplete_pages_an_ordered_list(admin_client, model_name, field_name):
    # Paging an unordered queryset is an error in this suite (pyproject's filterwarnings).
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "agreements", "model_name": model_name, "field_name": field_name},
    )
    assert response.status_code == 200
