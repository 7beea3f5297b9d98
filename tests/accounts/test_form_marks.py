"""allauth's forms mark their required fields, and keep list help out of paragraphs."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
MARK = '<span class="required-mark">(required)</span>'


def test_the_sign_up_page_marks_its_required_fields(client):
    page = client.get(reverse("account_signup")).content.decode()

    labels = re.findall(r'<label for="(id_\w+)">(.*?)</label>', page, re.S)
    marked = {field for field, text in labels if MARK in text}
    assert marked == {"id_email", "id_name", "id_password1", "id_password2"}
    # The password rules are a list: not inside a paragraph.
    assert not re.search(r"<p>(?:(?!</p>).)*<ul", page, re.S)


def test_the_sign_in_page_marks_its_required_fields_only(client):
    page = client.get(reverse("account_login")).content.decode()

    labels = dict(re.findall(r'<label for="(id_\w+)"[^>]*>(.*?)</label>', page, re.S))
    assert labels["id_login"].endswith(MARK)
    assert labels["id_password"].endswith(MARK)
    assert MARK not in labels["id_remember"]
