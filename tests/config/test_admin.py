"""The admin is composed in one place: config/admin.py, from the apps' mixins."""

import ast
from pathlib import Path

from allauth.mfa.models import Authenticator
from django.contrib import admin

from accounts.admin import AuthenticatorAdmin
from config import admin as composed
from events import admin as schedule_admin
from events.models import Event, Session
from notifications.admin import EventAdminNotificationsMixin
from registrations.admin import (
    EventAdminRegistrationsMixin,
    SessionAdminRegistrationsMixin,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "config", "events", "notifications", "registrations"]


def test_event_and_session_admins_are_the_composed_ones():
    event_admin = type(admin.site.get_model_admin(Event))
    session_admin = type(admin.site.get_model_admin(Session))

    assert (event_admin, session_admin) == (composed.EventAdmin, composed.SessionAdmin)
    assert event_admin.__bases__ == (
        EventAdminNotificationsMixin,
        EventAdminRegistrationsMixin,
        composed.TranslatedAdmin,
        schedule_admin.EventAdmin,
    )
    assert session_admin.__bases__ == (
        SessionAdminRegistrationsMixin,
        composed.TranslatedAdmin,
        schedule_admin.SessionAdmin,
    )


def test_no_app_unregisters_or_changes_another_apps_admin():
    calls = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Attribute) and node.attr in {
                    "unregister",
                    "get_model_admin",
                    "_registry",
                }:
                    calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    # config/admin.py alone replaces a third-party admin (allauth's second factors).
    assert [call.split(":")[0] for call in calls] == ["config/admin.py"]


def test_the_second_factor_admin_is_ours():
    assert type(admin.site.get_model_admin(Authenticator)) is AuthenticatorAdmin
