"""Setting an event up for registration: a new event with the built-in questions,
a copy of last year's with its types and questions, the registration rules, and
the event's registration types and questions one by one.

The organiser area calls these; each owns its transaction. Capacity and quota
changes go through `capacity`, so that people waiting move up when places grow.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from accounts.models import User
from events import services as event_services
from events.models import Event

from ..models import Question, RegistrationType
from . import RegistrationError
from .capacity import change_event_capacity, change_type_quota
from .questions import create_default_questions

# The event's own fields that the registration rules are made of.
RULE_FIELDS = {
    "registration_opens_at", "registration_closes_at", "modification_deadline",
    "capacity", "waitlist_enabled", "waitlist_mode", "offer_hours",
    "approval_required", "substitutes_need_approval", "reminder_hours_before",
    "session_reminder_minutes",
}  # fmt: skip
TYPE_FIELDS = {
    "name", "description", "quota", "sale_starts_at", "sale_ends_at",
    "invitation_only", "fee_note", "position",
    *get_translation_fields("name", "description"),
}  # fmt: skip
QUESTION_FIELDS = {
    "label", "help_text", "kind", "choices", "required", "position", "is_sensitive",
    *get_translation_fields("label", "help_text", "choices"),
}  # fmt: skip


def start_event(*, actor: User | None = None, **fields) -> Event:
    """A new event with `actor` as its owner, asking the built-in questions."""
    with transaction.atomic():
        event = event_services.create_event(actor=actor, **fields)
        create_default_questions(event)
    return event


def copy_event(
    *,
    source: Event,
    starts_at: datetime,
    slug: str,
    title: str,
    actor: User | None = None,
) -> Event:
    """events' copy of `source` (settings, venue, tracks, dates moved) with its
    registration types and questions; sale windows move as the event's dates do."""
    with transaction.atomic():
        event = event_services.copy_event(
            source=source, starts_at=starts_at, slug=slug, title=title, actor=actor
        )
        new_types = {}
        for old in RegistrationType.objects.filter(event=source):
            fields = {name: getattr(old, name) for name in TYPE_FIELDS}
            for name in ("sale_starts_at", "sale_ends_at"):
                fields[name] = event_services.moved(
                    fields[name], source=source, copy=event
                )
            new_types[old.pk] = RegistrationType.objects.create(event=event, **fields)
        for original in Question.objects.filter(event=source).prefetch_related(
            "registration_types"
        ):
            fields = {name: getattr(original, name) for name in QUESTION_FIELDS}
            question = Question.objects.create(event=event, key=original.key, **fields)
            question.registration_types.set(
                [new_types[t.pk] for t in original.registration_types.all()]
            )
    return event


def change_registration_rules(
    *, event: Event, actor: User | None = None, **fields
) -> Event:
    """Change the event's registration rules; a larger capacity promotes at once."""
    unknown = set(fields) - RULE_FIELDS
    if unknown:
        raise TypeError(f"unknown registration rules: {sorted(unknown)}")
    capacity = fields.pop("capacity", ...)
    with transaction.atomic():
        if fields:
            event = event_services.update_event(event=event, actor=actor, **fields)
        if capacity is not ... and capacity != event.capacity:
            change_event_capacity(event=event, capacity=capacity, actor=actor)
    event.refresh_from_db()
    return event


def save_registration_type(
    *,
    event: Event,
    registration_type: RegistrationType | None = None,
    actor: User | None = None,
    **fields,
) -> RegistrationType:
    """Add a registration type to `event`, or change one; a larger quota promotes."""
    unknown = set(fields) - TYPE_FIELDS
    if unknown:
        raise TypeError(f"unknown registration type fields: {sorted(unknown)}")
    if registration_type is not None and registration_type.event_id != event.pk:
        raise RegistrationError(_("This registration type belongs to another event."))
    with transaction.atomic():
        # From the database, not the caller's object (a form may have changed it
        # already): the quota it holds now decides whether places grew.
        current = (
            RegistrationType.objects.get(pk=registration_type.pk)
            if registration_type is not None and registration_type.pk
            else RegistrationType(event=event)
        )
        quota = fields.pop("quota", current.quota)
        is_new = current.pk is None
        for name, value in fields.items():
            setattr(current, name, value)
        if is_new:
            current.quota = quota
        current.full_clean()
        current.save()
        if not is_new and quota != current.quota:
            current = change_type_quota(
                registration_type=current, capacity=quota, actor=actor
            )
    return current


def delete_registration_type(*, registration_type: RegistrationType) -> None:
    """Delete a type nobody registered or was invited with (else: refused)."""
    with transaction.atomic():
        if (
            registration_type.registrations.exists()
            or registration_type.invitations.exists()
        ):
            raise RegistrationError(
                _(
                    "People have registered or been invited with this type: it "
                    "cannot be deleted. Take it off sale instead."
                )
            )
        registration_type.delete()


def save_question(
    *,
    event: Event,
    question: Question | None = None,
    registration_types=None,
    **fields,
) -> Question:
    """Add a question to `event`, or change one. `registration_types` (this
    event's; empty: asked of everyone) replaces the types it is asked of."""
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    question = question or Question(event=event)
    if question.event_id != event.pk:
        raise RegistrationError(_("This question belongs to another event."))
    for name, value in fields.items():
        setattr(question, name, value)
    if question.kind in Question.CHOICE_KINDS and not question.choices:
        raise ValidationError({"choices": _("Give at least one choice.")})
    if question.kind not in Question.CHOICE_KINDS:
        question.choices = []
    types = list(registration_types or [])
    if any(t.event_id != event.pk for t in types):
        raise RegistrationError(_("Choose registration types of this event."))
    with transaction.atomic():
        question.full_clean()
        question.save()
        if registration_types is not None:
            question.registration_types.set(types)
    return question


def delete_question(*, question: Question) -> None:
    """Delete a question nobody has answered yet (else: refused)."""
    with transaction.atomic():
        if question.answers.exists():
            raise RegistrationError(
                _(
                    "People have answered this question: it cannot be deleted. "
                    "Make it optional or reword it instead."
                )
            )
        question.delete()
