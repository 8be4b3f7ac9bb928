"""/healthz: 200 when the database, the cache and the task queue are well; 503 for each fault."""

import datetime

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.delivery import deliver_email

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there


def health(client=None):
    response = (client or Client()).get("/healthz")
    return response.status_code, response.json(), response


@pytest.fixture
def database_backend():
    """Tasks go to the database queue, as in production, instead of running inline."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


def queued_task(waiting: datetime.timedelta, run_after=None) -> DBTaskResult:
    task = deliver_email.using(run_after=run_after) if run_after else deliver_email
    result = task.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - waiting)
    return result


def test_a_healthy_site_answers_200_with_each_check(database_backend):
    status, body, _ = health()

    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "task_queue": "ok"}
    assert body["oldest_queued_task_seconds"] is None


def test_the_answer_sets_no_cookie_and_is_never_cached(database_backend):
    status, _, response = health()

    assert status == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "no-store" in response.headers["Cache-Control"]
    assert response["Content-Type"] == "application/json"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_load_balancers_probe_over_plain_http_without_a_redirect(database_backend):
    assert Client().get("/").status_code == 301, "the site itself still redirects"
    assert health()[0] == 200


def test_a_fresh_queued_task_is_healthy(database_backend):
    queued_task(datetime.timedelta(seconds=20))

    status, body, _ = health()

    assert status == 200
    assert 19 <= body["oldest_queued_task_seconds"] < 300


@override_settings(HEALTHZ_MAX_QUEUE_AGE=120)
def test_a_task_waiting_longer_than_the_threshold_answers_503(database_backend):
    queued_task(datetime.timedelta(minutes=3))

    status, body, _ = health()

    assert status == 503
    assert body["status"] == "fail"
    assert "worker" in body["checks"]["task_queue"]
    assert body["checks"]["database"] == body["checks"]["cache"] == "ok"
    assert body["max_queued_task_seconds"] == 120


def test_a_deferred_retry_counts_from_when_it_was_due_not_when_it_was_queued(database_backend):
    """A retry queued an hour ago to run in a minute has not waited at all."""
    queued_task(
        datetime.timedelta(hours=1), run_after=timezone.now() + datetime.timedelta(minutes=1)
    )

    assert health()[0] == 200


def test_started_and_finished_tasks_do_not_count(database_backend):
    result = queued_task(datetime.timedelta(hours=1))
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING")

    assert health()[0] == 200


def test_an_unreachable_cache_answers_503(database_backend):
    broken = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOBODY_LISTENS}
    with override_settings(CACHES={"default": broken}):
        status, body, _ = health()

    assert status == 503
    assert body["checks"]["cache"] != "ok"
    assert body["checks"]["database"] == "ok"


@pytest.fixture
def an_unreachable_database():
    """In this thread, the default alias points at a database that does not exist."""
    original = connections["default"]
    config = {**original.settings_dict}
    if original.vendor == "sqlite":
        config["NAME"] = "/nonexistent-folder/missing.sqlite3"
    else:
        config["NAME"] = "no_such_database_for_healthz"
    unreachable = type(original)(config, "default")
    connections["default"] = unreachable
    yield
    connections["default"] = original
    unreachable.close()


def test_an_unreachable_database_answers_503(an_unreachable_database):
    status, body, _ = health()

    assert status == 503
    assert body["checks"]["database"].startswith("default: ")
    assert body["checks"]["task_queue"] == "not checked"
