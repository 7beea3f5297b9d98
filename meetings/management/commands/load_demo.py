"""manage.py load_demo: the two seed events, a demo organiser, registration data."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from events import demo as events_demo
from events.models import EventOrganiser
from meetings import demo as meetings_demo
from meetings import demo_networks
from registrations import demo as registrations_demo

ORGANISER_EMAIL = "organiser@kokous.example"
ORGANISER_PASSWORD = "kokous-demo"  # noqa: S105 - demo data, refused without DEBUG
# The demo organiser's authenticator app: organisers sign in with a second step.
ORGANISER_TOTP_SECRET = "KOKOUSDEMOORGANISERTOTPSECRET234"  # noqa: S105 - demo data


class Command(BaseCommand):
    help = "Load the Spring Forum and the Nordic Five Tech meeting as demo data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-held", action="store_true",
            help="Use the original dates (May 3-5 and May 23-24, 2023).",
        )  # fmt: skip
        parser.add_argument(
            "--force", action="store_true",
            help="Run with DEBUG off too (it makes an account with a known password).",
        )  # fmt: skip

    def handle(self, *args, as_held=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates an account with a known password: run it with "
                "DEBUG=1 (or --force)."
            )
        with transaction.atomic():
            organiser = self._organiser()
            forum, n5t = events_demo.load(as_held=as_held, organiser=organiser)
            for event in (forum, n5t):
                EventOrganiser.objects.get_or_create(
                    event=event, user=organiser,
                    defaults={"role": EventOrganiser.Role.OWNER},
                )  # fmt: skip
            counts = registrations_demo.load(forum=forum, n5t=n5t, organiser=organiser)
            counts |= meetings_demo.load(forum=forum)
            counts |= demo_networks.load(forum=forum)
        site = settings.SITE_URL
        home = reverse("organise:home", kwargs={"event": forum.slug})
        self.stdout.write(
            f"Demo events: {site}{forum.get_absolute_url()} and "
            f"{site}{n5t.get_absolute_url()}\n"
            f"({counts['forum_registrations']} forum registrations, "
            f"{counts['n5t_invitations']} invitations to the presidents' meeting, "
            f"{counts['requests']} meeting requests.)\n"
            f"Organiser sign-in: {ORGANISER_EMAIL} / {ORGANISER_PASSWORD} at "
            f"{site}{reverse('account_login')}?next={home} : it opens the Spring "
            f"Forum's home in the organiser area.\n"
            f"Its second step is a code from an authenticator app: add the secret "
            f"{ORGANISER_TOTP_SECRET} to one, or run `make demo-code` (or "
            f"`manage.py demo_totp`) for the current code.\n"
            f"Mail is written to files under var/mail/."
        )

    def _organiser(self):
        user, created = get_user_model().objects.get_or_create(
            email=ORGANISER_EMAIL,
            defaults={
                "name": "Demo Organiser",
                "affiliation": "EDUFI",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(ORGANISER_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user,
            email=ORGANISER_EMAIL,
            defaults={"verified": True, "primary": True},
        )
        # Always the printed secret, so that the printed instructions hold.
        Authenticator.objects.update_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(ORGANISER_TOTP_SECRET)}},
        )
        return user
