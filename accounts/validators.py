"""Typed text holds no control characters.

A name or answer is shown on pages, in lists, badges, exports and emails. C0 and C1
control characters (and Unicode's noncharacters) are invisible there at best; in a
page they make the HTML invalid, in a spreadsheet they can hide a formula. Text
fields refuse them with a form error, rather than storing what nobody can see.
Multi-line fields (textareas) keep tab and line breaks.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17)
)
# C0, DEL and C1; tab (09), line feed (0A) and carriage return (0D) apart.
_CONTROLS_BUT_LINE_BREAKS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_ANY_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_NONCHARACTERS}]")
_CONTROL_IN_MULTI_LINE = re.compile(f"[{_CONTROLS_BUT_LINE_BREAKS}{_NONCHARACTERS}]")


@deconstructible
class ControlCharacterValidator:
    """Refuses control characters; `multi_line` allows tab and line breaks."""

    message = _(
        "This text holds an invisible control character: please type it again "
        "without it."
    )
    code = "control_character"

    def __init__(self, *, multi_line: bool = False):
        self.multi_line = multi_line

    def __call__(self, value) -> None:
        pattern = _CONTROL_IN_MULTI_LINE if self.multi_line else _ANY_CONTROL
        if isinstance(value, str) and pattern.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, ControlCharacterValidator)
            and other.multi_line == self.multi_line
        )


validate_single_line = ControlCharacterValidator()
validate_multi_line = ControlCharacterValidator(multi_line=True)


def refuse_control_characters(fields) -> None:
    """Give every text field in `fields` (a form's) the validator for its widget.

    Passwords are left alone: they are never shown, and one set before would no
    longer be accepted.
    """
    for field in fields.values():
        if not isinstance(field, forms.CharField) or isinstance(
            field.widget, forms.PasswordInput
        ):
            continue
        validator = (
            validate_multi_line
            if isinstance(field.widget, forms.Textarea)
            else validate_single_line
        )
        if validator not in field.validators:
            field.validators.append(validator)
