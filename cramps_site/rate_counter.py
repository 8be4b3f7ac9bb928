"""Counters in fixed time windows, shared by every worker through a cache.

`hit("rl:comments:abc", 86400)` counts one event in today's window and
returns how many there have been in it so far. The window's number is part
of the key, so a new window starts at zero on its own, and each key expires
with its window: the expiry is set from the window's end on every cache, never
the cache's default timeout (Django's database and file caches implement
`incr()` as a read and a `set()` that would give the key 300 seconds again).

Every count is atomic across processes and servers:
- Redis: INCR and EXPIRE in one MULTI/EXEC transaction, so a key never lives
  without its expiry;
- the database cache: the row is created with `add()`, then locked by a no-op
  UPDATE (a row lock on PostgreSQL, the write lock on SQLite) while it is
  read and written back within one transaction;
- the file cache: the read and the write happen under an exclusive lock on a
  file in the cache's directory;
- any other cache (local memory): `add()` then `incr()`, which keeps the
  expiry there.
"""

import math
import time

from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.files import locks
from django.db import connections, router, transaction

# A key outlives its window by a little, so a request that read the clock just
# before the window ended still finds the count it belongs to.
GRACE_SECONDS = 5
FILE_LOCK_NAME = "rate-counter.lock"


def window_key(name: str, seconds: int, now: float) -> tuple[str, int]:
    """The key of the window `now` falls in, and seconds until it may expire."""
    window = int(now // seconds)
    ends = (window + 1) * seconds
    return f"{name}:{seconds}:{window}", math.ceil(ends - now) + GRACE_SECONDS


def hit(
    name: str, seconds: int, *, now: float | None = None, cache: BaseCache | None = None
) -> int:
    """Count one event in the current window of `seconds`; the count so far in it."""
    cache = caches["default"] if cache is None else cache
    now = time.time() if now is None else now
    key, ttl = window_key(name, seconds, now)
    if isinstance(cache, RedisCache):
        return _redis_hit(cache, key, ttl)
    if isinstance(cache, DatabaseCache):
        return _database_hit(cache, key, ttl)
    if isinstance(cache, FileBasedCache):
        return _file_hit(cache, key, ttl)
    cache.add(key, 0, timeout=ttl)
    try:
        return cache.incr(key)
    except ValueError:  # culled between add() and incr()
        cache.set(key, 1, timeout=ttl)
        return 1


def _redis_hit(cache: RedisCache, key: str, ttl: int) -> int:
    # Every hit computes the same end of window, so EXPIRE on each one gives
    # what EXPIRE NX would on the first, and needs no Redis 7.
    stored_key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(stored_key, write=True)
    pipeline = client.pipeline(transaction=True)
    pipeline.incr(stored_key)
    pipeline.expire(stored_key, ttl)
    count, _ = pipeline.execute()
    return int(count)


def _database_hit(cache: DatabaseCache, key: str, ttl: int) -> int:
    cache.add(key, 0, timeout=ttl)
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    quote = connection.ops.quote_name
    with transaction.atomic(using=db), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(cache._table)} SET {quote('expires')} = {quote('expires')} "
            f"WHERE {quote('cache_key')} = %s",
            [cache.make_and_validate_key(key)],
        )
        count = (cache.get(key) or 0) + 1
        cache.set(key, count, timeout=ttl)
    return count


def _file_hit(cache: FileBasedCache, key: str, ttl: int) -> int:
    cache._createdir()
    with open(f"{cache._dir}/{FILE_LOCK_NAME}", "a") as lock_file:
        locks.lock(lock_file, locks.LOCK_EX)
        try:
            count = (cache.get(key) or 0) + 1
            cache.set(key, count, timeout=ttl)
        finally:
            locks.unlock(lock_file)
    return count
