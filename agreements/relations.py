"""Country pairs: one summary per pair that has records, built with a fixed number of queries
for any number of pairs."""

from collections import defaultdict
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q

from agreements.models import (
    Agreement,
    Citation,
    Commission,
    CountClaim,
    Country,
    SigningEvent,
    Source,
)

PAIR_MODELS = (Agreement, SigningEvent, Commission, CountClaim)
# Whose drafts can show in a summary (sources through the cited count claims).
RELATION_MODELS = (*PAIR_MODELS, Source)
Pair = tuple[int, int]  # country ids, lower first, as stored


def pairs_with_records(user: Any, countries: list[Country] = ()) -> list[Pair]:
    """Every pair with at least one record the user may see, sorted by the two ISO codes."""
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


def pair_of_codes(key: str) -> Pair | None:
    """ "RU-VE" or "VE-RU" (any case) to the stored pair; None if it names no two countries."""
    codes = key.upper().split("-")
    if len(codes) != 2 or codes[0] == codes[1]:
        return None
    ids = list(Country.objects.filter(code__in=codes).values_list("pk", flat=True))
    return (min(ids), max(ids)) if len(ids) == 2 else None


def _in_pairs(pairs: list[Pair], prefix: str = "") -> Q:
    return reduce(or_, (Q(**{f"{prefix}party_a": a, f"{prefix}party_b": b}) for a, b in pairs))


def summarise(pairs: list[Pair], user: Any) -> list[dict]:
    """The summary of each pair, in the order given."""
    if not pairs:
        return []
    condition = _in_pairs(pairs)
    countries = Country.objects.in_bulk({pk for pair in pairs for pk in pair})
    agreements = Agreement.objects.visible_to(user).filter(condition)

    totals = {
        (row["party_a"], row["party_b"]): row
        for row in agreements.values("party_a", "party_b")
        .order_by()
        .annotate(count=Count("pk"), first=Min("signed_on"), last=Max("signed_on"))
    }
    events = defaultdict(list)
    for event in SigningEvent.objects.visible_to(user).filter(condition).order_by("held_on", "pk"):
        events[event.party_a_id, event.party_b_id].append(event)
    sources = Source.objects.visible_to(user)
    citations = Citation.objects.filter(source__in=sources).select_related("source")
    claims = defaultdict(list)
    for claim in (
        CountClaim.objects.visible_to(user)
        .filter(condition, event__isnull=True)
        .order_by("since", "pk")
        .prefetch_related(Prefetch("citations", queryset=citations))
    ):
        claims[claim.party_a_id, claim.party_b_id].append(claim)
    commissions = defaultdict(list)
    for commission in Commission.objects.visible_to(user).filter(condition).order_by("founded_on"):
        commissions[commission.party_a_id, commission.party_b_id].append(commission)
    visible_commissions = {c.pk for records in commissions.values() for c in records}
    sectors = defaultdict(list)
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
        sectors[row["agreement__party_a"], row["agreement__party_b"]].append(
            {
                "slug": row["sector__slug"],
                "name_en": row["sector__name_en"],
                "name_ar": row["sector__name_ar"],
                "count": row["count"],
            }
        )

    summaries = []
    for pair in pairs:
        pair_countries = sorted((countries[pair[0]], countries[pair[1]]), key=lambda c: c.code)
        total = totals.get(pair, {})
        summaries.append(
            {
                "pair": "-".join(country.code for country in pair_countries),
                "countries": pair_countries,
                "agreement_count": total.get("count", 0),
                "first_signed_on": total.get("first"),
                "last_signed_on": total.get("last"),
                "events": events[pair],
                "reported_totals": [
                    {
                        "value": claim.value,
                        "qualifier": claim.qualifier,
                        "counted": claim.counted,
                        "since": claim.since,
                        "until": claim.until,
                        "commission": claim.commission_id
                        if claim.commission_id in visible_commissions
                        else None,
                        "sources": list(
                            {c.source_id: c.source for c in claim.citations.all()}.values()
                        ),
                    }
                    for claim in claims[pair]
                ],
                "commissions": commissions[pair],
                "sectors": sectors[pair],
            }
        )
    return summaries
