"""Invitations to register, answered through a secret link."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..tokens import new_token
from .registration import Registration
from .types import RegistrationType


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        AWAITING_APPROVAL = "awaiting_approval", _("Substitute awaiting approval")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        SUBSTITUTED = "substituted", _("Passed to a substitute")
        REVOKED = "revoked", _("Withdrawn")

    OPEN_STATUSES = (Status.PENDING, Status.AWAITING_APPROVAL)

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="invitations"
    )
    registration_type = models.ForeignKey(
        RegistrationType, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    # Single use, bound to `email`: the link proves the address.
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    rsvp_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    reserves_seat = models.BooleanField(_("reserve a place"), default=False)
    # The organiser's own words, shown in the invitation above the link.
    message = models.TextField(_("personal message"), blank=True)
    # The invitee's language for every email about the invitation; empty: the
    # site's default language.
    language = models.CharField(_("language"), max_length=8, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )
    # The invitee's own words when declining (optional), for the organisers.
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["pending", "awaiting_approval"]),
                name="one_open_invitation_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.event}"

    # Not get_absolute_url: the admin's "view on site" redirects any staff account
    # there, and this link answers the invitation without signing in.
    def answer_path(self) -> str:
        """The secret invitation link's path; only ever given to the invitee."""
        return reverse("registrations:invitation", kwargs={"token": self.token})
