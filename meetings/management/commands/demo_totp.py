"""manage.py demo_totp: the demo organiser's current authenticator code."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError

from .load_demo import ORGANISER_EMAIL, ORGANISER_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo organiser's current sign-in code (the demo's secret only)."

    def handle(self, *args, **options):
        authenticator = Authenticator.objects.filter(
            user__email=ORGANISER_EMAIL, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError("No demo organiser yet: run manage.py load_demo first.")
        # Never a code for an account that is not the demo's, whatever its email.
        if decrypt(authenticator.data["secret"]) != ORGANISER_TOTP_SECRET:
            raise CommandError(
                f"{ORGANISER_EMAIL} has an authenticator of its own, not the demo's."
            )
        now = int(time.time())
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(ORGANISER_TOTP_SECRET, now // period))
        self.stdout.write(
            f"{code}  (the code for {ORGANISER_EMAIL}; "
            f"it changes in {period - now % period} s)"
        )
