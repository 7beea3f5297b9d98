"""Dates and times in templates, through events/times.py: in the event's zone and
the active language's grammar.

    {{ event.starts_at|long_datetime:event }}  keskiviikkona 5. toukokuuta 2027 klo 9.00
    {{ session.starts_at|clock:event }}        9.00
    {{ day|long_day }}  {{ day|day_tab }}      for calendar days (dates)
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
def clock(moment, event) -> str:
    return times.show_time(moment, event)


@register.filter
def long_day(day) -> str:
    return times.long_day(day) if day else times.MISSING


@register.filter
def day_tab(day) -> str:
    return times.short_day(day) if day else times.MISSING
