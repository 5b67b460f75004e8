"""Full-text search over the folded ``search_text`` column, on PostgreSQL and on SQLite.

On PostgreSQL the folded text is matched with the ``arabic`` and ``english`` text-search
configurations together (stems of either language match), through a GIN index on exactly the
expression ``search_vector()`` builds (migration 0003). SQLite has no stemmer: there every folded
word of the query must occur in the folded text. Folding first (``agreements.text.fold``) gives
both engines the same Arabic normalisation: hamza forms of alef, ى/ي, ة/ه, no diacritics.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connections
from django.db.models import Q

from agreements.text import fold

CONFIGS = ("arabic", "english")
# Tables whose search_text has a full-text index on PostgreSQL, and the index names.
INDEXED_TABLES = ("agreement", "citation", "statement", "source")


def search_vector() -> SearchVector:
    return SearchVector("search_text", config=CONFIGS[0]) + SearchVector(
        "search_text", config=CONFIGS[1]
    )


def index_sql(table: str) -> str:
    vector = " || ".join(
        f"to_tsvector('{config}'::regconfig, COALESCE(search_text, ''))" for config in CONFIGS
    )
    return (
        f"CREATE INDEX IF NOT EXISTS agreements_{table}_fulltext "
        f"ON agreements_{table} USING gin (({vector}))"
    )


def matches_full_text(database: str, term: str) -> Q:
    """A condition on ``search_text``; a term with no words matches everything."""
    words = fold(term).split()
    if not words:
        return Q()
    if connections[database].vendor == "postgresql":
        folded = " ".join(words)
        query = SearchQuery(folded, config=CONFIGS[0], search_type="plain") | SearchQuery(
            folded, config=CONFIGS[1], search_type="plain"
        )
        return Q(SearchVectorExact(search_vector(), query))
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition
