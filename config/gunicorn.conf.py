"""Gunicorn's settings wherever the project runs it (the web service, the embedded
`make run`): `gunicorn config.wsgi -c config/gunicorn.conf.py --bind ...`.

Threads (gthread): a request waiting for a database lock holds one thread, not a
whole process, so /healthz and the other pages keep answering meanwhile; every wait
ends after DB_LOCK_TIMEOUT with a "busy" page (config/errors.py). The number of
processes is each command's (--workers): the embedded server keeps one, because its
cache is in process memory.

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

worker_class = "gthread"
threads = 8
# gthread's timeout watches the process, not a request: a request is bounded by the
# database timeouts (DB_LOCK_TIMEOUT, DB_STATEMENT_TIMEOUT = 20 s) instead.
timeout = 30
graceful_timeout = 20
# Connections wait here, not reset, while every thread is busy (runserver: 10).
backlog = 2048
# No runtime control socket: nothing uses gunicornc, and its default path is one per
# user, shared by every instance on the machine.
control_socket_disable = True
