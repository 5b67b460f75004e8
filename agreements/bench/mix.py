"""The fixed mix of requests the benchmark times, each with its floor."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from agreements.bench import floor
from agreements.bench.dataset import DataSet
from agreements.models import Agreement, Sector


@dataclass
class BenchRequest:
    name: str
    path: str
    floor: Callable[[], bytes]
    scales: bool = True  # held to the 1M ÷ 10k target (the deep page is not)


def requests(data: DataSet) -> list[BenchRequest]:
    a, b = data.busiest_pair
    pair_ids = floor.country_ids((a, b))
    pair_where = " AND a.party_a_id = %s AND a.party_b_id = %s"
    sector_id = Sector.objects.get(slug=data.busy_sector).pk
    sector_where = (
        " AND EXISTS (SELECT 1 FROM agreements_agreement_sectors s "
        "WHERE s.agreement_id = a.id AND s.sector_id = %s)"
    )
    dates_where = (
        " AND a.signed_on >= '2010' AND a.signed_on >= SUBSTR('2010-01-01', 1, LENGTH(a.signed_on))"
        " AND a.signed_on <= '2011-06-30'"
    )
    arabic_where, arabic_params = floor.text_condition("اللقاحات")
    english_where, english_params = floor.text_condition("railway")
    middle = (
        Agreement.objects.published().filter(pk__gte=data.agreements // 2).order_by("pk").first()
    )
    deep_page = max(2, min(150, data.agreements // 100))

    def page(where: str, params: list, path: str, number: int = 1) -> Callable[[], bytes]:
        return lambda: floor.json_response(floor.page_body(where, params, path, number))

    return [
        BenchRequest(
            "pair",
            f"/api/v1/agreements/?country={a}&country={b}",
            page(pair_where, list(pair_ids), f"/agreements/?country={a}&country={b}"),
        ),
        BenchRequest(
            "sector",
            f"/api/v1/agreements/?sector={data.busy_sector}",
            page(sector_where, [sector_id], f"/agreements/?sector={data.busy_sector}"),
        ),
        BenchRequest(
            "date range",
            "/api/v1/agreements/?signed_after=2010&signed_before=2011-06",
            page(dates_where, [], "/agreements/?signed_after=2010&signed_before=2011-06"),
        ),
        BenchRequest(
            "full text ar",
            f"/api/v1/agreements/?q={quote('اللقاحات')}",
            page(arabic_where, arabic_params, f"/agreements/?q={quote('اللقاحات')}"),
        ),
        BenchRequest(
            "full text en",
            "/api/v1/agreements/?q=railway",
            page(english_where, english_params, "/agreements/?q=railway"),
        ),
        BenchRequest(
            "deep page",
            f"/api/v1/agreements/?page={deep_page}",
            page("", [], "/agreements/", deep_page),
            scales=False,
        ),
        BenchRequest(
            "detail",
            f"/api/v1/agreements/{middle.pk}/",
            lambda: floor.json_response(
                floor.agreements_page(" AND a.id = %s", [middle.pk], 1, 0)[0]
            ),
        ),
        BenchRequest(
            "relation",
            f"/api/v1/relations/{a}-{b}/",
            lambda: floor.json_response(floor.relation_body((a, b))),
        ),
        BenchRequest(
            "official search",
            "/api/v1/officials/?q=Haddad",
            lambda: floor.json_response(floor.officials_body("Haddad")),
        ),
        BenchRequest(
            "csv export",
            f"/api/v1/agreements/?country={a}&country={b}&format=csv&page_size=200",
            lambda: floor.csv_response(floor.page_body(pair_where, list(pair_ids), "/x?", 1, 200)),
        ),
    ]
