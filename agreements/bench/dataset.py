"""A synthetic data set of N agreements for the benchmark, loaded in bulk.

All 249 countries; pairs drawn from a skewed (Zipf) distribution, so a few pairs have
thousands of agreements and most have a handful; about N/50 officials with offices, N/10
signing events, N/5 sources in Arabic and English, 1–3 sectors, 1–2 signatories and 1–2
citations per agreement, count claims and commissions for the busier pairs. PostgreSQL is
loaded with COPY, SQLite with batched inserts.
"""

import datetime
import itertools
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from agreements import statistics
from agreements.api.records import refresh_official_records
from agreements.extraction.gazetteer import builtin_places
from agreements.models import Agreement, Country, Official, Sector, Source
from agreements.text import content_hash, fold, search_words

MARKER_TITLE = "Agreement Tracker benchmark data set"
TABLES = [  # children first, for emptying
    "agreements_citation",
    "agreements_signatory",
    "agreements_agreement_sectors",
    "agreements_statement",
    "agreements_countclaim",
    "agreements_agreement",
    "agreements_commission",
    "agreements_signingevent_officials_present",
    "agreements_signingevent",
    "agreements_officeheld",
    "agreements_officialname",
    "agreements_officialrecord",
    "agreements_official",
    "agreements_source_countries_mentioned",
    "agreements_source",
    "agreements_placename",
    "agreements_place",
]
KINDS = (
    ["agreement"] * 5
    + ["memorandum_of_understanding"] * 3
    + [
        "contract",
        "protocol",
        "treaty",
        "cooperation_document",
        "declaration",
    ]
)
STATUSES = ["signed"] * 6 + ["in_force"] * 3 + ["ratified", "expired", "unknown"]
ROLES = [
    ("head_of_state", "President"),
    ("head_of_government", "Prime Minister"),
    ("minister", "Foreign Minister"),
    ("minister", "Energy Minister"),
    ("minister", "Trade Minister"),
    ("ambassador", "Ambassador"),
    ("deputy_head_of_government", "Deputy Prime Minister"),
]
FIRST = [
    "Ana",
    "Boris",
    "Carlos",
    "Dina",
    "Elif",
    "Farid",
    "Gao",
    "Hana",
    "Ivan",
    "Jamal",
    "Kenji",
    "Layla",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Qasim",
    "Rosa",
    "Sergei",
    "Tariq",
]
LAST = [
    "Alvarez",
    "Bakr",
    "Chen",
    "Demir",
    "Estrada",
    "Fahmy",
    "Garcia",
    "Haddad",
    "Ivanov",
    "Jabari",
    "Kim",
    "Lopez",
    "Mansour",
    "Novak",
    "Ortiz",
    "Petrov",
    "Qureshi",
    "Rahman",
    "Silva",
    "Tanaka",
    "Usman",
    "Vargas",
    "Wang",
    "Yilmaz",
    "Zaki",
]
FIRST_AR = [
    "آنا",
    "بوريس",
    "كارلوس",
    "دينا",
    "أليف",
    "فريد",
    "غاو",
    "هنا",
    "إيفان",
    "جمال",
    "كينجي",
    "ليلى",
    "ماتيو",
    "نادية",
    "عمر",
    "بريا",
    "قاسم",
    "روزا",
    "سيرغي",
    "طارق",
]
SUBJECTS_EN = {
    "oil": "oil exploration and refining",
    "gas": "natural gas supplies",
    "energy": "renewable energy",
    "trade": "trade and customs procedures",
    "investment": "the protection of investments",
    "military": "military cooperation",
    "drones": "drone manufacturing",
    "education": "university exchanges",
    "health": "vaccine production",
    "transport": "railway construction",
    "technology": "technology transfer",
    "agriculture": "wheat and fisheries",
    "space": "satellite launches",
    "mining": "lithium mining",
    "tourism": "tourism promotion",
}
SUBJECTS_AR = {
    "oil": "التنقيب عن النفط وتكريره",
    "gas": "إمدادات الغاز الطبيعي",
    "energy": "الطاقة المتجددة",
    "trade": "التجارة والإجراءات الجمركية",
    "investment": "حماية الاستثمارات",
    "military": "التعاون العسكري",
    "drones": "تصنيع الطائرات المسيرة",
    "education": "التبادل الجامعي",
    "health": "إنتاج اللقاحات",
    "transport": "إنشاء السكك الحديدية",
    "technology": "نقل التكنولوجيا",
    "agriculture": "القمح والصيد",
    "space": "إطلاق الأقمار الصناعية",
    "mining": "تعدين الليثيوم",
    "tourism": "الترويج السياحي",
}


