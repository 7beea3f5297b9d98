"""How allauth speaks for the site: its emails in the person's language and with
the site's name, and sign-up kept on the path to the page the person came from."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

# allauth's texts name the site by `current_site`; without the sites framework
# that is the request's host ("127.0.0.1:8000"). Ours is the product's name and
# the public address.
SITE_NAME = "Kokous"


def _language_for(user) -> str:
    """The person's chosen language if we offer it, else the page's language."""
    known = {code for code, _name in settings.LANGUAGES}
    wanted = getattr(user, "preferred_language", "") or ""
    if wanted in known:
        return wanted
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in known else settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Rendering happens at send time, possibly outside the person's request
        # language (a code asked for from another page): pin it to theirs.
        site = SimpleNamespace(
            name=SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc
        )
        context = {"current_site": site, "site_url": settings.SITE_URL, **context}
        with translation.override(_language_for(context.get("user"))):
            super().send_mail(template_prefix, email, context)
