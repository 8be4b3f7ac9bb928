"""A task backend that works out of the box: tasks run on a small thread pool.

Django 6 ships only the immediate and dummy backends. Emails must leave the
request (a slow mail server must never slow posting), so enqueue() hands the
task to a background thread once the request's transaction has committed.
A site that needs durable queues sets DJANGO_TASKS_BACKEND to a worker-based
backend instead; task code does not change.
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, transaction
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import TaskResult, TaskResultStatus
from django.utils.crypto import get_random_string

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tasks")


class BackgroundThreadBackend(ImmediateBackend):
    def _run(self, task_result: TaskResult) -> None:
        try:
            self._execute_task(task_result)
        finally:
            close_old_connections()

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: _pool.submit(self._run, task_result))
        return task_result
