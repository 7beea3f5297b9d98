"""Times as people read them: in the event's own time zone, in the active language.

Every date and time a person reads (pages, emails, feed descriptions, refusals,
form choices, admin columns, timetables) is written here, with the Unicode CLDR's
patterns through Babel, so that day and month names come in the grammar of the
page's or message's language: "keskiviikkona 5. toukokuuta 2027" (the essive of
the day and the partitive of the month, as Finnish dates are written), "onsdag
5 maj 2027", "Wednesday 5 May 2027". Files for machines (exports, their names)
use the same zone with fixed, language-free formats.
"""

from datetime import date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from django.conf import settings
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import get_language

from .models import Event

# Babel's locale for each language of the site: its English is British
# ("5 May", 24-hour clock).
BABEL_LOCALES = {"en": "en_GB", "fi": "fi", "sv": "sv"}
# The long date of running text and headings.
LONG_DATE = {"fi": "EEEE d. MMMM y"}
LONG_DATE_DEFAULT = "EEEE d MMMM y"  # sv, en
# CLDR skeletons: weekday, day and abbreviated month, with or without the year.
SHORT_DAY = "MMMEd"  # "ke 5.5.", "ons 5 maj", "Wed 5 May"
SHORT_DATE = "yMMMEd"  # "ke 5.5.2027", "ons 5 maj 2027", "Wed, 5 May 2027"
DAY_MONTH = "MMMd"  # "5.5.", "5 maj", "5 May": chart labels
# A long date with its clock time: CLDR's "atTime" forms, which Babel's data
# leaves out.
AT_TIME = {"fi": "{1} klo {0}", "sv": "{1} kl. {0}", "en_GB": "{1} at {0}"}
MACHINE = "%Y-%m-%d %H:%M"  # "2027-05-05 16:15", sorts as text
STAMP = "%Y%m%d-%H%M"  # "20270505-1615", for file names
MISSING = "–"


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of `language`, by default the active one."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return BABEL_LOCALES.get(code, BABEL_LOCALES["en"])


@lru_cache
def _patterns(locale: str) -> tuple[str, str, str, bool, str]:
    """(short day, short date, date-and-time glue, zero-padded hour, clock
    separator) of a locale, read once from CLDR."""
    data = Locale.parse(locale)
    clock = data.time_formats["short"].pattern  # "H.mm", "HH:mm"
    hours = clock[: len(clock) - len(clock.lstrip("H"))]
    return (
        data.datetime_skeletons[SHORT_DAY].pattern,
        data.datetime_skeletons[SHORT_DATE].pattern,
        data.datetime_formats["medium"],
        len(hours) == 2,
        clock[len(hours)],
    )


def local_time(moment: datetime, event: Event) -> datetime:
    """`moment` on the clocks of the event's time zone."""
    return localtime(moment, event.tzinfo)


def _clock(local: datetime, locale: str, *, seconds: bool = False) -> str:
    # Timetables show thousands of times: plain formatting, not Babel's parser.
    _day, _date, _glue, padded, separator = _patterns(locale)
    hour = f"{local.hour:02d}" if padded else str(local.hour)
    shown = f"{hour}{separator}{local.minute:02d}"
    return f"{shown}{separator}{local.second:02d}" if seconds else shown


def _with_clock(
    local: datetime, pattern: str, locale: str, *, seconds: bool = False
) -> str:
    glue = _patterns(locale)[2]
    shown = format_datetime(local, pattern, tzinfo=local.tzinfo, locale=locale)
    clock = _clock(local, locale, seconds=seconds)
    return glue.replace("{1}", shown).replace("{0}", clock)


def clock_of(local: datetime) -> str:
    """A time already on the right clock, as the language writes it (the hour
    lines of a timetable): "9.00", "09:00"."""
    return _clock(local, babel_locale())


def show_datetime(moment: datetime | None, event: Event) -> str:
    """ "ke 5.5.2027 16.15", "ons 5 maj 2027 16:15", "Wed, 5 May 2027, 16:15"."""
    if moment is None:
        return MISSING
    locale = babel_locale()
    return _with_clock(local_time(moment, event), _patterns(locale)[1], locale)


