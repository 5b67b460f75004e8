"""What even a curator cannot set through the API, and how it is refused.

The project's rule (``StrictModelSerializer``): a read-only field (ids, uids, hrefs, content
hashes, timestamps, derived lists and counts) sent with a value other than the record's is a
400 naming the field; sent unchanged it is accepted, so that a GET can be PUT back. A field the
resource does not have (history, search keys, the stored parties) is a 400 naming it. Inside
an embedded record only its key is read: the rest (a place's name, a sector's names, a
signatory's office) is ignored, never written through. Publishing is a change of
``review_state``, which the curators' change permission allows (the project has no separate
publishing permission); the matrix in test_permissions_matrix.py refuses it to everyone else.
"""

from typing import Any

import pytest

from agreements import models
from agreements.api.base import StrictModelSerializer
from agreements.api.urls import router
from tests.factories import (
    AgreementFactory,
    OfficeHeldFactory,
    OfficialFactory,
    PlaceFactory,
    country,
    sector,
)
from tests.test_permissions_matrix import CURATED, _draft_of, snapshot

PUBLISHED = models.ReviewState.PUBLISHED


@pytest.fixture
def curator_api(curator_api):
    """Fields, not concurrency: every write says it means to overwrite the record."""
    curator_api.credentials(
        HTTP_AUTHORIZATION=curator_api._credentials["HTTP_AUTHORIZATION"], HTTP_IF_MATCH="*"
    )
    return curator_api


SERIALIZERS = {prefix: viewset.serializer_class for prefix, viewset, _ in router.registry}


def _read_only_fields(segment: str) -> list[str]:
    return sorted(name for name, f in SERIALIZERS[segment]().fields.items() if f.read_only)


READ_ONLY = [(segment, name) for _, segment, _ in CURATED for name in _read_only_fields(segment)]


def _other_value(current: Any) -> Any:
    """A well-formed value unlike ``current``."""
    if isinstance(current, bool):
        return not current
    if isinstance(current, int):
        return current + 1000
    if isinstance(current, list):
        return [*current, {"id": 1}]
    if current is None:
        return "2001-01-01T00:00:00Z"
    return f"{current}0"


@pytest.mark.parametrize(("segment", "field"), READ_ONLY, ids=[f"{s}.{f}" for s, f in READ_ONLY])
def test_a_read_only_field_with_another_value_is_a_400_naming_it(segment, field, curator_api):
    record = _draft_of(segment)
    url = f"/api/v1/{segment}/{record.pk}/"
    current = curator_api.get(url).json()[field]
    before = snapshot()
    response = curator_api.patch(url, {field: _other_value(current)}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(("segment", "field"), READ_ONLY, ids=[f"{s}.{f}" for s, f in READ_ONLY])
def test_a_read_only_field_sent_back_unchanged_is_accepted(segment, field, curator_api):
    record = _draft_of(segment)
    url = f"/api/v1/{segment}/{record.pk}/"
    current = curator_api.get(url).json()[field]
    response = curator_api.patch(url, {field: current}, format="json")
    assert response.status_code == 200, response.json()


STORED_ONLY = ["history", "search_text", "party_a", "party_b", "_change_reason", "history_user"]


@pytest.mark.parametrize("field", STORED_ONLY)
@pytest.mark.parametrize("segment", [segment for _, segment, _ in CURATED])
def test_a_stored_field_the_resource_does_not_show_is_a_400_naming_it(segment, field, curator_api):
    record = _draft_of(segment)
    before = snapshot()
    response = curator_api.patch(f"/api/v1/{segment}/{record.pk}/", {field: 1}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_a_new_record_cannot_choose_its_id_or_uid(curator_api, db):
    before = snapshot()
    response = curator_api.post(
        "/api/v1/places/",
        {
            "name": "Havana",
            "country": "CU",
            "id": 4242,
            "uid": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"id", "uid"}
    assert snapshot() == before


def test_a_curator_publishes_by_changing_the_review_state(curator_api, db):
    place = PlaceFactory()
    response = curator_api.patch(
        f"/api/v1/places/{place.pk}/", {"review_state": "published"}, format="json"
    )
    assert response.status_code == 200
    place.refresh_from_db()
    assert place.review_state == PUBLISHED
    assert place.history.first().review_state == PUBLISHED


def test_an_unknown_review_state_is_a_400_naming_it(curator_api, db):
    place = PlaceFactory()
    response = curator_api.patch(
        f"/api/v1/places/{place.pk}/", {"review_state": "approved"}, format="json"
    )
    assert response.status_code == 400
    assert "review_state" in response.json()
    place.refresh_from_db()
    assert place.review_state == models.ReviewState.DRAFT


def test_ingesting_cannot_publish(curator_api, db):
    before = snapshot()
    response = curator_api.post(
        "/api/v1/sources/ingest/",
        {"text": "Venezuela and Cuba signed 3 agreements.", "review_state": "published"},
        format="json",
    )
    assert response.status_code == 400
    assert "review_state" in response.json()
    assert snapshot() == before


def test_an_embedded_places_name_is_not_written_through(curator_api, db):
    place = PlaceFactory(name="Caracas")
    agreement = AgreementFactory()
    response = curator_api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"place": {"id": place.pk, "name": "Renamed"}},
        format="json",
    )
    assert response.status_code == 200
    place.refresh_from_db()
    assert place.name == "Caracas"
    assert response.json()["place"]["name"] == "Caracas"


def test_a_sectors_names_and_a_partys_name_are_not_written_through(curator_api, db):
    agreement = AgreementFactory()
    response = curator_api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {
            "sectors": [{"slug": "oil", "name_en": "Hacked"}],
            "parties": [{"code": "VE", "name": "Hacked"}, "RU"],
        },
        format="json",
    )
    assert response.status_code == 200
    assert sector("oil").name_en == "Oil"
    assert country("VE").name_en == "Venezuela"


def test_a_signatorys_office_is_derived_and_ignored(curator_api, db):
    official = OfficialFactory()
    office = OfficeHeldFactory(official=official, title="Minister of Oil", started_on="2000")
    agreement = AgreementFactory(signed_on="2010")
    before = snapshot()
    row = {"official": official.pk, "country": "VE", "office": {"id": office.pk, "title": "X"}}
    response = curator_api.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"signatories": [row]}, format="json"
    )
    assert response.status_code == 200
    office.refresh_from_db()
    assert office.title == "Minister of Oil"
    assert response.json()["signatories"][0]["office"]["title"] == "Minister of Oil"
    assert snapshot()["agreements.OfficeHeld"] == before["agreements.OfficeHeld"]


def test_every_writable_resource_refuses_what_it_may_not_set():
    """The rule lives in StrictModelSerializer: a writable resource without it would accept
    (silently drop) read-only and unknown fields."""
    for _, segment, _ in CURATED:
        assert issubclass(SERIALIZERS[segment], StrictModelSerializer), segment
