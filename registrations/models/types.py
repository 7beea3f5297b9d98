"""Registration types and the questions they ask."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import OneMessagePerRule


class RegistrationType(OneMessagePerRule, models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registration_types"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    quota = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    sale_starts_at = models.DateTimeField(_("available from"), null=True, blank=True)
    sale_ends_at = models.DateTimeField(_("available until"), null=True, blank=True)
    invitation_only = models.BooleanField(_("by invitation only"), default=False)
    fee_note = models.CharField(_("fee (information only)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="type_name_unique_per_event"
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(quota__gte=1),
                name="type_quota_positive",
            ),
            models.CheckConstraint(
                condition=Q(sale_starts_at__isnull=True)
                | Q(sale_ends_at__isnull=True)
                | Q(sale_ends_at__gt=F("sale_starts_at")),
                name="type_sale_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def is_on_sale(self, now=None) -> bool:
        return sale_is_open(self.sale_starts_at, self.sale_ends_at, now)

    def sale_window(self) -> tuple:
        """What decides whether anyone may choose the type on the form, when."""
        return (self.pk, self.invitation_only, self.sale_starts_at, self.sale_ends_at)


def sale_is_open(starts_at, ends_at, now=None) -> bool:
    """Within a type's sale window (either end may be open)."""
    now = now or timezone.now()
    if starts_at and now < starts_at:
        return False
    return not (ends_at and now >= ends_at)


def open_on_the_form(windows, now=None) -> tuple[int, ...]:
    """Ids of the types (as `sale_window()`s) that anyone may choose on the
    registration form now: on sale and not by invitation only."""
    return tuple(
        pk
        for pk, invitation_only, starts, ends in windows
        if not invitation_only and sale_is_open(starts, ends, now)
    )


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        COUNTRY = "country", _("Country")
        DATE = "date", _("Date")

    # Answered by picking from the question's own `choices`, which it must have.
    CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})
    # Answered from a closed set, so answers can be counted and filtered by.
    CLOSED_KINDS = CHOICE_KINDS | {Kind.YES_NO, Kind.COUNTRY}

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="questions"
    )
    # A stable handle for built-in questions (organisation, country, dietary, ...).
    key = models.SlugField(_("key"), max_length=50, blank=True)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.SHORT_TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)
    # Empty: asked of every type.
    registration_types = models.ManyToManyField(
        RegistrationType, blank=True, related_name="questions"
    )
    # Health data (dietary, accessibility): only organisers whose role allows see it.
    is_sensitive = models.BooleanField(_("sensitive (health) data"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "key"],
                condition=~Q(key=""),
                name="question_key_unique_per_event",
            ),
        ]

    def __str__(self):
        return self.label

    def choice_pairs(self) -> list[tuple[str, str]]:
        """(stored value, label shown) for each choice. The stored value is the
        choice in the first language that has choices (settings order), so answers
        compare across languages; the label is the choice in the active language
        when its list matches that one in length."""
        values = next(
            (
                listed
                for code in settings.MODELTRANSLATION_LANGUAGES
                if (listed := getattr(self, f"choices_{code}", None))
            ),
            None,
        ) or list(self.__dict__.get("choices") or [])
        labels = self.choices or []
        if len(labels) != len(values):
            labels = values
        return list(zip(values, labels, strict=True))
