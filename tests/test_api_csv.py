import csv
import io

import pytest

from agreements import models

pytestmark = pytest.mark.usefixtures("seed")


def _csv(client, url, **params):
    response = client.get(url, {"format": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_agreements_export_flattens_nested_values(api):
    rows = _csv(api, "/api/v1/agreements/", kind="cooperation_document")
    (row,) = rows
    assert row["parties.code"] == "RU; VE"
    assert row["parties.name"] == "Russia; Venezuela"
    assert row["sectors.slug"] == "drones; military"
    assert row["place.name"] == "Caracas"
    assert row["original_title"] == "ثيقة تعاون مشترك بشأن استخدام الطائرات من دون طيار"
    assert row["citations.source.title"].startswith("Venezuela and Russia sign")
    assert row["href"].endswith(f"/api/v1/agreements/{row['id']}/")


def test_the_export_is_the_whole_filtered_list_unless_paged(api):
    assert len(_csv(api, "/api/v1/agreements/")) == 4
    assert len(_csv(api, "/api/v1/agreements/", page_size=3)) == 3
    assert len(_csv(api, "/api/v1/agreements/", country="CU")) == 0


@pytest.mark.parametrize(
    "resource",
    [
        "countries",
        "sectors",
        "places",
        "officials",
        "offices",
        "agreements",
        "events",
        "commissions",
        "claims",
        "statements",
        "sources",
        "citations",
        "relations",
    ],
)
def test_every_list_exports_as_csv(api, resource):
    assert _csv(api, f"/api/v1/{resource}/")


def test_a_csv_error_is_still_a_clear_400(api):
    response = api.get("/api/v1/agreements/", {"format": "csv", "kind": "pact"})
    assert response.status_code == 400
    assert "kind" in response.content.decode("utf-8-sig")


def test_relations_export_one_row_per_pair(api):
    (row,) = _csv(api, "/api/v1/relations/")
    assert (row["pair"], row["agreement_count"], row["reported_totals.value"]) == (
        "RU-VE",
        "4",
        "400",
    )
    assert models.Agreement.objects.count() == 4
