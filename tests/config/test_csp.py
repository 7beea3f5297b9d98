"""The Content-Security-Policy: strict, on every page, nonces fresh and never cached."""

import json
import os
import pickle
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.csp import content_security_policy, provider_origins
from tests.factories import EventFactory, SessionFactory, TrackFactory
from tests.test_access_matrix import (
    ORGANISER,
    PUBLIC,
    build_world,
    clients,
    concrete_path,
)

ROOT = Path(__file__).resolve().parents[2]
POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# An email's HTML part, shown to its author in a sandboxed frame: it keeps the
# inline styles email clients need and may run nothing at all.
EMAIL_PREVIEW_ROUTES = {"organise/<slug:event>/messages/<int:broadcast>/preview.html"}
EMAIL_PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; sandbox"
)
OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "uni",
                "settings": {"server_url": "https://login.example.edu/realms/staff"},
            },
            {
                "provider_id": "lab",
                "settings": {"server_url": "https://id.lab.fi:8443"},
            },
        ]
    },
    "saml": {
        "APPS": [
            {
                "provider_id": "haka",
                "settings": {
                    "idp": {
                        "entity_id": "urn:haka",
                        "sso_url": "https://haka.example.fi/sso",
                        "slo_url": "https://haka.example.fi/slo",
                    }
                },
            }
        ]
    },
}


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def header_nonce(response) -> str:
    match = re.search(
        r"script-src 'self' 'nonce-([\w-]+)'", response["Content-Security-Policy"]
    )
    assert match, response["Content-Security-Policy"]
    return match.group(1)


def inline_code(html: str) -> list[str]:
    """What a strict policy refuses: inline scripts, style and handler attributes."""
    found = []
    for tag, attrs in Tags(html).tags:
        # A JSON <script> is data, never run.
        if (
            tag == "script"
            and "src" not in attrs
            and attrs.get("type") != "application/json"
        ):
            found.append(f"inline <script {attrs}>")
        if "style" in attrs:
            found.append(f"<{tag} style={attrs['style']!r}>")
        found += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
    return found


def tag_nonces(html: str) -> set[str]:
    return {attrs["nonce"] for _tag, attrs in Tags(html).tags if "nonce" in attrs}


def cached_values() -> list[bytes]:
    """The default cache's raw entries (local memory in tests: pickled values)."""
    return list(caches["default"]._cache.values())


def test_policy_is_strict_and_names_no_provider_without_one(client, db):
    response = client.get("/")

    nonce = header_nonce(response)
    assert response["Content-Security-Policy"] == POLICY.format(nonce=nonce)
    assert "Content-Security-Policy-Report-Only" not in response


def test_form_action_names_the_sign_on_providers_origins():
    policy = content_security_policy(
        providers=OIDC, extra_form_action=["https://sso.example.com/"]
    )

    assert provider_origins(OIDC) == [
        "https://haka.example.fi",
        "https://id.lab.fi:8443",
        "https://login.example.edu",
    ]
    assert policy["form-action"] == [
        "'self'",
        "https://haka.example.fi",
        "https://id.lab.fi:8443",
        "https://login.example.edu",
        "https://sso.example.com",
    ]


def test_settings_take_form_action_origins_from_the_environment():
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "print(json.dumps(settings.SECURE_CSP['form-action']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "SOCIALACCOUNT_PROVIDERS_JSON": json.dumps(OIDC),
            "CSP_FORM_ACTION": "https://sso.example.com, https://id.lab.fi:8443",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "'self'",
        "https://haka.example.fi",
        "https://id.lab.fi:8443",
        "https://login.example.edu",
        "https://sso.example.com",
    ]


@pytest.mark.parametrize(
    "value", ["login.example.edu", "https://login.example.edu/path", "javascript:x"]
)
def test_form_action_setting_accepts_only_origins(value):
    with pytest.raises(ImproperlyConfigured, match="CSP_FORM_ACTION"):
        content_security_policy(providers={}, extra_form_action=[value])


@pytest.mark.django_db
def test_every_html_page_has_a_fresh_nonce_that_its_tags_carry():
    """Every route, asked as a superuser, an organiser, an attendee and anonymously."""
    caches["default"].clear()
    world = build_world()
    signed_in = clients(world)
    nonces, problems, pages = [], [], 0
    for route in sorted(ORGANISER.keys() | PUBLIC):
        path = concrete_path(route, world)
        for role in ["superuser", "owner", "attendee", "anonymous"]:
            response = signed_in[role].get(path)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            where = f"{path} as {role} ({response.status_code})"
            html = response.content.decode()
            if route in EMAIL_PREVIEW_ROUTES and response.status_code == 200:
                if response["Content-Security-Policy"] != EMAIL_PREVIEW_POLICY:
                    problems.append(f"{where}: {response['Content-Security-Policy']}")
                if "<script" in html:
                    problems.append(f"{where}: a script in an email preview")
                continue
            if "Content-Security-Policy" not in response:
                problems.append(f"{where}: no Content-Security-Policy")
                continue
            problems += [f"{where}: {code}" for code in inline_code(html)]
            if response.status_code != 200 and not tag_nonces(html):
                continue  # a plain error or redirect page: nothing runs, no nonce
            pages += 1
            nonce = header_nonce(response)
            nonces.append(nonce)
            if response["Content-Security-Policy"] != POLICY.format(nonce=nonce):
                problems.append(f"{where}: {response['Content-Security-Policy']}")
            if tag_nonces(html) != {nonce}:
                problems.append(f"{where}: tags carry {tag_nonces(html)}, not {nonce}")

    assert problems == [], "\n".join(problems)
    assert pages > 100  # the walk reached the site's pages, not only redirects
    assert len(set(nonces)) == len(nonces)  # fresh for every response
    leaked = [
        raw for raw in cached_values() if b'nonce="' in raw or any(
            nonce.encode() in raw for nonce in nonces
        )
    ]  # fmt: skip
    assert leaked == []


@pytest.mark.django_db
def test_cached_schedule_body_holds_no_nonce_and_no_style(client):
    caches["default"].clear()
    event = EventFactory(slug="spring-forum")
    track = TrackFactory(event=event, colour="#a0522d")
    SessionFactory(event=event, track=track, title="Opening keynote")
    url = reverse("events:schedule", kwargs={"slug": event.slug})

    first = client.get(url)
    second = client.get(url)

    bodies = [
        str(pickle.loads(raw)["body"])  # noqa: S301 - the test's own local-memory cache
        for raw in cached_values()
        if b"Opening keynote" in raw
    ]
    assert len(bodies) == 1
    stripe = '<rect width="1" height="1" fill="#a0522d"/>'
    assert stripe in bodies[0]
    assert "nonce" not in bodies[0]
    assert "style=" not in bodies[0]
    assert header_nonce(first) != header_nonce(second)
    for response in (first, second):
        assert tag_nonces(response.content.decode()) == {header_nonce(response)}
        assert stripe in response.content.decode()
