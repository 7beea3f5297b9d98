"""Counts of outbox messages by status and the oldest still queued."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Min

from notifications.models import Message


class Command(BaseCommand):
    help = "Show how many messages are queued, sending, sent and failed."

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
