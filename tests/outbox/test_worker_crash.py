"""A queued email survives a worker killed with SIGKILL, and is sent exactly once.

The worker is the real `manage.py db_worker`, on production settings, against
a throwaway database of the suite's engine (a SQLite file, or PostgreSQL in
CI's second pass); emails are written as files, one per connection.
"""

import signal
import subprocess
import sys
import time

from worker_processes import ROOT, reply_emails, scenario, status_of

WORKER = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]


def start_idle_worker(env) -> subprocess.Popen:
    """A worker that has started, found nothing to do, and sleeps between polls."""
    worker = subprocess.Popen(
        [*WORKER, "--interval", "600"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    for line in worker.stderr:
        if "Starting worker" in line:
            break
    else:
        raise AssertionError(f"the worker did not start (exit {worker.wait()})")
    time.sleep(1)  # its first poll, on an empty queue, is over
    return worker


def run_worker_until_queue_empty(env) -> None:
    subprocess.run([*WORKER, "--batch"], cwd=ROOT, env=env, check=True, timeout=120)


def test_reply_email_queued_when_the_worker_is_killed_is_sent_once_by_the_next(worker_env):
    first = start_idle_worker(worker_env)
    try:
        scenario(worker_env, "approve-reply")
        queued = scenario(worker_env, "state")
        assert status_of(queued, "email_reply_notifications") == ["READY"]

        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
    finally:
        first.kill()
        first.stderr.close()

    after_kill = scenario(worker_env, "state")
    assert status_of(after_kill, "email_reply_notifications") == ["READY"], "the task was lost"
    assert reply_emails(worker_env) == []

    run_worker_until_queue_empty(worker_env)
    [email] = reply_emails(worker_env)
    assert "To: margaret@example.com" in email

    run_worker_until_queue_empty(worker_env)  # a later worker, the same queue
    assert len(reply_emails(worker_env)) == 1
    final = scenario(worker_env, "state")
    assert {row["status"] for row in final["tasks"]} == {"SUCCESSFUL"}
    [reply_row] = [row for row in final["emails"] if row["key"].startswith("reply-notification:")]
    assert reply_row["status"] == "sent" and reply_row["attempts"] == 1


def test_deliveries_queued_by_one_worker_are_sent_once_by_the_next(worker_env):
    """Stopped between the two steps: the email is in the outbox, its delivery task queued."""
    scenario(worker_env, "approve-reply")
    # One task, then stop: the notification task builds the outbox rows and queues deliveries.
    queued = scenario(worker_env, "state")
    builders = len(queued["tasks"])
    subprocess.run([*WORKER, "--batch", "--max-tasks", str(builders)], cwd=ROOT, env=worker_env,
                   check=True, timeout=120)  # fmt: skip
    between = scenario(worker_env, "state")
    assert status_of(between, "deliver_email") and set(status_of(between, "deliver_email")) == {
        "READY"
    }
    assert reply_emails(worker_env) == []

    run_worker_until_queue_empty(worker_env)
    run_worker_until_queue_empty(worker_env)

    assert len(reply_emails(worker_env)) == 1


def test_a_worker_killed_mid_send_is_not_followed_by_a_second_send(worker_env, holding_mail_server):
    """The one window: killed in the middle of the SMTP conversation.

    Whether the message left is unknown to the site, so the email row stays
    "sending" and no later worker sends it again (at most once); the admin
    lists it for staff after outbox.models.STUCK_AFTER.
    """
    env = worker_env | {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(holding_mail_server.port),
                        "EMAIL_USE_TLS": "0"}  # fmt: skip
    scenario(env, "approve-reply")
    worker = subprocess.Popen([*WORKER, "--interval", "1"], cwd=ROOT, env=env)
    try:
        assert holding_mail_server.holding.wait(timeout=120), "the reply email was never sent"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        worker.kill()
    holding_mail_server.release.set()

    run_worker_until_queue_empty(env)
    run_worker_until_queue_empty(env)

    [reply_row] = [r for r in scenario(env, "state")["emails"] if r["key"].startswith("reply-")]
    assert (reply_row["status"], reply_row["attempts"]) == ("sending", 1)
    # The server dropped the message with its connection; nobody sent it again.
    assert holding_mail_server.reply_emails() == []
