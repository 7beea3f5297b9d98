"""Check-in codes of 130 random bits; the short codes made before are replaced."""

import secrets

import registrations.tokens

from django.db import migrations, models

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(26))


def lengthen_codes(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    rows = list(Registration.objects.only("pk", "checkin_code"))
    for row in rows:
        row.checkin_code = new_code()
    Registration.objects.bulk_update(rows, ["checkin_code"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0005_merge_bulk_operations_commitments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(
                default=registrations.tokens.new_checkin_code,
                editable=False,
                max_length=32,
                unique=True,
            ),
        ),
        migrations.RunPython(lengthen_codes, migrations.RunPython.noop),
    ]
