"""A comment's dates as readers see them, cheap enough for hundreds on a page.

"3 days ago" is what Django's timesince(depth=1) says, computed here without
its lazy translations and pivot dates: only the largest unit is shown, so
the years and months come from the calendar and the rest from the seconds.
tests/comments/test_dates.py holds it to timesince.
"""

import datetime
from functools import lru_cache

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import avoid_wrapping
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language

JUST_NOW = datetime.timedelta(minutes=1)
CHUNKS = (("week", 7 * 24 * 3600), ("day", 24 * 3600), ("hour", 3600), ("minute", 60))


@lru_cache(maxsize=512)
def _amount(unit: str, number: int, language: str | None) -> str:
    return avoid_wrapping(TIME_STRINGS[unit] % {"num": number})


def ago(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "3 days ago": one unit is enough next to the exact date; "just now" under a minute."""
    now = now or timezone.now()
    delta = now - moment
    if delta < JUST_NOW:
        return "just now"
    if moment.tzinfo is not None and now.tzinfo is not None:
        now = now.astimezone(moment.tzinfo)
    months = (now.year - moment.year) * 12 + now.month - moment.month
    if moment.day > now.day or (moment.day == now.day and moment.time() > now.time()):
        months -= 1
    if months >= 12:
        return f"{_amount('year', months // 12, get_language())} ago"
    if months > 0:
        return f"{_amount('month', months, get_language())} ago"
    seconds = delta.days * 24 * 3600 + delta.seconds
    for unit, size in CHUNKS:
        if seconds >= size:
            return f"{_amount(unit, seconds // size, get_language())} ago"
    return "just now"


def machine_time(moment: datetime.datetime) -> str:
    """For <time datetime>: HTML allows at most milliseconds, so whole seconds."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def exact_date(local: datetime.datetime) -> str:
    """ "5 March 2026, 14:02", as the date filter's "j F Y, H:i" writes a local time."""
    month = _month(local.month, get_language())
    return f"{local.day} {month} {local.year}, {local.hour:02d}:{local.minute:02d}"


@lru_cache(maxsize=512)
def _month(number: int, language: str | None) -> str:
    """The month's name in this language: a lazy translation costs more than the rest of a date."""
    return str(MONTHS[number])


def clock_time(moment: datetime.datetime) -> str:
    """ "14:32" today; with the date on another day ("2 December, 14:32")."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return f"{local.day} {local:%B, %H:%M}"
