"""The sign-in page's link to sign-up says so in every language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "sign up"),
        ("fi", "luo tili"),
        ("sv", "registrera dig"),
    ],
)
def test_login_page_link_to_sign_up_reads_as_sign_up(client, language, text):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=language)

    page = BeautifulSoup(response.content, "html.parser")
    link = page.find("a", href=reverse("account_signup"))
    assert link.get_text(strip=True) == text
    assert "logga in" not in link.parent.get_text().lower()
