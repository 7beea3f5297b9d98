"""Where things happen: venues (a campus building) and their rooms."""

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

COORDINATES_MESSAGE = _("Give both latitude and longitude, or neither.")


class OneMessagePerRule:
    """A uniqueness of a translated field holds for the original column and for
    each language's (modeltranslation adds a constraint per language): a clash
    is told once, not once per column."""

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            raise ValidationError(
                {
                    field: list(dict.fromkeys(messages))
                    for field, messages in error.message_dict.items()
                }
            ) from error


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_url = models.URLField(_("map link"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_both_or_neither",
                violation_error_message=COORDINATES_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name

    @property
    def one_line_address(self) -> str:
        return ", ".join(
            part for part in (self.name, self.address, self.city, self.country) if part
        )


class Room(OneMessagePerRule, models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility_note = models.CharField(
        _("accessibility note"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="room_name_unique_per_venue",
                violation_error_message=_(
                    "This venue already has a room of that name."
                ),
            ),
        ]

    def __str__(self):
        return self.name
