"""Printing name badges: for whom, on which sheets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlainTextMixin
from registrations.badges import DEFAULT_LAYOUT, LAYOUTS

CONFIRMED, LISTED = "confirmed", "listed"


class BadgeForm(forms.Form):
    """What the badges PDF is asked for, from the query string."""

    who = forms.ChoiceField(
        label=_("Badges for"),
        choices=[
            (CONFIRMED, _("Everyone confirmed")),
            (LISTED, _("The registrations listed, except cancelled or declined ones")),
        ],
        initial=CONFIRMED,
        widget=forms.RadioSelect,
    )
    layout = forms.ChoiceField(
        label=_("Sheets"),
        choices=[(key, layout.label) for key, layout in LAYOUTS.items()],
        initial=DEFAULT_LAYOUT,
        widget=forms.RadioSelect,
    )
    cut_lines = forms.BooleanField(
        label=_("Cutting lines"),
        required=False,
        initial=True,
        help_text=_(
            "Dashed lines round each badge, to cut plain paper. Leave them off "
            "for sheets of ready-cut badges."
        ),
    )


class LayoutForm(forms.Form):
    """One badge's sheet, from the query string; the first layout by default."""

    layout = forms.ChoiceField(
        choices=[(key, layout.label) for key, layout in LAYOUTS.items()],
        required=False,
    )

    def chosen(self):
        return LAYOUTS[self.cleaned_data.get("layout") or DEFAULT_LAYOUT]


class SortNameForm(PlainTextMixin, forms.Form):
    sort_name = forms.CharField(
        label=_("Name as it sorts"),
        max_length=200,
        required=False,
        help_text=_(
            "Badges are printed in this order, such as “van Dijk”. Empty: the "
            "last word of the name. It is the person's own setting, in every event."
        ),
    )
