"""Search text of every searchable record, and its GIN index on PostgreSQL (agreements.search)."""

from django.db import migrations

from agreements.search import INDEXED_TABLES, index_sql
from agreements.text import search_words

SEARCHED_FIELDS = {
    "Agreement": ("title", "original_title", "summary"),
    "SigningEvent": ("name", "summary"),
    "Commission": ("name", "original_name", "summary"),
    "CountClaim": ("counted",),
    "Statement": ("text", "translation_en"),
    "Source": ("title", "publisher", "text"),
    "Citation": ("passage", "translation_en"),
}


# 0003 added the column to these models' history tables too: their rows are filled the same
# way, so that history keeps its search text when migrations are rolled back past 0003 and
# applied again.
HISTORY_FILLED = ("Source", "Citation")


def fill_search_text(apps, schema_editor):
    models = [(name, name) for name in SEARCHED_FIELDS]
    models += [(f"Historical{name}", name) for name in HISTORY_FILLED]
    for model_name, searched in models:
        model = apps.get_model("agreements", model_name)
        fields = SEARCHED_FIELDS[searched]
        records = list(model.objects.all())
        for record in records:
            text = " ".join(getattr(record, name) or "" for name in fields)
            record.search_text = " ".join(search_words(text))
        model.objects.bulk_update(records, ["search_text"], batch_size=500)
    check_deferred_constraints_now(schema_editor)


def check_deferred_constraints_now(schema_editor):
    """The updates above leave deferred foreign-key checks pending, and PostgreSQL refuses to
    alter or index a table with pending trigger events ("cannot CREATE INDEX ... because it has
    pending trigger events") in the same transaction: run the checks now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in INDEXED_TABLES:
            schema_editor.execute(index_sql(table))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in INDEXED_TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS agreements_{table}_fulltext")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_search_text_on_sources_and_citations")]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