def show_day_time(moment: datetime | None, event: Event) -> str:
    """Within the event's days the year goes without saying: "ke 5.5. 16.15"."""
    if moment is None:
        return MISSING
    locale = babel_locale()
    return _with_clock(local_time(moment, event), _patterns(locale)[0], locale)


def show_day_time_seconds(moment: datetime | None, event: Event) -> str:
    """To the second, for scans and logs: "ke 5.5. 16.15.30"."""
    if moment is None:
        return MISSING
    locale = babel_locale()
    local = local_time(moment, event)
    return _with_clock(local, _patterns(locale)[0], locale, seconds=True)


def show_date(moment: datetime | None, event: Event) -> str:
    """The short date with the year, no clock: "ke 5.5.2027", "ons 5 maj 2027"."""
    if moment is None:
        return MISSING
    return short_date(local_time(moment, event).date())


def home_zone() -> tzinfo:
    """The zone for times that belong to no event (a personal feed's last
    fetch): the zone activated for the request, else the site's default event
    zone."""
    current = get_current_timezone()
    if str(current) != settings.TIME_ZONE:
        return current
    return ZoneInfo(settings.DEFAULT_EVENT_TIMEZONE)


def show_home_datetime(moment: datetime | None) -> str:
    """A moment of no event in `home_zone()`: "ke 5.5.2027 16.15"."""
    if moment is None:
        return MISSING
    locale = babel_locale()
    local = localtime(moment, home_zone())
    return _with_clock(local, _patterns(locale)[1], locale)


def show_span(starts_at: datetime, ends_at: datetime, event: Event) -> str:
    """A session's time as a choice names it: "Wed 5 May, 16:15–17:30"."""
    return f"{show_day_time(starts_at, event)}–{show_time(ends_at, event)}"


def show_time(moment: datetime | None, event: Event) -> str:
    """The clock time alone, as the language writes it: "16.15", "16:15"."""
    if moment is None:
        return MISSING
    return _clock(local_time(moment, event), babel_locale())


def show_long_date(moment: datetime | None, event: Event) -> str:
    """ "keskiviikkona 5. toukokuuta 2027", "onsdag 5 maj 2027"."""
    if moment is None:
        return MISSING
    return long_day(local_time(moment, event).date())


def show_long_datetime(moment: datetime | None, event: Event) -> str:
    """The long date with the clock: "keskiviikkona 5. toukokuuta 2027 klo 16.15"."""
    if moment is None:
        return MISSING
    local = local_time(moment, event)
    locale = babel_locale()
    glue = AT_TIME.get(locale) or Locale.parse(locale).datetime_formats["full"]
    return glue.replace("{1}", long_day(local.date())).replace(
        "{0}", _clock(local, locale)
    )


def long_day(day: date) -> str:
    """A calendar day in the long form (headings of days)."""
    locale = babel_locale()
    pattern = LONG_DATE.get(locale, LONG_DATE_DEFAULT)
    return format_date(day, pattern, locale=locale)


def short_day(day: date) -> str:
    """A calendar day in the short form (day tabs): "ke 5.5.", "ons 5 maj"."""
    locale = babel_locale()
    return format_date(day, _patterns(locale)[0], locale=locale)


def short_date(day: date) -> str:
    """A calendar day with its year: "ke 5.5.2027", "ons 5 maj 2027"."""
    locale = babel_locale()
    return format_date(day, _patterns(locale)[1], locale=locale)


def day_month(day: date) -> str:
    """Day and month alone (chart axes): "5.5.", "5 maj", "5 May"."""
    locale = babel_locale()
    return format_date(
        day, Locale.parse(locale).datetime_skeletons[DAY_MONTH], locale=locale
    )


def machine_time(moment: datetime | None, event: Event) -> str:
    """For files that programs read: the same in every language; "" for none."""
    if moment is None:
        return ""
    return local_time(moment, event).strftime(MACHINE)


def file_stamp(moment: datetime, event: Event) -> str:
    return local_time(moment, event).strftime(STAMP)
