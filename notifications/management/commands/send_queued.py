"""Deliver every queued message that is due, in this process (no broker needed)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.models import Message
from notifications.services.delivery import deliver
from notifications.services.pauses import resume_delivery


class Command(BaseCommand):
    help = "Deliver the queued messages that are due now, in this process."

    def add_arguments(self, parser):
        parser.add_argument(
            "--resume",
            action="store_true",
            help="end a delivery pause first (after fixing the mail settings)",
        )

    def handle(self, *args, resume, **options):
        if resume and resume_delivery():
            self.stdout.write("delivery resumed")
        due = Message.objects.due(timezone.now()).order_by("next_attempt_at", "pk")
        results = {}
        for pk in list(due.values_list("pk", flat=True)):
            outcome = deliver(message_id=pk)
            results[outcome] = results.get(outcome, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(results.items()))
        self.stdout.write(summary or "nothing due")
