"""Counts of outbox messages by status, the oldest still queued, whether delivery
is paused, and the latest failures with the server's reply."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Min

from notifications.models import Message
from notifications.services.pauses import current_pause

LATEST_FAILURES = 10


class Command(BaseCommand):
    help = (
        "Show how many messages are queued, sending, sent and failed, whether "
        "delivery is paused, and why the latest failed."
    )

    def handle(self, *args, **options):
        counts = dict(
            Message.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        for status in Message.Status.values:
            self.stdout.write(f"{status}: {counts.get(status, 0)}")
        oldest = Message.objects.filter(status=Message.Status.QUEUED).aggregate(
            oldest=Min("created_at")
        )["oldest"]
        self.stdout.write(f"oldest queued: {oldest.isoformat() if oldest else '-'}")
        if pause := current_pause():
            self.stdout.write(
                f"delivery: paused until {pause.until.isoformat()} ({pause.error})"
            )
        else:
            self.stdout.write("delivery: running")
        failures = Message.objects.filter(status=Message.Status.FAILED).order_by("-pk")
        for message in failures[:LATEST_FAILURES]:
            self.stdout.write(
                f"failed #{message.pk} to {message.to_email}: {message.last_error}"
            )
