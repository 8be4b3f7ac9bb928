"""comments/dates.py says what Django's date filters say, at a fraction of the cost."""

import datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.timesince import timesince
from hypothesis import given, settings
from hypothesis import strategies as st

from comments.dates import ago, exact_date

NOW = datetime.datetime(2026, 3, 31, 14, 5, 9, 500_000, tzinfo=datetime.UTC)


def django_ago(moment, now):
    """What the comment template said before: timesince with one unit, "just now" under a minute."""
    if now - moment < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, now, depth=1)} ago"


@pytest.mark.parametrize(
    "delta",
    [
        datetime.timedelta(seconds=-5),
        datetime.timedelta(seconds=59),
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=59, seconds=59),
        datetime.timedelta(hours=1),
        datetime.timedelta(days=1),
        datetime.timedelta(days=6, hours=23),
        datetime.timedelta(days=7),
        datetime.timedelta(days=29),
        datetime.timedelta(days=31),
        datetime.timedelta(days=59),
        datetime.timedelta(days=365),
        datetime.timedelta(days=366),
        datetime.timedelta(days=3 * 365 + 40),
    ],
)
def test_ago_says_what_timesince_says(delta):
    assert ago(NOW - delta, NOW) == django_ago(NOW - delta, NOW)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime.datetime(2019, 1, 1),
        max_value=datetime.datetime(2026, 12, 31),
        timezones=st.just(datetime.UTC),
    ),
    st.datetimes(
        min_value=datetime.datetime(2019, 1, 1),
        max_value=datetime.datetime(2026, 12, 31),
        timezones=st.just(datetime.UTC),
    ),
)
def test_ago_says_what_timesince_says_for_any_two_moments(moment, now):
    """Month ends, leap days, the same day of another month: the calendar decides."""
    assert ago(moment, now) == django_ago(moment, now)


@given(st.datetimes(min_value=datetime.datetime(2000, 1, 1), timezones=st.just(datetime.UTC)))
def test_the_exact_date_is_the_date_filters(moment):
    local = timezone.localtime(moment)  # as templates give the date filter its value

    assert exact_date(local) == date_filter(local, "j F Y, H:i")
