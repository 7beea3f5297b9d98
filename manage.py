#!/usr/bin/env python
import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line

from config import env

# Commands that only read the code and the migration state: nothing they do is
# signed, served or sent, so they run without a SECRET_KEY (on a bare clone,
# `manage.py makemigrations --check` works; everything else still refuses).
CODE_ONLY_COMMANDS = {
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "makemessages",
    "compilemessages",
    "help",
    "version",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] and sys.argv[1] in CODE_ONLY_COMMANDS:
        env.code_only_command = True
    try:
        settings.INSTALLED_APPS  # noqa: B018  (load the settings now)
    except ImproperlyConfigured as error:
        # A bad environment is the operator's to fix: one line, not a traceback.
        sys.exit(f"Configuration error: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
