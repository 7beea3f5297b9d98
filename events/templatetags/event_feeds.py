"""{% subscribe_box event %} and {% add_to_calendar session %}: feed links on pages."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from events import http, ical

register = template.Library()


@register.inclusion_tag("events/subscribe_box.html", takes_context=True)
def subscribe_box(context, event, filtered=False):
    """The subscribe box for the event's schedule feed.

    filtered=True carries the page's track/room/kind filters over to the feed.
    """
    request = context.get("request")
    params = request.GET if (filtered and request is not None) else None
    url = http.schedule_feed_url(event, params)
    name = _("%(title)s: schedule") % {"title": event.title}
    return {"links": http.subscribe_links(url, name)}


@register.simple_tag
def session_calendar_url(session) -> str:
    """The single-session .ics download ("Add to calendar")."""
    return ical.absolute_url(
        reverse(
            "events:session_feed",
            kwargs={"slug": session.event.slug, "session_uuid": session.uuid},
        )
    )
