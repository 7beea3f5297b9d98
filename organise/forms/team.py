"""The event's team: inviting a colleague by address, changing a role."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import EventOrganiser

ROLE_HELP = _(
    "Owners may do everything, including the team and the settings; editors "
    "change the programme, registrations and messages; check-in staff work the "
    "door."
)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Used only if they have no account yet."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=EventOrganiser.Role.choices,
        initial=EventOrganiser.Role.EDITOR,
        help_text=ROLE_HELP,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=EventOrganiser.Role.choices)
