"""Fixtures for the attacks and limits tests."""

from datetime import UTC, datetime

import pytest
from clocks import START, Clock
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import db as db_cache
from django.core.cache.backends import filebased

from cramps_site import login_throttle, rate_counter


@pytest.fixture
def a_clock(monkeypatch):
    """One clock for our counters and lockouts and for the database and file caches' expiry."""
    clock = Clock(START)
    monkeypatch.setattr(rate_counter, "time", clock)
    monkeypatch.setattr(login_throttle, "time", clock)
    monkeypatch.setattr(cache_base, "time", clock)  # expiry = time.time() + timeout
    monkeypatch.setattr(filebased, "time", clock)  # a file's expiry check
    monkeypatch.setattr(db_cache, "tz_now", lambda: datetime.fromtimestamp(clock.now, UTC))
    return clock
