"""Benchmark: 450 confirmations through one Celery worker to a local SMTP server.

Not a test: run on demand (`.venv/bin/python bench/notifications.py`). Needs
PostgreSQL at 127.0.0.1:5432 (user postgres) and redis-server on PATH; starts its
own Redis, aiosmtpd server and worker on free ports, and uses its own database
(kokous_bench_notifications, recreated each run). Target: every message arrives
within 30 s of the last registration. Exit status 1 when it doesn't.
"""

import contextlib
import os
import sys
import time
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
COUNT = int(os.environ.get("BENCH_COUNT", "450"))
TARGET_SECONDS = 30
DB_NAME = "kokous_bench_notifications"
UNUSABLE = "!"  # Django's marker for "no password": nobody can sign in


def main() -> int:
    harness.recreate_database(DB_NAME, force=True)
    from tests.notifications.infra import free_port

    redis_port = free_port()
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "LOG_LEVEL": "ERROR",
        "KOKOUS_TEST_WORKER_LOGLEVEL": "INFO",
    }
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from notifications.models import Message
    from notifications.services.outbox import publish
    from tests.factories import EventFactory, RegistrationFactory, SessionFactory
    from tests.notifications.helpers import confirmed_details, record
    from tests.notifications.infra import RedisServer, Worker, smtp_server, wait_for

    call_command("migrate", verbosity=0)
    redis = RedisServer(redis_port).start()
    with smtp_server() as (inbox, smtp_port):
        # One worker, as deployed: the prefork pool with a process per core.
        worker = Worker(broker_url=redis.url, smtp_port=smtp_port, processes=2).start()
        try:
            wait_for(
                lambda: "ready." in Path(worker.log.name).read_text(),
                60,
                "the worker to start",
            )
            event = EventFactory(title="Spring Forum", contact_email="f@example.org")
            sessions = [SessionFactory(event=event) for _ in range(2)]
            # People exist before they register (and hashing 450 passwords would
            # measure the hasher): unusable passwords, one bulk insert.
            people = User.objects.bulk_create(
                User(
                    email=f"bench{n}@example.org", name=f"Person {n}", password=UNUSABLE
                )
                for n in range(COUNT)
            )

            started = time.monotonic()
            for person in people:
                with transaction.atomic():
                    registration = RegistrationFactory(event=event, attendee=person)
                record(
                    "confirmed",
                    event=event,
                    registration=registration,
                    details=confirmed_details(*sessions),
                )
            last_registration = time.monotonic()
            arrivals = []
            seen = 0

            def all_arrived():
                nonlocal seen
                if len(inbox.received) > seen:
                    arrivals.append((time.monotonic(), len(inbox.received)))
                    seen = len(inbox.received)
                return seen >= COUNT

            with contextlib.suppress(AssertionError):  # reported below
                wait_for(all_arrived, 120, f"{COUNT} messages", interval=0.02)
            last_arrival = arrivals[-1][0] if arrivals else time.monotonic()
            time.sleep(1)
            received = len(inbox.received)
            unique = len({str(m["To"]) for m in inbox.received})
            sent = Message.objects.filter(status="sent").count()

            # The worker alone: a backlog of COUNT copies, published at once.
            copies = Message.objects.bulk_create(
                Message(
                    key=f"bench-copy:{m.pk}",
                    kind=m.kind,
                    to_email=m.to_email,
                    subject=m.subject,
                    body_text=m.body_text,
                    body_html=m.body_html,
                    ics_attachment=m.ics_attachment,
                    ics_filename=m.ics_filename,
                    reply_to=m.reply_to,
                    event_id=m.event_id,
                )
                for m in Message.objects.all()
            )
            backlog_started = time.monotonic()
            publish([c.pk for c in copies])
            wait_for(
                lambda: len(inbox.received) >= received + len(copies),
                120,
                "the backlog",
                interval=0.02,
            )
            drain = time.monotonic() - backlog_started
        finally:
            worker.stop()
            redis.stop()

    registering = last_registration - started
    after_last = last_arrival - last_registration
    delivering = last_arrival - started
    print(
        f"registrations: {COUNT} in {registering:.1f} s "
        f"({COUNT / registering:.0f}/s, each committing and queuing its composition)"
    )
    print(
        f"received over SMTP: {received} ({unique} distinct recipients); "
        f"outbox sent: {sent}"
    )
    print(
        f"throughput: {received / delivering:.0f} messages/s through one worker "
        f"(first registration to last arrival {delivering:.1f} s)"
    )
    print(
        f"last message arrived {after_last:.1f} s after the last registration "
        f"(target: within {TARGET_SECONDS} s)"
    )
    print(
        f"worker alone: a backlog of {COUNT} delivered in {drain:.1f} s "
        f"({COUNT / drain:.0f} messages/s)"
    )
    ok = received == unique == sent == COUNT and after_last <= TARGET_SECONDS
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
