from django.db import migrations

from registrations.postgres_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("registrations", "0004_commitment_no_overlap"),  # btree_gist
    ]

    operations = [
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE meetings_meeting "
                "ADD CONSTRAINT meeting_table_no_overlap EXCLUDE USING gist "
                "(table_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
                "WHERE (status = 'active')"
            ),
            reverse_sql=(
                "ALTER TABLE meetings_meeting DROP CONSTRAINT meeting_table_no_overlap"
            ),
        ),
    ]
