"""A clock tests move, and a cache table of their own to move it on."""

from django.core.management.commands.createcachetable import Command
from django.db import DEFAULT_DB_ALIAS

DAY = 86_400
# 20 seconds into a day's window, near today so databases store it as usual.
START = DAY * 20_000 + 20
TABLE = "security_test_cache"


class Clock:
    """A time.time() that tests move."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += seconds


def create_cache_table() -> None:
    """The test database has no cache table when the suite's cache is Redis."""
    command = Command()
    command.verbosity = 0
    command.create_table(DEFAULT_DB_ALIAS, TABLE, dry_run=False)
