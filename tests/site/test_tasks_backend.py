"""The default task backend runs tasks off the request thread, after commit."""

import threading

import pytest
from django.db import transaction
from django.tasks import task

from cramps_site.tasks_backend import BackgroundThreadBackend, _pool

seen = {}


@task
def record_thread(key):
    seen[key] = threading.current_thread().name
    return key


@pytest.mark.django_db(transaction=True)
def test_tasks_run_in_a_background_thread_only_after_commit():
    backend = BackgroundThreadBackend("default", {"OPTIONS": {}})
    with transaction.atomic():
        backend.enqueue(record_thread, ["a"], {})
        assert "a" not in seen, "ran before the transaction committed"
    _pool.submit(lambda: None).result(timeout=5)  # the pool has drained
    for _ in range(50):
        if "a" in seen:
            break
        threading.Event().wait(0.05)
    assert seen["a"].startswith("tasks")
    assert seen["a"] != threading.current_thread().name
