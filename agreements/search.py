"""Full-text search over the ``search_text`` column, on PostgreSQL and on SQLite.

``search_text`` holds ``agreements.text.search_words()`` of the record: folded (accents,
diacritics and Arabic letter variants ignored) and with Arabic words light-stemmed, so both
engines see "والمشورة" and "المشورة" as the same word. On PostgreSQL the words are matched with
the ``english`` text-search configuration (which also stems English and leaves the prepared
Arabic words as they are) through a GIN index on exactly ``search_vector()`` (migration 0004).
SQLite has no text search: there every query word must occur in the text.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connections
from django.db.models import Q

from agreements.text import search_words

CONFIG = "english"
# Tables whose search_text has a full-text index on PostgreSQL.
INDEXED_TABLES = ("citation", "statement", "source")
# Agreements keep their vector in a column, so that "newest first" can walk the signed_on index
# and test each row without recomputing to_tsvector.
VECTOR_TRIGGER_SQL = f"""
CREATE TRIGGER agreements_agreement_search_vector
BEFORE INSERT OR UPDATE OF search_text ON agreements_agreement
FOR EACH ROW EXECUTE FUNCTION
tsvector_update_trigger(search_vector, 'pg_catalog.{CONFIG}', search_text);
UPDATE agreements_agreement SET search_vector = to_tsvector('{CONFIG}'::regconfig, search_text);
-- The update leaves deferred foreign-key checks pending, and a table with pending trigger
-- events cannot be indexed in the same transaction: run them now.
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
CREATE INDEX IF NOT EXISTS agreements_agreement_search_vector ON agreements_agreement
USING gin (search_vector);
DROP INDEX IF EXISTS agreements_agreement_fulltext;
"""
DROP_VECTOR_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS agreements_agreement_search_vector ON agreements_agreement;
DROP INDEX IF EXISTS agreements_agreement_search_vector;
"""


def search_vector() -> SearchVector:
    return SearchVector("search_text", config=CONFIG)


def index_sql(table: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS agreements_{table}_fulltext ON agreements_{table} "
        f"USING gin ((to_tsvector('{CONFIG}'::regconfig, COALESCE(search_text, ''))))"
    )


def matches_full_text(database: str, term: str, stored_vector: bool = False) -> Q:
    """A condition on ``search_text``; a term with no words matches everything. With
    ``stored_vector`` the ``search_vector`` column (kept by a trigger) is used on PostgreSQL."""
    words = search_words(term)
    if not words:
        return Q()
    if connections[database].vendor == "postgresql":
        query = SearchQuery(" ".join(words), config=CONFIG, search_type="plain")
        if stored_vector:
            return Q(search_vector=query)
        return Q(SearchVectorExact(search_vector(), query))
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    return condition


def matches_words(term: str) -> Q:
    """Every word of ``term`` occurs in ``search_text`` (substring search, both engines)."""
    condition = Q()
    for word in search_words(term):
        condition &= Q(search_text__contains=word)
    return condition
