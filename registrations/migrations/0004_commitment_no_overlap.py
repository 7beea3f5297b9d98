from django.db import migrations

from registrations.postgres_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("registrations", "0003_commitment")]

    operations = [
        PostgresOnlySQL(
            sql="CREATE EXTENSION IF NOT EXISTS btree_gist",
            reverse_sql="SELECT 1",  # other constraints may use the extension
        ),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE registrations_commitment "
                "ADD CONSTRAINT commitment_no_overlap EXCLUDE USING gist "
                "(person_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
                "WHERE (status = 'active')"
            ),
            reverse_sql=(
                "ALTER TABLE registrations_commitment "
                "DROP CONSTRAINT commitment_no_overlap"
            ),
        ),
    ]
