"""Times on organiser pages, in the event's zone, through events/times.py."""

from django import template

from events.times import show_datetime, show_span

register = template.Library()


@register.simple_tag
def event_time(moment, event) -> str:
    return show_datetime(moment, event)


@register.simple_tag
def event_span(starts_at, ends_at, event) -> str:
    return show_span(starts_at, ends_at, event)
