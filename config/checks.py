"""Deploy checks: `manage.py check --deploy` warns about settings that work but are
wrong for a real site: http links, calendar UIDs that clash, mail from localhost.

Mail that never leaves the machine (no EMAIL_URL) is Django's own mail.E001.
"""

import ipaddress
from email.utils import parseaddr

from django.conf import settings
from django.core.checks import Warning, register


def is_local_host(host: str) -> bool:
    """True for names that mean 'this machine' or a private test network."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host in {"", "localhost"} or host.endswith((".localhost", ".local")):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True  # an address is no stable name for UIDs or mail domains


@register("kokous", deploy=True)
def check_deploy_settings(app_configs=None, **kwargs):
    warnings = []
    if not settings.SITE_URL.startswith("https://"):
        warnings.append(
            Warning(
                f"SITE_URL is not https ({settings.SITE_URL}): links in emails and "
                "calendar feeds, and the session cookies, are not protected.",
                hint="Serve Kokous over TLS and set SITE_URL=https://...",
                id="kokous.W001",
            )
        )
    if is_local_host(settings.CALENDAR_UID_DOMAIN):
        warnings.append(
            Warning(
                f"CALENDAR_UID_DOMAIN is {settings.CALENDAR_UID_DOMAIN!r}: calendar "
                "entries from different sites would share UIDs.",
                hint="Set it to the site's public domain before feeds go public; "
                "it must never change after.",
                id="kokous.W002",
            )
        )
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    if is_local_host(sender_domain):
        warnings.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail from a "
                "local address is rejected or lands in spam.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your own domain.",
                id="kokous.W003",
            )
        )
    return warnings
