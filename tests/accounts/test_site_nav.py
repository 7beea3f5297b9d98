"""The header's navigation is rendered once per language and set of links; each
page still gets its own CSRF token and path in it."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.templatetags import site_nav
from events.models import EventOrganiser
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_path_is_put_in_both_places(client):
    response = client.get("/", {"q": '"<b>&'})
    html = response.content.decode()
    path = response.wsgi_request.get_full_path()

    assert path == "/?q=%22%3Cb%3E%26"
    assert f'?next={quote(path)}"' in html  # the sign-in link, URL-encoded
    assert f'name="next" value="{escape(path)}"' in html  # the language form


def test_each_page_gets_a_working_csrf_token(client):
    client = client.__class__(enforce_csrf_checks=True)
    page = client.get("/")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64]
    assert site_nav.CSRF not in page.content.decode()

    response = client.post(
        reverse("set_language"),
        {"language": "fi", "next": "/", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302


def test_links_follow_the_person_and_language(client):
    site_nav._rendered.cache_clear()
    assert "Sign in" in client.get("/").content.decode()
    person = UserFactory()
    client.force_login(person)
    signed_in = client.get("/").content.decode()
    assert "Sign out" in signed_in
    assert reverse("organise:index") not in signed_in

    EventOrganiser.objects.create(event=EventFactory(), user=person, role="owner")
    organiser = client.get("/").content.decode()
    finnish = client.get("/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()

    assert reverse("organise:index") in organiser
    assert "Kirjaudu ulos" in finnish
    assert site_nav._rendered.cache_info().currsize == 4
