"""Single sign-on is switched on from the environment, without code changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "uni",
                "name": "University login",
                "client_id": "kokous",
                "secret": "s3cret",
                "settings": {"server_url": "https://login.example.edu"},
            }
        ]
    }
}


def run_settings(**env):
    code = (
        "import django, json; django.setup();"
        "from django.conf import settings;"
        "print(json.dumps([settings.INSTALLED_APPS[-1], "
        "settings.SOCIALACCOUNT_PROVIDERS]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ
        | {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
        | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_openid_connect_switched_on_from_environment():
    result = run_settings(
        SOCIALACCOUNT_PROVIDERS_ENABLED="openid_connect",
        SOCIALACCOUNT_PROVIDERS_JSON=json.dumps(OIDC),
    )
    assert result.returncode == 0, result.stderr
    app, providers = json.loads(result.stdout)
    assert app == "allauth.socialaccount.providers.openid_connect"
    assert providers == OIDC


def test_bad_provider_json_refuses_to_start_with_one_line():
    result = run_settings(SOCIALACCOUNT_PROVIDERS_JSON="{not json")
    assert result.returncode != 0
    assert "SOCIALACCOUNT_PROVIDERS_JSON is not valid JSON" in result.stderr
