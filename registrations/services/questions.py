"""The default question set every new event starts with.

Built-in questions carry a stable `key` so code can find them (the participant list
reads the consent answer, exports and counts name the organisation column) while
organisers stay free to reword, reorder or delete them.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Question

ORGANISATION = "organisation"
COUNTRY = "country"
DIETARY = "dietary"
ACCESSIBILITY = "accessibility"
PARTICIPANT_LIST_CONSENT = "participant_list_consent"

# Kept as plain English source strings: they become the event's own data, which the
# organiser then edits; translating here would freeze one request's language into it.
DIETARY_CHOICES = [
    "Vegetarian",
    "Vegan",
    "Gluten-free",
    "Lactose-free",
    "Nut allergy",
    "Other (please tell the organisers)",
]


def default_questions() -> list[dict]:
    """The built-in questions as field dicts, in display order."""
    return [
        {
            "key": ORGANISATION,
            "label": _("Organisation"),
            "help_text": _("Your university or other organisation."),
            "kind": Question.Kind.SHORT_TEXT,
            "required": True,
        },
        {
            "key": COUNTRY,
            "label": _("Country"),
            "kind": Question.Kind.COUNTRY,
            "required": False,
        },
        {
            "key": DIETARY,
            "label": _("Dietary requirements"),
            "help_text": _("Shared only with the organisers and the caterer."),
            "kind": Question.Kind.MULTIPLE_CHOICE,
            "choices": DIETARY_CHOICES,
            "is_sensitive": True,
        },
        {
            "key": ACCESSIBILITY,
            "label": _("Accessibility needs"),
            "help_text": _(
                "Anything that helps us make the event work for you. Shared only "
                "with the organisers."
            ),
            "kind": Question.Kind.LONG_TEXT,
            "is_sensitive": True,
        },
        {
            "key": PARTICIPANT_LIST_CONSENT,
            "label": _("Show my name and organisation on the participant list"),
            "help_text": _(
                "The list is public only if the organisers publish it for this event."
            ),
            "kind": Question.Kind.YES_NO,
        },
    ]


def create_default_questions(event) -> list[Question]:
    """Add the built-in questions `event` does not have yet; returns the new ones.

    Idempotent by `Question.key`: running it again, or after an organiser deleted
    or reworded one, adds only keys the event lacks (a deleted one comes back only
    if called again, which the admin does only when the event is created).
    """
    with transaction.atomic():
        existing = set(
            Question.objects.filter(event=event)
            .exclude(key="")
            .values_list("key", flat=True)
        )
        last = (
            Question.objects.filter(event=event)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        position = (last or 0) + 1
        created = []
        for fields in default_questions():
            if fields["key"] in existing:
                continue
            created.append(
                Question.objects.create(event=event, position=position, **fields)
            )
            position += 1
    return created
