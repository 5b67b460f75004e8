"""Country pairs: one summary per pair that has records, built with a fixed number of queries
for any number of pairs. Public summaries read their counts from ``statistics.py``; curators,
who also see drafts, have them counted at read time."""

from collections import defaultdict
from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections, router
from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber

from agreements import statistics
from agreements.api.prepared import PreparedQuery
from agreements.api.projections import COUNTRIES, SOURCE_BRIEF_COLUMNS, named_countries
from agreements.models import (
    Agreement,
    Citation,
    Commission,
    CountClaim,
    Country,
    SigningEvent,
    Source,
)
from agreements.models.base import can_see_drafts

PAIR_MODELS = (Agreement, SigningEvent, Commission, CountClaim)
# Whose drafts can show in a summary (sources through the cited count claims).
RELATION_MODELS = (*PAIR_MODELS, Source)
RECENT_EVENTS = 10
Pair = tuple[int, int]  # country ids, lower first, as stored


def sees_only_published(user: Any) -> bool:
    return not any(can_see_drafts(user, model) for model in RELATION_MODELS)


def pairs_with_records(user: Any, countries: list[Country] = ()) -> list[Pair]:
    """Every pair with at least one record the user may see, sorted by the two ISO codes."""
    if sees_only_published(user):
        return statistics.published_pairs(
            [country.pk for country in countries], router.db_for_read(Agreement)
        )
    pairs: set[Pair] = set()
    for model in PAIR_MODELS:
        records = model.objects.visible_to(user).involving(*countries)
        pairs.update(records.values_list("party_a", "party_b").distinct())
    codes = dict(
        Country.objects.filter(pk__in={pk for pair in pairs for pk in pair}).values_list(
            "pk", "code"
        )
    )
    return sorted(pairs, key=lambda pair: sorted((codes[pair[0]], codes[pair[1]])))


def has_records(pair: Pair, user: Any) -> bool:
    return any(
        model.objects.visible_to(user).filter(party_a=pair[0], party_b=pair[1]).exists()
        for model in PAIR_MODELS
    )


COUNTRIES_BY_CODE = PreparedQuery(
    lambda codes: Country.objects.filter(code__in_list=codes).values_list("pk", "code", "name_en")
)


def pair_of_codes(key: str) -> tuple[Pair, dict[int, dict]] | None:
    """ "RU-VE" or "VE-RU" (any case) to the stored pair and its two countries (as summaries
    show them, by id); None if it names no two countries."""
    codes = key.upper().split("-")
    if len(codes) != 2 or codes[0] == codes[1]:
        return None
    countries = named_countries(COUNTRIES_BY_CODE.rows(codes, using=router.db_for_read(Country)))
    return ((min(countries), max(countries)), countries) if len(countries) == 2 else None


def _in_pair_lists(firsts: list[int], seconds: list[int], prefix: str = "") -> Q:
    """Records of any first country with any second one: the pairs asked for and perhaps
    others, which ``_of_pairs`` drops (one compiled query for any number of pairs)."""
    return Q(**{f"{prefix}party_a__in_id_list": firsts, f"{prefix}party_b__in_id_list": seconds})


def _pair_query(build: Callable[[list, list, bool], Any]) -> dict[bool, PreparedQuery]:
    """``build(firsts, seconds, sees_drafts)`` compiled once for each audience."""
    return {
        sees_drafts: PreparedQuery(
            lambda firsts, seconds, sees=sees_drafts: build(firsts, seconds, sees), lists=2
        )
        for sees_drafts in (False, True)
    }


def _of_pairs(pairs: list[Pair], query: PreparedQuery, using: str) -> list[tuple]:
    """Rows (party_a, party_b, ...) of ``query`` for exactly ``pairs``."""
    wanted = set(pairs)
    firsts = sorted({a for a, _ in pairs})
    seconds = sorted({b for _, b in pairs})
    return [row for row in query.rows(firsts, seconds, using=using) if (row[0], row[1]) in wanted]


NEWEST_EVENTS = (F("held_on").desc(nulls_last=True), F("pk").desc())
EVENT_COLUMNS = ("party_a", "party_b", "id", "name", "held_on")
REPORTED_TOTALS = _pair_query(
    lambda firsts, seconds, sees: (
        CountClaim.objects.seen(sees)
        .filter(_in_pair_lists(firsts, seconds), event__isnull=True)
        .order_by("since", "pk")
        .values_list(
            "party_a",
            "party_b",
            "pk",
            "value",
            "qualifier",
            "counted",
            "since",
            "until",
            "commission",
        )
    )
)


