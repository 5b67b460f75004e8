from django.db import migrations

# Derived tables, not models on purpose: see agreements/statistics.py. They are filled by the
# post_migrate handler (services.refresh_all_statistics), which runs after this migration.
CREATE = [
    """
    CREATE TABLE agreements_pair_statistics (
        party_a_id bigint NOT NULL,
        party_b_id bigint NOT NULL,
        pair varchar(5) NOT NULL,
        agreements integer NOT NULL,
        first_signed_on varchar(10),
        last_signed_on varchar(10),
        events integer NOT NULL,
        commissions integer NOT NULL,
        count_claims integer NOT NULL,
        PRIMARY KEY (party_a_id, party_b_id)
    )
    """,
    "CREATE INDEX agreements_pair_statistics_pair ON agreements_pair_statistics (pair)",
    "CREATE INDEX agreements_pair_statistics_b ON agreements_pair_statistics (party_b_id)",
    """
    CREATE TABLE agreements_pair_sector_statistics (
        party_a_id bigint NOT NULL,
        party_b_id bigint NOT NULL,
        sector_id bigint NOT NULL,
        agreements integer NOT NULL,
        PRIMARY KEY (party_a_id, party_b_id, sector_id)
    )
    """,
]
DROP = [
    "DROP TABLE agreements_pair_sector_statistics",
    "DROP TABLE agreements_pair_statistics",
]


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0009_data_version"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
