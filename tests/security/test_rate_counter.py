"""Windowed counters keep their window's expiry and lose no count, on every shared cache.

Django's database and file caches implement incr() as a read and a set() with
the default 300-second timeout, so a daily limit used to start again after
five quiet minutes. These tests move the clock that the counter and those
caches read, and run two processes against one counter.
"""

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from clocks import DAY, START, TABLE, create_cache_table
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from cramps_site import rate_counter
from tests.subprocess_env import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")


@pytest.fixture
def a_database_cache(db):
    """Django's database cache in a table of its own in the test database."""
    create_cache_table()
    return DatabaseCache(TABLE, {})


@pytest.fixture
def a_file_cache(tmp_path):
    """Django's file cache in a fresh folder."""
    return FileBasedCache(str(tmp_path / "cache"), {})


@pytest.fixture
def a_redis_cache():
    """Django's Redis cache on REDIS_URL, under a prefix of its own for this test."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"rc-test-{uuid.uuid4().hex}"})


@pytest.fixture(params=["database", "file"])
def a_clocked_cache(request, a_clock):
    """The database or file cache, both reading the test's clock."""
    return request.getfixturevalue(f"a_{request.param}_cache")


def test_a_count_survives_minutes_of_quiet_within_its_window(a_clocked_cache, a_clock):
    """The bug this module exists for: a 30/day count reset after 5 quiet minutes."""
    for expected in (1, 2, 3):
        assert rate_counter.hit("rl:t", DAY, cache=a_clocked_cache) == expected
    a_clock.move(6 * 60)
    assert rate_counter.hit("rl:t", DAY, cache=a_clocked_cache) == 4
    a_clock.move(12 * 3600)
    assert rate_counter.hit("rl:t", DAY, cache=a_clocked_cache) == 5


def test_the_next_window_starts_at_zero_and_the_old_count_expires(a_clocked_cache, a_clock):
    for _ in range(3):
        rate_counter.hit("rl:t", DAY, cache=a_clocked_cache)
    old_key, _ = rate_counter.window_key("rl:t", DAY, a_clock.now)

    a_clock.move(DAY - 20 + rate_counter.GRACE_SECONDS - 1)  # just inside the grace
    assert a_clocked_cache.get(old_key) == 3
    assert rate_counter.hit("rl:t", DAY, cache=a_clocked_cache) == 1

    a_clock.move(2)
    assert a_clocked_cache.get(old_key) is None


def test_an_hourly_window_expires_with_the_hour_not_the_default_timeout(a_clocked_cache, a_clock):
    a_clock.move(-20)  # the start of an hour (and of the day)
    rate_counter.hit("rl:h", 3600, cache=a_clocked_cache)
    a_clock.move(3599)
    assert rate_counter.hit("rl:h", 3600, cache=a_clocked_cache) == 2
    a_clock.move(1)
    assert rate_counter.hit("rl:h", 3600, cache=a_clocked_cache) == 1


@needs_redis
def test_on_redis_a_key_expires_at_the_end_of_its_window(a_redis_cache):
    """Redis keeps its own clock, so the key's TTL is what shows the expiry."""
    now = START + 6 * 3600  # six hours into a day
    for expected in (1, 2, 3):
        assert rate_counter.hit("rl:t", DAY, now=now, cache=a_redis_cache) == expected
    key, _ = rate_counter.window_key("rl:t", DAY, now)
    client = a_redis_cache._cache.get_client(write=False)
    ttl = client.ttl(a_redis_cache.make_and_validate_key(key))
    assert DAY - 6 * 3600 - 20 < ttl <= DAY - 6 * 3600 - 20 + rate_counter.GRACE_SECONDS
    assert a_redis_cache.get(key) == 3
    later = now + DAY
    assert rate_counter.hit("rl:t", DAY, now=later, cache=a_redis_cache) == 1
    a_redis_cache.clear()


def test_other_caches_count_with_add_and_incr():
    from django.core.cache.backends.locmem import LocMemCache

    memory = LocMemCache(f"rc-test-{uuid.uuid4().hex}", {})
    assert [rate_counter.hit("rl:m", 60, cache=memory) for _ in range(3)] == [1, 2, 3]


# Two processes at once.

WORKER = textwrap.dedent(
    """
    import os, sys, time
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.filebased import FileBasedCache
    from cramps_site import rate_counter

    kind, name, hits, now, go = sys.argv[1:]
    cache = {
        "database": lambda: DatabaseCache(os.environ["TEST_CACHE_TABLE"], {}),
        "file": lambda: FileBasedCache(os.environ["TEST_FILE_CACHE"], {}),
        "redis": lambda: caches["default"],
    }[kind]()
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)
    for _ in range(int(hits)):
        print(rate_counter.hit(name, 86400, now=float(now), cache=cache), flush=True)
    """
)
HITS = 150


def store_environments(tmp_path) -> dict[str, dict]:
    """Each shared store two workers can reach: always SQLite and files; Postgres and Redis
    when the suite runs on them."""
    sqlite = f"sqlite:///{tmp_path}/counter.sqlite3"
    stores = {
        "sqlite-database-cache": {"DATABASE_URL": sqlite, "TEST_CACHE_TABLE": "django_cache"},
        "file-cache": {"DATABASE_URL": sqlite, "TEST_FILE_CACHE": str(tmp_path / "file-cache")},
    }
    if connection.vendor == "postgresql":
        stores["postgres-database-cache"] = {
            "DATABASE_URL": postgres_url(),
            "TEST_CACHE_TABLE": TABLE,
        }
    if REDIS_URL:
        stores["redis"] = {"DATABASE_URL": sqlite, "REDIS_URL": REDIS_URL}
    return stores


def postgres_url() -> str:
    """The test database the suite runs on, for the workers to share."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def worker_env(tmp_path, store: dict) -> dict:
    """Production settings on the store's database, with its cache variables."""
    return subprocess_env(tmp_path, store["DATABASE_URL"]) | store


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "store", ["sqlite-database-cache", "file-cache", "postgres-database-cache", "redis"]
)
def test_two_processes_counting_at_once_lose_no_count_and_share_none(store, tmp_path):
    """Every hit gets its own number: 1 to 300 exactly once between the two workers."""
    stores = store_environments(tmp_path)
    if store not in stores:
        pytest.skip(f"{store}: the suite is not running on it (DATABASE_URL, REDIS_URL)")
    env = worker_env(tmp_path, stores[store])
    if store == "sqlite-database-cache":
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True
        )
    if store == "postgres-database-cache":
        create_cache_table()
    kind = "database" if "database" in store else store.removesuffix("-cache")
    go = tmp_path / "go"
    name = f"rc-test:{uuid.uuid4().hex}"
    args = [sys.executable, "-c", WORKER, kind, name, str(HITS), str(START), go]
    workers = [
        subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    assert [worker.stdout.readline() for worker in workers] == ["ready\n", "ready\n"]
    go.touch()  # both are set up: they count at the same time
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0]
    counts = sorted(int(line) for output in outputs for line in output.split())
    assert counts == list(range(1, 2 * HITS + 1))
    assert all(output.split() for output in outputs), "both workers counted"