def _claim_sources(claims: list[int], sees_drafts: bool) -> Any:
    cited = Citation.objects.from_sources_seen(sees_drafts).filter(count_claim__in_id_list=claims)
    return cited.order_by("source_id").values_list("count_claim_id", *SOURCE_BRIEF_COLUMNS)


CLAIM_SOURCES = {
    sees_drafts: PreparedQuery(lambda claims, sees=sees_drafts: _claim_sources(claims, sees))
    for sees_drafts in (False, True)
}
COMMISSIONS = _pair_query(
    lambda firsts, seconds, sees: (
        Commission.objects.seen(sees)
        .filter(_in_pair_lists(firsts, seconds))
        .order_by("founded_on", "pk")
        .values_list("party_a", "party_b", "pk", "name", "founded_on")
    )
)


def _in_pairs(pairs: list[Pair], prefix: str = "") -> Q:
    return reduce(or_, (Q(**{f"{prefix}party_a": a, f"{prefix}party_b": b}) for a, b in pairs))


def _counted_now(pairs: list[Pair], user: Any) -> dict[Pair, dict]:
    """What ``statistics.statistics_of`` stores, counted over the records ``user`` may see."""
    condition = _in_pairs(pairs)
    agreements = Agreement.objects.visible_to(user).filter(condition)
    found: dict[Pair, dict] = defaultdict(
        lambda: {"agreements": 0, "first": None, "last": None, "events": 0, "sectors": []}
    )
    for row in (
        agreements.values("party_a", "party_b")
        .order_by()
        .annotate(count=Count("pk"), first=Min("signed_on"), last=Max("signed_on"))
    ):
        found[row["party_a"], row["party_b"]].update(
            agreements=row["count"], first=row["first"], last=row["last"]
        )
    events = SigningEvent.objects.visible_to(user).filter(condition)
    for row in events.values("party_a", "party_b").order_by().annotate(count=Count("pk")):
        found[row["party_a"], row["party_b"]]["events"] = row["count"]
    links = Agreement.sectors.through.objects.filter(agreement__in=agreements)
    for row in (
        links.values(
            "agreement__party_a",
            "agreement__party_b",
            "sector__slug",
            "sector__name_en",
            "sector__name_ar",
        )
        .order_by("sector__slug")
        .annotate(count=Count("agreement", distinct=True))
    ):
        found[row["agreement__party_a"], row["agreement__party_b"]]["sectors"].append(
            {
                "slug": row["sector__slug"],
                "name_en": row["sector__name_en"],
                "name_ar": row["sector__name_ar"],
                "count": row["count"],
            }
        )
    return found


def _recent_events(pairs: list[Pair], user: Any) -> dict[Pair, list[tuple]]:
    """The latest RECENT_EVENTS events of each pair (undated ones last), each pair read off the
    index in that order (event_pair_newest) rather than ranking all of a pair's events."""
    # Each pair by equality: "= ANY(array)" does not read the index in order (PostgreSQL 15),
    # so it would sort all of a busy pair's events.
    if connections[router.db_for_read(SigningEvent)].vendor == "postgresql":
        rows = _latest_per_pair_lateral(
            pairs, published_only=not can_see_drafts(user, SigningEvent)
        )
    else:
        rows = (
            SigningEvent.objects.visible_to(user)
            .filter(_in_pairs(pairs))
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("party_a"), F("party_b")], order_by=NEWEST_EVENTS
                )
            )
            .filter(rank__lte=RECENT_EVENTS)
            .order_by(*NEWEST_EVENTS)
            .values_list(*EVENT_COLUMNS)
        )
    events = defaultdict(list)
    for a, b, *event in rows:
        events[a, b].append(event)
    return events


