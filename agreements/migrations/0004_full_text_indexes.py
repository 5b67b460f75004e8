"""GIN indexes for full-text search on PostgreSQL (agreements.search); SQLite has no such index."""

from django.db import migrations

from agreements.search import INDEXED_TABLES, index_sql


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in INDEXED_TABLES:
            schema_editor.execute(index_sql(table))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in INDEXED_TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS agreements_{table}_fulltext")


def fill_search_text(apps, schema_editor):
    from agreements.text import fold

    for model_name, fields in (("Source", ("title", "publisher", "text")), ("Citation", ("passage", "translation_en"))):
        model = apps.get_model("agreements", model_name)
        records = list(model.objects.all())
        for record in records:
            record.search_text = fold(" ".join(getattr(record, name) or "" for name in fields))
        model.objects.bulk_update(records, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_search_text_on_sources_and_citations")]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
