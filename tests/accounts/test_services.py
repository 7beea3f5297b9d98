"""People by email address: one rule for comparing addresses, one way to find or
make an account."""

import pytest

from accounts.models import User, normalise_email
from accounts.services import find_or_create_person, find_person, same_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  Ada@Example.ORG ", "ada@example.org"),
        ("ada@example.org", "ada@example.org"),
        ("ADA", "ada"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_email_strips_and_lower_cases_the_whole_address(given, stored):
    assert normalise_email(given) == stored


def test_same_email_ignores_case_and_surrounding_space():
    assert same_email(" Ada@Example.org", "ada@example.ORG ") is True
    assert same_email("ada@example.org", "ada@example.com") is False
    assert same_email(None, "") is True


def test_the_manager_stores_addresses_by_the_same_rule():
    assert User.objects.create_user(email=" Bo@Example.ORG ").email == "bo@example.org"
    with pytest.raises(ValueError, match="required"):
        User.objects.create_user(email="   ")


def test_find_person_matches_any_case():
    ada = UserFactory(email="ada@example.org")
    # An address stored before the rule, in mixed case, is found too.
    User.objects.filter(pk=ada.pk).update(email="Ada@Example.org")

    assert find_person(" ADA@example.ORG ") == ada
    assert find_person("nobody@example.org") is None


def test_find_or_create_person_makes_an_account_without_a_usable_password():
    person, created = find_or_create_person(
        email=" New@Example.org ", name=" Nea New ", affiliation=" Aalto "
    )

    assert created is True
    assert (person.email, person.name, person.affiliation) == (
        "new@example.org",
        "Nea New",
        "Aalto",
    )
    assert person.has_usable_password() is False


def test_find_or_create_person_with_a_password_can_sign_in():
    person, created = find_or_create_person(
        email="pw@example.org", name="Pia", password="correct horse battery staple"
    )

    assert created is True
    assert person.check_password("correct horse battery staple") is True


def test_find_or_create_person_fills_only_gaps_of_an_existing_account():
    named = UserFactory(email="named@example.org", name="Own Name", affiliation="")

    person, created = find_or_create_person(
        email="NAMED@example.org", name="Other Name", affiliation="KTH"
    )

    assert (created, person.pk) == (False, named.pk)
    named.refresh_from_db()
    assert (named.name, named.affiliation) == ("Own Name", "KTH")
    assert User.objects.count() == 1
