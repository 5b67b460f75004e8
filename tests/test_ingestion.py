"""Articles into draft records: matched, cited, once, and never over curated records."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from agreements import models
from agreements.fixtures_loader import load_missing
from agreements.ingestion import IngestError, ingest_article, ingest_as_fixture
from tests.conftest import SEED_FIXTURE

SEED_TEXT = (SEED_FIXTURE.parent.parent / "seeds" / "000_2da5b34de469e791.txt").read_text("utf-8")
ARTICLES = Path(__file__).parent / "articles"
ENGLISH = (ARTICLES / "en05_cuba_venezuela.txt").read_text("utf-8").split("\n", 1)[1]

pytestmark = pytest.mark.django_db


def test_an_article_becomes_a_draft_source_with_cited_draft_records(curator):
    result = ingest_article(SEED_TEXT, user=curator)
    assert result.created
    assert result.counts == {
        "sources": 1,
        "officials": 5,
        "official names": 5,
        "citations": 18,
        "offices": 5,
        "places": 1,
        "place names": 1,
        "events": 1,
        "count claims": 2,
        "agreements": 4,
        "statements": 1,
    }
    for kind in ("officials", "offices", "events", "count claims", "agreements", "statements"):
        for record in result.records[kind]:
            assert record.review_state == models.ReviewState.DRAFT
            assert record.citations.exists(), record
            assert record.history.get().history_user == curator
    for citation in models.Citation.objects.all():
        assert citation.source.text[citation.start : citation.end] == citation.passage


def test_the_same_text_twice_is_one_source():
    ingest_article(SEED_TEXT)
    counts = {model: model.objects.count() for model in (models.Source, models.Agreement)}
    again = ingest_article(SEED_TEXT + "\n")
    assert not again.created
    assert counts == {model: model.objects.count() for model in counts}


def test_existing_officials_and_places_are_matched_not_duplicated(seed):
    published = models.Source.objects.get()
    published.delete_citations = None
    text = SEED_TEXT.replace("وقّعت الدولتين", "وقّع البلدان")  # another text, same people
    result = ingest_article(text)
    assert models.Official.objects.count() == 5
    assert models.Place.objects.filter(name="Caracas").count() == 1
    assert "officials" not in result.records and "places" not in result.records


def test_ingestion_never_changes_a_published_record(seed):
    before = {
        official.slug: (official.name, official.review_state, official.updated_at)
        for official in models.Official.objects.all()
    }
    ingest_article(SEED_TEXT.replace("وقّعت الدولتين", "وقّع البلدان"))
    after = {
        official.slug: (official.name, official.review_state, official.updated_at)
        for official in models.Official.objects.all()
    }
    assert before == after
    assert models.OfficeHeld.objects.filter(review_state="draft").count() == 0


def test_an_article_without_a_country_is_refused_and_nothing_is_written():
    with pytest.raises(IngestError, match="no country found"):
        ingest_article("A cat sat on the mat.")
    assert not models.Source.objects.exists()


def test_a_failure_midway_leaves_the_database_as_it_was(monkeypatch):
    from agreements import ingestion

    def broken(*args, **kwargs):
        raise IngestError("injected failure")

    monkeypatch.setattr(ingestion, "_agreement", broken)
    with pytest.raises(IngestError, match="injected"):
        ingest_article(SEED_TEXT)
    assert not models.Source.objects.exists() and not models.Official.objects.exists()


def test_an_english_article_is_ingested_too():
    result = ingest_article(ENGLISH)
    event = result.records["events"][0]
    assert {event.party_a.code, event.party_b.code} == {"CU", "VE"}
    assert event.place.name == "Havana"
    assert sorted(o.name for o in result.records["officials"]) == [
        "Delcy Rodríguez",
        "Manuel Marrero",
    ]


def test_a_fixture_is_written_without_touching_the_database():
    _result, fixture = ingest_as_fixture(SEED_TEXT)
    assert not models.Source.objects.exists()
    records = json.loads(fixture)
    assert {r["model"] for r in records} >= {"agreements.source", "agreements.agreement"}
    assert all("pk" not in r for r in records)


def test_a_generated_fixture_loads_and_is_the_same_every_time(tmp_path):
    first = ingest_as_fixture(SEED_TEXT)[1]
    assert ingest_as_fixture(SEED_TEXT)[1] == first
    path = tmp_path / "generated.json"
    path.write_text(first, encoding="utf-8")
    assert load_missing(path).created == len(json.loads(first))


def test_the_generated_seed_fixture_agrees_with_the_hand_curated_one(tmp_path):
    """Countries, parties, officials and titles, place, counts, sectors, itemised agreements."""
    generated = tmp_path / "generated.json"
    generated.write_text(ingest_as_fixture(SEED_TEXT)[1], encoding="utf-8")
    assert _facts_of(generated) == _facts_of(SEED_FIXTURE)


def _facts_of(path):
    with transaction.atomic():
        load_missing(path)
        facts = _facts()
        transaction.set_rollback(True)
    return facts


def _facts():
    source = models.Source.objects.get()
    event = models.SigningEvent.objects.get()
    offices = {
        (
            office.official.names.filter(language="ar").order_by("kind", "pk")[0].text,
            office.country.code,
            office.title,
        )
        for office in models.OfficeHeld.objects.select_related("official", "country")
    }
    agreements = models.Agreement.objects.prefetch_related("sectors")
    return {
        "countries": sorted(source.countries_mentioned.values_list("code", flat=True)),
        "parties": sorted([event.party_a.code, event.party_b.code]),
        "offices": offices,
        "place": event.place.name,
        "weekday": event.weekday,
        "counts": sorted(
            (claim.value, claim.qualifier, claim.since, claim.event_id is not None)
            for claim in models.CountClaim.objects.all()
        ),
        # The curators add "military" from the lead sentence to the items it frames.
        "sectors": sorted({s.slug for a in agreements for s in a.sectors.all()} - {"military"}),
        "kinds": sorted(a.kind for a in agreements),
    }


def _call(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue()


def test_extract_json_prints_the_summary_in_the_agreed_form():
    summary = json.loads(_call("extract", str(ARTICLES / "en01_india_russia.txt"), json=True))
    assert set(summary) == {
        "language",
        "countries",
        "parties",
        "officials",
        "agreement_count",
        "total_count",
        "sectors",
        "place",
        "signed_on",
        "weekday",
    }
    assert summary["signed_on"] == "2024-07-09"  # the metadata line's publication date is used
    assert set(summary["officials"][0]) == {"name_en", "name_native", "country", "title"}


def test_extract_prints_each_finding_with_its_span():
    out = _call("extract", str(SEED_FIXTURE.parent.parent / "seeds" / "000_2da5b34de469e791.txt"))
    assert "agreements signed: exact 17 [848:856] “17 اتفاق”" in out
    assert "place: Caracas" in out


def test_extract_refuses_a_bad_file_in_one_line(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match=r"empty.txt: empty file"):
        _call("extract", str(tmp_path / "empty.txt"))


def test_ingest_a_folder_skips_the_bad_file_and_ingests_the_rest(tmp_path):
    (tmp_path / "a_good.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c_nothing.txt").write_text("No country here at all.", encoding="utf-8")
    with pytest.raises(CommandError, match="2 of 3 articles could not be ingested"):
        _call("ingest", str(tmp_path))
    assert models.Source.objects.count() == 1


def test_ingest_says_when_an_article_was_ingested_before(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert "created" in _call("ingest", str(path))
    assert "already ingested" in _call("ingest", str(path))
    assert models.Source.objects.count() == 1


def test_ingest_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert "would create" in _call("ingest", str(path), dry_run=True)
    assert not models.Source.objects.exists()


def test_ingest_fixture_option_writes_a_file_and_nothing_else(tmp_path):
    path, out = tmp_path / "article.txt", tmp_path / "out.json"
    path.write_text(ENGLISH, encoding="utf-8")
    _call("ingest", str(path), fixture=out)
    assert json.loads(out.read_text("utf-8"))
    assert not models.Source.objects.exists()


def test_evaluation_stays_above_the_agreed_scores():
    out = _call("evaluate_extraction", str(ARTICLES), str(ARTICLES))
    f1 = {
        line.split()[0]: float(line.split()[3])
        for line in out.splitlines()
        if line.split() and line.split()[0] in {"countries", "parties", "officials", "sectors"}
    }
    assert f1["countries"] >= 0.95 and f1["parties"] >= 0.95
    assert f1["officials"] >= 0.9 and f1["sectors"] >= 0.9


def test_the_ingest_page_creates_drafts_for_a_curator(curator_client):
    from django.urls import reverse

    url = reverse("admin:agreements_source_ingest")
    response = curator_client.post(url, {"text": ENGLISH, "published_on": "2023-12-15"})
    assert response.status_code == 200
    assert "created with these draft records" in response.content.decode()
    event = models.SigningEvent.objects.get()
    assert (event.held_on, event.review_state) == ("2023-12-14", "draft")


def test_the_ingest_page_explains_what_is_wrong(curator_client):
    from django.urls import reverse

    response = curator_client.post(reverse("admin:agreements_source_ingest"), {"text": ""})
    assert "Paste the article" in response.content.decode()
    response = curator_client.post(
        reverse("admin:agreements_source_ingest"), {"text": "Nothing to see."}
    )
    assert "no country found" in response.content.decode()


def test_the_ingest_page_is_for_curators_only(client, staff_outside_curators):
    from django.urls import reverse

    client.force_login(staff_outside_curators)
    assert client.get(reverse("admin:agreements_source_ingest")).status_code == 403


def test_the_api_ingests_once(curator_api):
    first = curator_api.post("/api/v1/sources/ingest/", {"text": ENGLISH}, format="json")
    assert first.status_code == 201
    kinds = {record["kind"] for record in first.json()["records"]}
    assert {"events", "officials", "count claims"} <= kinds
    again = curator_api.post("/api/v1/sources/ingest/", {"text": ENGLISH}, format="json")
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert again.json()["source"]["id"] == first.json()["source"]["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "text"), ({"text": "No country."}, "text"), ({"text": "x", "bogus": 1}, "bogus")],
)
def test_the_api_refuses_bad_ingest_requests(curator_api, payload, field):
    response = curator_api.post("/api/v1/sources/ingest/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_only_curators_may_ingest_through_the_api(api, plain_user_api):
    assert api.post("/api/v1/sources/ingest/", {"text": ENGLISH}, format="json").status_code == 401
    assert (
        plain_user_api.post("/api/v1/sources/ingest/", {"text": ENGLISH}, format="json").status_code
        == 403
    )
