"""My schedule (/registrations/schedule/): a person's events, seats and
bookmarks by day, clashes flagged, printable, with their calendar feed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from events import ical
from events.http import subscribe_links

from ..selectors.my_schedule import my_schedule
from ..services.calendar import get_personal_calendar
from .calendar import feed_name


def personal_subscribe_links(user) -> dict:
    """The subscribe box's links for the person's own feed."""
    calendar = get_personal_calendar(user=user)
    return subscribe_links(ical.absolute_url(calendar.feed_path()), feed_name())


@login_required
@require_safe
@cache_control(private=True, no_store=True)  # it shows the secret feed link
def my_schedule_page(request):
    days = my_schedule(user=request.user, now=timezone.now())
    context = {
        "days": days,
        "clash_count": sum(
            1 for _day, items in days for item in items if item.clashes_with
        ),
        "links": personal_subscribe_links(request.user),
    }
    return render(request, "registrations/my_schedule.html", context)
