"""Times as people read them: in the event's own time zone, in the active language.

Every time a person reads (refusals, form choices, admin columns, timetables)
is written here, with Django's date format characters, so that day and month
names come in the language of the page or message ("Wed", "ke", "ons"), never
in the server's English. Files for machines (exports, their names) use the
same zone with fixed, language-free formats.
"""

from datetime import datetime

from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.timezone import localtime

from .models import Event

# Django's date format characters: D day, d/j date with/without a leading zero,
# M month, Y year, H:i time.
DATE_TIME = "D j M Y H:i"  # "Wed 5 May 2027 16:15"
# Within the event's days the year goes without saying.
DAY_TIME = "D d M H:i"  # "Wed 05 May 16:15"
SPAN_START = "D j M H:i"  # "Wed 5 May 16:15", then "–17:30"
MACHINE = "Y-m-d H:i"  # "2027-05-05 16:15", sorts as text
STAMP = "Ymd-Hi"  # "20270505-1615", for file names
MISSING = "–"


def local_time(moment: datetime, event: Event) -> datetime:
    """`moment` on the clocks of the event's time zone."""
    return localtime(moment, event.tzinfo)


def show_datetime(moment: datetime | None, event: Event) -> str:
    return _show(moment, event, DATE_TIME)


def show_day_time(moment: datetime | None, event: Event) -> str:
    return _show(moment, event, DAY_TIME)


def show_span(starts_at: datetime, ends_at: datetime, event: Event) -> str:
    """A session's time as a choice names it: "Wed 5 May 16:15–17:30"."""
    return f"{_show(starts_at, event, SPAN_START)}–{show_time(ends_at, event)}"


def show_time(moment: datetime | None, event: Event) -> str:
    """The clock time alone. It has no words to translate, so it skips Django's
    formatter: timetables show thousands of them."""
    if moment is None:
        return MISSING
    return local_time(moment, event).strftime("%H:%M")


def _show(moment: datetime | None, event: Event, pattern: str) -> str:
    if moment is None:
        return MISSING
    return date_format(local_time(moment, event), pattern)


def machine_time(moment: datetime | None, event: Event) -> str:
    """For files that programs read: the same in every language; "" for none.

    MACHINE as strftime: exports write thousands, and it has no words to translate.
    """
    if moment is None:
        return ""
    return local_time(moment, event).strftime("%Y-%m-%d %H:%M")


def file_stamp(moment: datetime, event: Event) -> str:
    return dateformat.format(local_time(moment, event), STAMP)
