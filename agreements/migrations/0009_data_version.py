from django.db import migrations

# Not a model on purpose: see agreements/models/versions.py.
CREATE = """
CREATE TABLE agreements_data_version (
    id integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL,
    changed_at double precision NOT NULL
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_agreement_newest_first_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            [CREATE, "INSERT INTO agreements_data_version VALUES (1, 1, 0)"],
            "DROP TABLE agreements_data_version",
        ),
    ]