def _latest_per_pair_lateral(pairs: list[Pair], published_only: bool) -> list[tuple]:
    state = "AND review_state = 'published'" if published_only else ""
    values = ", ".join("(%s, %s)" for _ in pairs)
    sql = f"""
        SELECT p.a, p.b, e.id, e.name, e.held_on
        FROM (VALUES {values}) AS p (a, b)
        CROSS JOIN LATERAL (
            SELECT id, name, held_on FROM agreements_signingevent
            WHERE party_a_id = p.a AND party_b_id = p.b {state}
            ORDER BY held_on DESC NULLS LAST, id DESC LIMIT {RECENT_EVENTS}
        ) AS e
    """
    with connections[router.db_for_read(SigningEvent)].cursor() as cursor:
        cursor.execute(sql, [value for pair in pairs for value in pair])
        return cursor.fetchall()


def _reported_totals(pairs: list[Pair], user: Any) -> dict[Pair, list[dict]]:
    """Counts reported for a period (not at an event), each with its visible sources."""
    using = router.db_for_read(CountClaim)
    claims = _of_pairs(pairs, REPORTED_TOTALS[can_see_drafts(user, CountClaim)], using)
    sources: dict[int, dict[int, tuple]] = defaultdict(dict)
    cited = CLAIM_SOURCES[can_see_drafts(user, Source)]
    for claim_id, *source in cited.rows([claim[2] for claim in claims], using=using):
        sources[claim_id][source[0]] = source
    found: dict[Pair, list[dict]] = defaultdict(list)
    for a, b, pk, *claim in claims:
        found[a, b].append({"claim": claim, "sources": list(sources[pk].values())})
    return found


def summarise(
    pairs: list[Pair],
    user: Any,
    href: Callable[[str, Any], str],
    countries: dict[int, dict] | None = None,
) -> list[dict | None]:
    """The summary of each pair, in the order given, as the API shows it (``href(resource,
    key)`` makes links). None for a pair with nothing the user may see. ``countries``: those
    of the pairs, if the caller has read them already (``pair_of_codes``)."""
    if not pairs:
        return []
    public = sees_only_published(user)
    using = router.db_for_read(Agreement)
    counted = statistics.statistics_of(pairs, using) if public else _counted_now(pairs, user)
    if countries is None:
        countries = named_countries(
            COUNTRIES.rows({pk for pair in pairs for pk in pair}, using=using)
        )
    events = _recent_events(pairs, user)
    totals = _reported_totals(pairs, user)
    commissions = defaultdict(list)
    for a, b, pk, name, founded in _of_pairs(
        pairs, COMMISSIONS[can_see_drafts(user, Commission)], using
    ):
        commissions[a, b].append(
            {"id": pk, "href": href("commissions", pk), "name": name, "founded_on": founded}
        )
    visible_commissions = {c["id"] for records in commissions.values() for c in records}
    return [
        None
        if public and pair not in counted
        else _summary(
            pair,
            sorted((countries[pair[0]], countries[pair[1]]), key=lambda c: c["code"]),
            counted.get(pair),
            events[pair],
            totals[pair],
            commissions[pair],
            visible_commissions,
            href,
        )
        for pair in pairs
    ]


def _summary(
    pair: Pair,
    countries: list[dict],
    counted: dict | None,
    events: list[tuple],
    totals: list[dict],
    commissions: list[dict],
    visible_commissions: set[int],
    href: Callable[[str, Any], str],
) -> dict:
    counted = counted or {"agreements": 0, "first": None, "last": None, "events": 0, "sectors": []}
    key = "-".join(country["code"] for country in countries)
    return {
        "pair": key,
        "href": href("relations", key),
        "countries": countries,
        "agreement_count": counted["agreements"],
        "first_signed_on": counted["first"],
        "last_signed_on": counted["last"],
        "event_count": counted["events"],
        "recent_events": [
            {"id": pk, "href": href("events", pk), "name": name, "held_on": held_on}
            for pk, name, held_on in events
        ],
        "reported_totals": [
            {
                "value": value,
                "qualifier": qualifier,
                "counted": what,
                "since": since,
                "until": until,
                "commission": commission if commission in visible_commissions else None,
                "sources": [
                    {
                        "id": pk,
                        "href": href("sources", pk),
                        "title": title,
                        "publisher": publisher,
                        "url": url,
                        "language": language,
                        "published_on": published.isoformat() if published else None,
                    }
                    for pk, title, publisher, url, language, published in total["sources"]
                ],
            }
            for total in totals
            for value, qualifier, what, since, until, commission in [total["claim"]]
        ],
        "commissions": commissions,
        "sectors": counted["sectors"],
    }