class BenchError(Exception):
    """The data set cannot be built here; the message says why."""


@dataclass
class DataSet:
    agreements: int
    pairs: list[tuple[int, int]]
    busiest_pair: tuple[str, str]
    busy_sector: str
    seconds: float = 0.0


def existing_size() -> int | None:
    marker = Source.objects.filter(title=MARKER_TITLE).first()
    return int(marker.publisher) if marker else None


def _check_empty_or_bench() -> None:
    if existing_size() is None and (Agreement.objects.exists() or Official.objects.exists()):
        raise BenchError(
            "this database holds records that are not a benchmark data set; "
            "point DATABASE_URL at an empty database for the benchmark"
        )


def _empty() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE tablename LIKE 'agreements_historical%%'"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"TRUNCATE {table}")
        else:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")


class _Writer:
    """Rows into a table: COPY on PostgreSQL, executemany in batches on SQLite."""

    def __init__(self, progress: Callable[[str, int], None]) -> None:
        self.progress = progress

    def write(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cursor:
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                        if count % 50_000 == 0:
                            self.progress(table, count)
        else:
            placeholders = ", ".join("%s" for _ in columns)
            names = ", ".join(f'"{c}"' for c in columns)
            sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
            with connection.cursor() as cursor:
                for batch in _batches(map(_sqlite_row, rows), 5000):
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    self.progress(table, count)
        self.progress(table, count)
        return count


def _sqlite_row(row: tuple) -> tuple:
    """Values as Django stores them on SQLite: UUIDs as 32 hex digits, times as UTC text."""
    return tuple(
        value.hex
        if isinstance(value, uuid.UUID)
        else connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.datetime)
        else value
        for value in row
    )


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _partial_date(rng: random.Random, low: int = 1995, high: int = 2025) -> str:
    year = rng.randint(low, high)
    precision = rng.random()
    if precision < 0.15:
        return f"{year:04d}"
    month = rng.randint(1, 12)
    if precision < 0.4:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"


