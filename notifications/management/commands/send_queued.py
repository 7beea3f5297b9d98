"""Deliver every queued message that is due, in this process (no broker needed)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.models import Message
from notifications.services.delivery import deliver


class Command(BaseCommand):
    help = "Deliver the queued messages that are due now, in this process."

    def handle(self, *args, **options):
        due = Message.objects.due(timezone.now()).order_by("next_attempt_at", "pk")
        results = {}
        for pk in list(due.values_list("pk", flat=True)):
            outcome = deliver(message_id=pk)
            results[outcome] = results.get(outcome, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(results.items()))
        self.stdout.write(summary or "nothing due")
