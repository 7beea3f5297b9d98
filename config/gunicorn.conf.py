"""Gunicorn's settings wherever the project runs it:
`gunicorn config.wsgi -c config/gunicorn.conf.py --bind ...`.

The access log names every URL asked for and the Referer of each request, and
some URLs are secret links. Every record of the master and of the workers (forked
from it) is redacted as it is made, as Django's own are (config/logging.py).
"""

import sys
from pathlib import Path

# Gunicorn reads this file by its path, before the project is on the import path.
PROJECT = str(Path(__file__).resolve().parent.parent)
if PROJECT not in sys.path:
    sys.path.insert(0, PROJECT)

from config.logging import install_redaction  # noqa: E402

install_redaction()

accesslog = "-"
