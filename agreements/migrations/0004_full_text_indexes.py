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


def fill_search_text(apps, schema_editor):
    for model_name, fields in SEARCHED_FIELDS.items():
        model = apps.get_model("agreements", model_name)
        records = list(model.objects.all())
        for record in records:
            text = " ".join(getattr(record, name) or "" for name in fields)
            record.search_text = " ".join(search_words(text))
        model.objects.bulk_update(records, ["search_text"], batch_size=500)


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
