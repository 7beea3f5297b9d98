"""The Content-Security-Policy every response carries (Django's SECURE_CSP).

Pages load scripts and styles only from the site itself, each script tag carrying
the response's nonce; nothing inline runs. allauth draws the authenticator app's
QR code as a data: image. Forms may post only to the site, and to the single
sign-on providers its buttons hand over to: the browser checks the redirect that
follows a form's post against form-action too.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Where allauth sends the browser to sign in or out at a provider: an OpenID
# Connect server, a SAML identity provider's sign-in, sign-out and metadata URLs.
_PROVIDER_URL_KEYS = {"server_url", "sso_url", "slo_url", "metadata_url"}


def provider_origins(providers: dict) -> list[str]:
    """The origins of every provider URL in allauth's SOCIALACCOUNT_PROVIDERS."""
    return sorted(
        {origin for url in _provider_urls(providers) if (origin := _origin(url))}
    )


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _provider_urls(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _PROVIDER_URL_KEYS and isinstance(item, str):
                yield item
            else:
                yield from _provider_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _provider_urls(item)


def content_security_policy(
    *, providers: dict, extra_form_action: list[str]
) -> dict[str, list[str]]:
    """SECURE_CSP for the site, given the configured sign-on providers.

    `extra_form_action` names further origins forms may hand over to (providers
    configured in the admin rather than in the environment).
    """
    extra = set()
    for origin in extra_form_action:
        if _origin(origin) != origin.rstrip("/"):
            raise ImproperlyConfigured(
                "CSP_FORM_ACTION must list origins like https://login.example.edu,"
                f" got {origin!r}."
            )
        extra.add(origin.rstrip("/"))
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        # The admin's change list without actions sets a column's width in a <style>
        # element carrying the nonce; nothing of ours does.
        "style-src": [CSP.SELF, CSP.NONCE],
        "img-src": [CSP.SELF, "data:"],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.NONE],
        "frame-ancestors": [CSP.NONE],
        "form-action": [
            CSP.SELF,
            *sorted(set(provider_origins(providers)) | extra),
        ],
    }
