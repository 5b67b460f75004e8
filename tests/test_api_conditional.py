"""Conditional GET: every read carries an ETag; a current copy gets 304 without the records
being read; the data version behind the ETags moves with every write and only forwards."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from agreements.api import conditional
from agreements.models import Agreement, ReviewState, current_data_version
from agreements.services import set_review_state
from tests.factories import AgreementFactory, OfficialFactory, country, sector

PUBLISHED = ReviewState.PUBLISHED
LIST = "/api/v1/agreements/?country=VE"


@pytest.fixture
def agreement(db):
    return AgreementFactory(review_state=PUBLISHED)


def version() -> int:
    return current_data_version()[0]


def test_a_list_carries_an_etag_that_revalidates_rather_than_expires(api, agreement):
    response = api.get(LIST)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["Cache-Control"] == "no-cache"
    assert {"Accept", "Authorization", "Cookie"} <= set(
        response["Vary"].replace(" ", "").split(",")
    )


def test_a_matching_if_none_match_is_a_304_from_the_version_alone(api, agreement):
    etag = api.get(LIST)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b"" and response["ETag"] == etag
    assert len(queries) == 1 and "agreements_data_version" in queries[0]["sql"]


def test_a_weak_form_of_the_tag_matches_too(api, agreement):
    etag = api.get(LIST)["ETag"]
    assert api.get(LIST, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_a_detail_revalidates_like_a_list(api, agreement):
    url = f"/api/v1/agreements/{agreement.pk}/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_change_to_the_page_gets_the_new_page(api, agreement):
    etag = api.get(LIST)["ETag"]
    AgreementFactory(review_state=PUBLISHED, title="A new one")
    response = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag and response.json()["count"] == 2


def test_a_change_elsewhere_still_gets_a_304_after_rebuilding(api, agreement):
    etag = api.get(LIST)["ETag"]
    AgreementFactory(party_a=country("CN"), party_b=country("RU"), review_state=PUBLISHED)
    response = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] != etag  # the new version, the same content


def test_a_tag_from_another_query_string_does_not_match(api, agreement):
    etag = api.get(LIST)["ETag"]
    assert api.get(LIST + "&page_size=5", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_tag_from_another_format_does_not_match(api, agreement):
    etag = api.get(LIST)["ETag"]
    assert api.get(LIST + "&format=csv", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_anonymous_copy_does_not_satisfy_a_curator(api, curator_api, agreement):
    etag = api.get(LIST)["ETag"]
    response = curator_api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_relations_revalidate(api, agreement):
    url = "/api/v1/relations/RU-VE/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_errors_carry_no_etag(api, agreement):
    response = api.get("/api/v1/agreements/?country=XX")
    assert response.status_code == 400 and "ETag" not in response


def _settled(monkeypatch, seconds: float = 2.0) -> None:
    """Let the clock run past the second of the last change."""
    _, changed_at = current_data_version()
    later = changed_at + datetime.timedelta(seconds=seconds)
    monkeypatch.setattr(conditional.timezone, "now", lambda: later)


def test_last_modified_is_the_second_of_the_last_change_once_it_is_over(
    api, agreement, monkeypatch
):
    _settled(monkeypatch)
    _, changed_at = current_data_version()
    assert api.get(LIST)["Last-Modified"] == http_date(changed_at.timestamp())


def test_no_last_modified_while_its_second_may_still_see_changes(api, agreement, monkeypatch):
    _settled(monkeypatch, seconds=0)
    assert "Last-Modified" not in api.get(LIST)


def test_if_modified_since_the_last_change_is_a_304(api, agreement, monkeypatch):
    _settled(monkeypatch)
    stamp = api.get(LIST)["Last-Modified"]
    assert api.get(LIST, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304


def test_if_modified_since_before_the_last_change_is_a_200(api, agreement, monkeypatch):
    _settled(monkeypatch)
    _, changed_at = current_data_version()
    earlier = http_date(changed_at.timestamp() - 60)
    assert api.get(LIST, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_saving_a_record_moves_the_version(db):
    before = version()
    OfficialFactory()
    assert version() > before


def test_deleting_a_record_moves_the_version(agreement):
    before = version()
    agreement.delete()
    assert version() > before


def test_adding_a_sector_moves_the_version(agreement):
    before = version()
    agreement.sectors.add(sector("energy"))
    assert version() > before


def test_a_bulk_review_moves_the_version(db):
    AgreementFactory()
    before = version()
    set_review_state(Agreement.objects.all(), PUBLISHED, user=None)
    assert version() > before


def test_a_rolled_back_write_leaves_the_version(db):
    before = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        OfficialFactory()
        raise RuntimeError("undo")
    assert version() == before


def test_dumps_leave_the_version_out_so_loading_one_cannot_move_it_back(agreement):
    out = io.StringIO()
    call_command("dumpdata", "agreements", stdout=out)
    assert "data_version" not in out.getvalue() and "dataversion" not in out.getvalue()