def _uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def build(n: int, progress: Callable[[str, int], None] = lambda *_: None, seed: int = 1) -> DataSet:
    """Empty the curated tables and load a data set of ``n`` agreements."""
    started = timezone.now()
    _check_empty_or_bench()
    rng = random.Random(seed)
    writer = _Writer(progress)
    now = timezone.now()
    with transaction.atomic():
        _empty()
        countries = list(
            Country.objects.order_by("id").values_list("id", "code", "name_en", "name_ar")
        )
        by_id = {row[0]: row for row in countries}
        sectors = dict(Sector.objects.values_list("slug", "id"))
        subject_slugs = list(SUBJECTS_EN)

        # Pairs, most frequent first: weight 1/rank^1.1 gives a long tail.
        pair_count = max(20, min(6000, n // 3))
        ids = [row[0] for row in countries]
        pairs = set()
        while len(pairs) < pair_count:
            a, b = rng.sample(ids, 2)
            pairs.add((min(a, b), max(a, b)))
        pairs = sorted(pairs, key=lambda p: rng.random())
        weights = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(pair_count)))
        agreement_pairs = rng.choices(pairs, cum_weights=weights, k=n)
        pair_agreements = defaultdict(int)
        for pair in agreement_pairs:
            pair_agreements[pair] += 1

        # Places: the capitals and cities the reader knows.
        code_to_id = {row[1]: row[0] for row in countries}
        places = [
            (p.name_en, code_to_id[p.country]) for p in builtin_places() if p.country in code_to_id
        ]
        writer.write(
            "agreements_place",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "name",
                "country_id",
                "kind",
                "search_name",
            ],
            (
                (i + 1, _uid(rng), "published", now, now, name, country, "city", name.lower())
                for i, (name, country) in enumerate(places)
            ),
        )
        places_of = defaultdict(list)
        for i, (_name, country) in enumerate(places):
            places_of[country].append(i + 1)

        # Officials, in proportion to how often their country signs.
        country_weight = defaultdict(int)
        for (a, b), count in pair_agreements.items():
            country_weight[a] += count
            country_weight[b] += count
        official_total = max(50, n // 50)
        weighted = list(country_weight)
        official_countries = rng.choices(
            weighted, weights=[country_weight[c] for c in weighted], k=official_total
        )
        officials_of = defaultdict(list)
        official_rows, name_rows, office_rows = [], [], []
        for i, country in enumerate(official_countries, start=1):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last} {i}"
            ar = f"{FIRST_AR[FIRST.index(first)]} {last} {i}"
            officials_of[country].append(i)
            official_rows.append(
                (
                    i,
                    _uid(rng),
                    "published",
                    now,
                    now,
                    f"official-{i}",
                    name,
                    country,
                    "",
                    fold(name),
                    f"{fold(name)}\n{fold(ar)}",
                )
            )
            name_rows.append((i, i, "ar", ar, "name", fold(ar)))
            for k in range(rng.randint(1, 2)):
                role, title = rng.choice(ROLES)
                start = rng.randint(1990, 2020)
                end = None if k == 0 else f"{start + rng.randint(1, 5):04d}"
                office_rows.append(
                    (
                        len(office_rows) + 1,
                        _uid(rng),
                        "published",
                        now,
                        now,
                        i,
                        country,
                        role,
                        f"{title} of {by_id[country][2]}",
                        f"{start:04d}",
                        end,
                    )
                )
        writer.write(
            "agreements_official",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "slug",
                "name",
                "country_id",
                "wikidata_id",
                "search_name",
                "search_names",
            ],
            official_rows,
        )
        writer.write(
            "agreements_officialname",
            ["id", "official_id", "language", "text", "kind", "search_key"],
            name_rows,
        )
        writer.write(
            "agreements_officeheld",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "official_id",
                "country_id",
                "role",
                "title",
                "started_on",
                "ended_on",
            ],
            office_rows,
        )

        # Signing events: N/10, on the same pairs.
        event_total = max(10, n // 10)
        event_pairs = rng.choices(pairs, cum_weights=weights, k=event_total)
        events_of = defaultdict(list)
        event_rows = []
        for i, (a, b) in enumerate(event_pairs, start=1):
            events_of[(a, b)].append(i)
            place = rng.choice(places_of[a] or places_of[b] or [None])
            name = f"{by_id[a][2]}–{by_id[b][2]} signing {i}"
            event_rows.append(
                (
                    i,
                    _uid(rng),
                    "published",
                    now,
                    now,
                    " ".join(search_words(name)),
                    a,
                    b,
                    name,
                    _partial_date(rng),
                    None,
                    "",
                    place,
                    "",
                )
            )
        writer.write(
            "agreements_signingevent",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "search_text",
                "party_a_id",
                "party_b_id",
                "name",
                "held_on",
                "weekday",
                "part_of_day",
                "place_id",
                "summary",
            ],
            event_rows,
        )

        # Sources: N/5 short articles, Arabic or English; citations quote their sentences.
        source_total = max(10, n // 5)
        source_rows, sentences_of = [], []
        for i in range(1, source_total + 1):
            a, b = rng.choice(pairs)
            slug = rng.choice(subject_slugs)
            if i % 2:
                sentences = [
                    f"{by_id[a][3]} و{by_id[b][3]} وقعتا اتفاقية بشأن {SUBJECTS_AR[slug]}.",
                    f"وقال مسؤولون إن الاتفاق رقم {i} يعزز التعاون في مجال "
                    f"{SUBJECTS_AR[rng.choice(subject_slugs)]}.",
                    f"ويأتي ذلك ضمن {rng.randint(2, 40)} اتفاقية بين البلدين.",
                ]
                language = "ar"
            else:
                sentences = [
                    f"{by_id[a][2]} and {by_id[b][2]} signed an agreement on {SUBJECTS_EN[slug]}.",
                    f"Officials said accord number {i} would deepen cooperation on "
                    f"{SUBJECTS_EN[rng.choice(subject_slugs)]}.",
                    f"It is one of {rng.randint(2, 40)} agreements between the two countries.",
                ]
                language = "en"
            text = " ".join(sentences)
            spans, position = [], 0
            for sentence in sentences:
                spans.append((position, position + len(sentence), sentence))
                position += len(sentence) + 1
            sentences_of.append(spans)
            source_rows.append(
                (
                    i,
                    _uid(rng),
                    "published",
                    now,
                    now,
                    " ".join(search_words(text)),
                    f"Report {i}",
                    "Bench Wire",
                    "",
                    language,
                    datetime.date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
                    text,
                    content_hash(text),
                )
            )
        writer.write(
            "agreements_source",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "search_text",
                "title",
                "publisher",
                "url",
                "language",
                "published_on",
                "text",
                "content_hash",
            ],
            source_rows,
        )
        del source_rows

        # Agreements with their sectors, signatories and citations.
        agreement_rows, sector_rows, signatory_rows, citation_rows = [], [], [], []
        for i, (a, b) in enumerate(agreement_pairs, start=1):
            chosen = rng.sample(subject_slugs, rng.choice([1, 1, 2, 2, 3]))
            kind = rng.choice(KINDS)
            title = f"{kind.replace('_', ' ').capitalize()} on {SUBJECTS_EN[chosen[0]]} ({i})"
            original = f"اتفاقية بشأن {SUBJECTS_AR[chosen[0]]}"
            cited = []
            for _ in range(rng.randint(1, 2)):
                source = rng.randint(1, source_total)
                start, end, passage = rng.choice(sentences_of[source - 1])
                citation_rows.append(
                    (
                        len(citation_rows) + 1,
                        " ".join(search_words(passage)),
                        _uid(rng),
                        source,
                        passage,
                        start,
                        end,
                        "",
                        i,
                    )
                )
                cited.append(passage)
            words = " ".join(search_words(" ".join([title, original, *cited])))
            event = (
                rng.choice(events_of[(a, b)]) if events_of[(a, b)] and rng.random() < 0.5 else None
            )
            place = (
                rng.choice(places_of[a] + places_of[b])
                if (places_of[a] or places_of[b]) and rng.random() < 0.7
                else None
            )
            state = "published" if rng.random() < 0.9 else "draft"
            agreement_rows.append(
                (
                    i,
                    _uid(rng),
                    state,
                    now,
                    now,
                    words,
                    a,
                    b,
                    kind,
                    title,
                    original,
                    "",
                    _partial_date(rng),
                    place,
                    event,
                    rng.choice(STATUSES),
                    None,
                    None,
                )
            )
            for slug in chosen:
                sector_rows.append((len(sector_rows) + 1, i, sectors[slug]))
            signers = [o for o in itertools.chain(officials_of[a][:3], officials_of[b][:3])]
            for official in rng.sample(signers, min(len(signers), rng.randint(1, 2))):
                country = a if official in officials_of[a] else b
                signatory_rows.append((len(signatory_rows) + 1, i, official, country))
        writer.write(
            "agreements_agreement",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "search_text",
                "party_a_id",
                "party_b_id",
                "kind",
                "title",
                "original_title",
                "summary",
                "signed_on",
                "place_id",
                "event_id",
                "status",
                "in_force_on",
                "expires_on",
            ],
            agreement_rows,
        )
        del agreement_rows
        writer.write(
            "agreements_agreement_sectors", ["id", "agreement_id", "sector_id"], sector_rows
        )
        writer.write(
            "agreements_signatory",
            ["id", "agreement_id", "official_id", "country_id"],
            signatory_rows,
        )
        writer.write(
            "agreements_citation",
            [
                "id",
                "search_text",
                "uid",
                "source_id",
                "passage",
                "start",
                "end",
                "translation_en",
                "agreement_id",
            ],
            citation_rows,
        )

        # Commissions and reported totals for the busier pairs.
        busy = sorted(pair_agreements, key=pair_agreements.get, reverse=True)[
            : max(5, pair_count // 20)
        ]
        commission_rows, claim_rows = [], []
        for i, (a, b) in enumerate(busy, start=1):
            name = f"{by_id[a][2]}–{by_id[b][2]} Joint Commission"
            commission_rows.append(
                (
                    i,
                    _uid(rng),
                    "published",
                    now,
                    now,
                    " ".join(search_words(name)),
                    a,
                    b,
                    name,
                    "",
                    f"{rng.randint(1990, 2010):04d}",
                    None,
                    "",
                )
            )
            claim_rows.append(
                (
                    i,
                    _uid(rng),
                    "published",
                    now,
                    now,
                    "agreements",
                    a,
                    b,
                    pair_agreements[(a, b)] * 2,
                    "more_than",
                    "agreements",
                    None,
                    i,
                    f"{rng.randint(1990, 2010):04d}",
                    None,
                )
            )
        writer.write(
            "agreements_commission",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "search_text",
                "party_a_id",
                "party_b_id",
                "name",
                "original_name",
                "founded_on",
                "dissolved_on",
                "summary",
            ],
            commission_rows,
        )
        writer.write(
            "agreements_countclaim",
            [
                "id",
                "uid",
                "review_state",
                "created_at",
                "updated_at",
                "search_text",
                "party_a_id",
                "party_b_id",
                "value",
                "qualifier",
                "counted",
                "event_id",
                "commission_id",
                "since",
                "until",
            ],
            claim_rows,
        )
        _reset_sequences()
        Source.objects.create(
            title=MARKER_TITLE,
            publisher=str(n),
            language="en",
            text=f"Benchmark data set of {n} agreements.",
            review_state="draft",
        )
        statistics.refresh_pairs(None)  # COPY sends no signals
        progress("agreements_officialrecord", refresh_official_records(None))
    _analyze()
    busiest = busy[0]
    sector_counts = defaultdict(int)
    for _, _, sector in sector_rows:
        sector_counts[sector] += 1
    busy_sector = next(
        slug for slug, sid in sectors.items() if sid == max(sector_counts, key=sector_counts.get)
    )
    return DataSet(
        n,
        pairs,
        (by_id[busiest[0]][1], by_id[busiest[1]][1]),
        busy_sector,
        (timezone.now() - started).total_seconds(),
    )


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            if table == "agreements_officialrecord":
                continue  # keyed by its official: no sequence of its own
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )


def _analyze() -> None:
    # On PostgreSQL also VACUUM, as autovacuum would soon after a bulk load: its visibility map
    # lets index-only scans skip the table, as they do on a settled database. (VACUUM cannot
    # run in a transaction, which is where the tests build their small sets.) Then CHECKPOINT,
    # so that the timing does not compete with the write-back of the gigabytes just loaded,
    # the likely reason why requests timed right after building a million ran some 5% slower
    # than on the same set later.
    settle = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if settle else "ANALYZE")
    if settle:
        try:
            with connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
        except DatabaseError:  # needs a superuser or pg_checkpoint; the timing is only noisier
            pass


def describe(n: int) -> DataSet:
    """The facts the mix needs about a data set, read from the database: the same in every
    process that reads it (the runner, the scaling workers), ties broken by code."""
    from django.db.models import Count

    busiest = (
        Agreement.objects.values("party_a__code", "party_b__code")
        .annotate(n=Count("id"))
        .order_by("-n", "party_a__code", "party_b__code")
        .first()
    )
    sector = (
        Agreement.sectors.through.objects.values("sector__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "sector__slug")
        .first()
    )
    return DataSet(
        n, [], (busiest["party_a__code"], busiest["party_b__code"]), sector["sector__slug"]
    )
