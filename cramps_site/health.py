"""/healthz for load balancers and monitors: database, cache and task queue.

Answers JSON, 200 when every check passes and 503 otherwise. It reads no
session and no CSRF token, so it sets no cookie, and it is never cached.
Each check is one small query or one cache round trip.
"""

import datetime
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.db.models import Case, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max


def check_databases() -> str | None:
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            return f"{alias}: {type(error).__name__}"
    return None


def check_cache() -> str | None:
    """A round trip through the shared cache (rate limits live there)."""
    key = f"healthz:{secrets.token_hex(8)}"  # one per probe: probes run at once
    try:
        cache = caches["default"]
        cache.set(key, True, timeout=10)
        kept = cache.get(key)
        cache.delete(key)
        if not kept:
            return "the cache did not keep a value"
    except Exception as error:  # each cache backend raises its own errors
        return type(error).__name__
    return None


def oldest_ready_task_age(now: datetime.datetime) -> datetime.timedelta | None:
    """How long the longest-waiting runnable task has waited (deferred tasks from their time)."""
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(due_since))["oldest"]
    return None if oldest is None else now - oldest


def check_queue() -> tuple[str | None, float | None]:
    try:
        age = oldest_ready_task_age(timezone.now())
    except DatabaseError as error:
        return type(error).__name__, None
    seconds = None if age is None else round(age.total_seconds(), 1)
    if seconds is not None and seconds > settings.HEALTHZ_MAX_QUEUE_AGE:
        return f"a task has waited {seconds:.0f}s; is the worker running?", seconds
    return None, seconds


@require_safe
@never_cache
def healthz(request):
    database = check_databases()
    cache = check_cache()
    queue, queue_age = check_queue() if database is None else ("not checked", None)
    checks = {
        "database": database or "ok",
        "cache": cache or "ok",
        "task_queue": queue or "ok",
    }
    healthy = not (database or cache or queue)
    body = {
        "status": "ok" if healthy else "fail",
        "checks": checks,
        "oldest_queued_task_seconds": queue_age,
        "max_queued_task_seconds": settings.HEALTHZ_MAX_QUEUE_AGE,
    }
    return JsonResponse(body, status=200 if healthy else 503)
