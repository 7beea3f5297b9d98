"""Dates and times in templates, through events/times.py: in the event's zone and
the active language's grammar.

    {{ event.starts_at|long_datetime:event }}  keskiviikkona 5. toukokuuta 2027 klo 9.00
    {{ session.starts_at|clock:event }}        9.00
    {{ scan.scanned_at|day_time_seconds:event }}  ke 5.5. 9.00.12
    {{ day|long_day }}  {{ day|day_tab }}  {{ day|day_date }}  for calendar days
    {{ calendar.last_fetched_at|home_datetime }}  a time of no event
    {% event_span session.starts_at session.ends_at event %}  ke 5.5. 9.00–10.30
"""

from django import template

from events import times

register = template.Library()


@register.filter
def long_date(moment, event) -> str:
    return times.show_long_date(moment, event)


@register.filter
def long_datetime(moment, event) -> str:
    return times.show_long_datetime(moment, event)


@register.filter
def date_time(moment, event) -> str:
    return times.show_datetime(moment, event)


@register.filter
def day_time(moment, event) -> str:
    return times.show_day_time(moment, event)


@register.filter
def day_time_seconds(moment, event) -> str:
    return times.show_day_time_seconds(moment, event)


@register.filter
def short_date(moment, event) -> str:
    return times.show_date(moment, event)


@register.filter
def home_datetime(moment) -> str:
    """For times of no event (in `times.home_zone()`)."""
    return times.show_home_datetime(moment)


@register.filter
def clock(moment, event) -> str:
    return times.show_time(moment, event)


@register.filter
def long_day(day) -> str:
    return times.long_day(day) if day else times.MISSING


@register.filter
def day_tab(day) -> str:
    return times.short_day(day) if day else times.MISSING


@register.filter
def day_date(day) -> str:
    """A calendar day with its year: "ke 5.5.2027"."""
    return times.short_date(day) if day else times.MISSING


@register.simple_tag
def event_span(starts_at, ends_at, event) -> str:
    """A start and end in one: "ke 5.5. 9.00–10.30"."""
    return times.show_span(starts_at, ends_at, event)


@register.simple_tag
def home_zone() -> str:
    """The name of the zone `home_datetime` shows times in."""
    return str(times.home_zone())
