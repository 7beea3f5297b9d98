"""Typed text refuses control characters: the validator, the account forms
(allauth's signup, the profile) and the admin's forms."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.models import User
from accounts.validators import validate_multi_line, validate_single_line
from tests.events.admin.test_admin import form_data
from tests.factories import SpeakerFactory, UserFactory

PASSWORD = "correct horse battery staple"
MESSAGE = (
    "This text holds an invisible control character: please type it again without it."
)
C0_AND_C1 = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
LINE_BREAKS_AND_TAB = ["\t", "\n", "\r"]
NONCHARACTERS = ["\ufdd0", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]


def refused(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError as error:
        assert error.messages == [MESSAGE]
        return True
    return False


def test_single_line_text_refuses_every_control_character_and_noncharacter():
    characters = C0_AND_C1 + NONCHARACTERS

    assert [c for c in characters if not refused(validate_single_line, f"A{c}B")] == []


def test_multi_line_text_keeps_tab_and_line_breaks_only():
    characters = C0_AND_C1 + NONCHARACTERS

    allowed = [c for c in characters if not refused(validate_multi_line, f"A{c}B")]

    assert allowed == LINE_BREAKS_AND_TAB


@pytest.mark.parametrize(
    "text",
    ["Åsa Ñúñez-Öberg", "李小龍", "O'Brien & Sons <x>", "👩‍🔬 Dr. Ada", "", "a\u00a0b"],
)
def test_ordinary_text_of_any_script_passes(text):
    assert (
        refused(validate_single_line, text),
        refused(validate_multi_line, text),
    ) == (
        False,
        False,
    )


@pytest.mark.django_db
def test_signup_refuses_a_name_with_a_control_character(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "eve@example.org", "name": "\x01=HYPERLINK(1)",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": [MESSAGE]}
    assert User.objects.filter(email="eve@example.org").exists() is False


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "affiliation"])
def test_profile_refuses_control_characters(field):
    user = UserFactory(name="Ada Lovelace", affiliation="Aalto")
    data = {"name": "Ada Lovelace", "affiliation": "Aalto", "country": "FI",
            "preferred_language": "en"}  # fmt: skip

    form = ProfileForm(data | {field: "Ada\x85 Lovelace"}, instance=user)

    assert form.errors == {field: [MESSAGE]}


@pytest.mark.django_db
def test_profile_keeps_an_ordinary_name():
    user = UserFactory(name="Ada Lovelace")

    form = ProfileForm(
        {"name": "Åsa  Öberg", "affiliation": "", "country": "",
         "preferred_language": "fi"},
        instance=user,
    )  # fmt: skip

    assert form.errors == {}
    assert form.cleaned_data["name"] == "Åsa Öberg"


@pytest.mark.django_db
def test_user_admin_refuses_a_name_with_a_control_character(admin_client):
    person = UserFactory(name="Ada Lovelace")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = admin_client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key in {"email", "name", "affiliation"}
    }
    data |= {"name": "\x1bAda", "preferred_language": "en", "is_active": "on",
             "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"}  # fmt: skip

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"name": [MESSAGE]}
    person.refresh_from_db()
    assert person.name == "Ada Lovelace"


@pytest.mark.django_db
def test_schedule_admin_refuses_a_speaker_name_with_a_control_character(admin_client):
    client = admin_client  # the admin is for superusers
    speaker = SpeakerFactory(name="Grace Hopper")
    url = reverse("admin:events_speaker_change", args=[speaker.pk])
    data = form_data(client.get(url)) | {"name": ["Grace\x07 Hopper"]}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"name": [MESSAGE]}
    speaker.refresh_from_db()
    assert speaker.name == "Grace Hopper"
