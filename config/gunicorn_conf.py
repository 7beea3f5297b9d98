"""gunicorn's settings, for the web service and the embedded `make run`.

Threads (gthread): a request waiting for a database lock holds one thread, not a
whole process, so /healthz and the other pages keep answering meanwhile; every wait
ends after DB_LOCK_TIMEOUT with a "busy" page (config/errors.py). The number of
processes is each command's (--workers): the embedded server keeps one, because its
cache is in process memory.
"""

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
