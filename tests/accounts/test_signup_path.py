"""Sign-up keeps the page the person came from, confirming signs them in, and
allauth's emails carry the site's name in the person's language."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
NEXT = "/events/"


def _sign_up(client, *, email="ada@example.org", next_url=NEXT, language="en"):
    return client.post(
        f"{reverse('account_signup')}?next={next_url}",
        {"email": email, "name": "Ada Lovelace", "password1": PASSWORD,
         "password2": PASSWORD, "next": next_url},
        HTTP_ACCEPT_LANGUAGE=language,
    )  # fmt: skip


def _confirmation_link(message) -> str:
    return re.search(r"(/accounts/confirm-email/\S+/)", message.body).group(1)


def test_confirming_in_the_same_browser_signs_in_and_returns_to_next(client):
    _sign_up(client)
    link = _confirmation_link(mail.outbox[0])

    assert "_auth_user_id" not in client.session
    client.get(link)
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert client.session["_auth_user_id"]


def test_confirming_in_another_browser_does_not_sign_in(client):
    _sign_up(client)
    link = _confirmation_link(mail.outbox[0])

    other_browser = Client()
    response = other_browser.post(link)

    assert response.status_code == 302
    assert "_auth_user_id" not in other_browser.session


def test_sign_in_keeps_next(client):
    _sign_up(client)
    client.post(_confirmation_link(mail.outbox[0]))
    client.logout()

    response = client.post(
        f"{reverse('account_login')}?next={NEXT}",
        {"login": "ada@example.org", "password": PASSWORD, "next": NEXT},
    )

    assert response.status_code == 302
    assert response["Location"] == NEXT


def test_confirmation_email_is_branded_with_an_html_part(client):
    _sign_up(client)
    message = mail.outbox[0]

    assert message.subject.startswith("Kokous: ")
    assert "127.0.0.1" not in message.subject
    assert message.body.startswith("Hello from Kokous!")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert 'lang="en"' in html
    assert _confirmation_link(message) in html


def test_confirmation_email_speaks_the_persons_language(client):
    _sign_up(client, language="fi")
    message = mail.outbox[0]

    assert message.subject.startswith("Kokous: ")
    assert "Hello from" not in message.body
    [(html, _mimetype)] = message.alternatives
    assert 'lang="fi"' in html
