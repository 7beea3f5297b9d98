from django.db import migrations, models

from registrations.postgres_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    """Network meetings are commitments that hold no time exclusively: the
    exclusion constraint now covers seats and one-to-one meetings only."""

    dependencies = [("registrations", "0010_merge_commitment_title_location")]

    operations = [
        migrations.AlterField(
            model_name="commitment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("seat", "Seat"),
                    ("meeting", "Meeting"),
                    ("network", "Network meeting"),
                ],
                max_length=10,
            ),
        ),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE registrations_commitment "
                "DROP CONSTRAINT commitment_no_overlap; "
                "ALTER TABLE registrations_commitment "
                "ADD CONSTRAINT commitment_no_overlap EXCLUDE USING gist "
                "(person_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
                "WHERE (status = 'active' AND kind IN ('seat', 'meeting'))"
            ),
            reverse_sql=(
                "ALTER TABLE registrations_commitment "
                "DROP CONSTRAINT commitment_no_overlap; "
                "ALTER TABLE registrations_commitment "
                "ADD CONSTRAINT commitment_no_overlap EXCLUDE USING gist "
                "(person_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
                "WHERE (status = 'active')"
            ),
        ),
    ]
