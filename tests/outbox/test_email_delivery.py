"""Emails go out through the outbox: retried with backoff, shown to staff, never sent twice.

The worker is the real `db_worker` command, run in this process until the
queue is empty; the mail server is a real SMTP server (aiosmtpd) on loopback.
"""

import datetime
import signal

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from reply_flow import a_pending_reply_to_a_subscriber, approve

from outbox import delivery
from outbox.delivery import deliver_email
from outbox.models import STUCK_AFTER, OutgoingEmail

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status
# The worker closes connections that are not in autocommit, as a test's transaction is not.
WITH_A_WORKER = pytest.mark.django_db(transaction=True)
WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


@pytest.fixture
def the_database_queue(mail_server):
    """Tasks wait in the database queue for a worker; emails go to the mail server by SMTP."""
    smtp = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": mail_server.port, "use_tls": False, "timeout": 5},
    }
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        MAILERS={"default": smtp},
        EMAIL_RETRY_DELAYS=[60, 300, 1800],
    ):
        yield


def run_worker() -> None:
    """The real worker command, until no task is ready; our signal handlers kept."""
    handlers = {signum: signal.getsignal(signum) for signum in WORKER_SIGNALS}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def reply_notification() -> OutgoingEmail:
    return OutgoingEmail.objects.get(key__startswith="reply-notification:")


def deliveries_of(email: OutgoingEmail):
    return DBTaskResult.objects.filter(
        task_path="outbox.delivery.deliver_email", args_kwargs__args=[email.pk]
    ).order_by("enqueued_at")


def next_try_in_seconds(email: OutgoingEmail) -> int:
    """How long after the failed try the retry is scheduled; then made due now, as time passing."""
    retry = deliveries_of(email).get(status="READY")
    delay = round((retry.run_after - email.last_attempt_at).total_seconds())
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    return delay


@WITH_A_WORKER
def test_a_refused_reply_email_is_retried_with_backoff_and_sent_once(
    an_article, mail_server, the_database_queue
):
    mail_server.refusals = 2
    approve(a_pending_reply_to_a_subscriber(an_article))

    run_worker()
    email = reply_notification()
    assert (email.status, email.attempts) == (Status.QUEUED, 1)
    assert "451" in email.last_error and "Mailbox busy" in email.last_error
    assert next_try_in_seconds(email) == 60

    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.QUEUED, 2)
    assert next_try_in_seconds(email) == 300

    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 3)
    assert [error["attempt"] for error in email.errors] == [1, 2]
    [sent] = mail_server.reply_emails()
    assert "To: margaret@example.com" in sent
    tries = deliveries_of(email)
    assert [task.status for task in tries] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "SMTPDataError" in tries[0].traceback

    run_worker()  # nothing left to do, nothing sent again
    assert len(mail_server.reply_emails()) == 1


@WITH_A_WORKER
@override_settings(EMAIL_RETRY_DELAYS=[0])
def test_after_the_last_try_staff_find_the_failed_email_and_its_errors_in_the_admin(
    an_article, mail_server, the_database_queue, admin_client
):
    mail_server.refusals = 99
    approve(a_pending_reply_to_a_subscriber(an_article))

    run_worker()

    email = reply_notification()
    assert (email.status, email.attempts, len(email.errors)) == (Status.FAILED, 2, 2)
    assert mail_server.reply_emails() == []
    changelist = reverse("admin:outbox_outgoingemail_changelist")
    page = admin_client.get(changelist, {"attention": "yes"}).content.decode()
    assert "New reply to your comment" in page and "Mailbox busy" in page
    detail = admin_client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk]))
    assert detail.content.decode().count("Mailbox busy") == 2, "one line per failed try"
    tasks = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    failed = admin_client.get(tasks, {"status__exact": "FAILED"}).content.decode()
    assert failed.count("deliver_email") == 2


@WITH_A_WORKER
@override_settings(EMAIL_RETRY_DELAYS=[])
def test_staff_can_send_a_failed_email_again_from_the_admin(
    an_article, mail_server, the_database_queue, admin_client
):
    mail_server.refusals = 1
    approve(a_pending_reply_to_a_subscriber(an_article))
    run_worker()
    email = reply_notification()
    assert email.status == Status.FAILED

    changelist = reverse("admin:outbox_outgoingemail_changelist")
    admin_client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    run_worker()

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(mail_server.reply_emails()) == 1


def test_sent_emails_cannot_be_sent_again_from_the_admin(an_article, admin_client):
    approve(a_pending_reply_to_a_subscriber(an_article))
    email = reply_notification()
    assert email.status == Status.SENT
    mail.outbox.clear()

    changelist = reverse("admin:outbox_outgoingemail_changelist")
    admin_client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})

    assert mail.outbox == []


def test_the_same_key_queued_twice_is_one_email():
    message = EmailMessage("Hello", "Once only.", to=["someone@example.com"])

    assert delivery.queue({"greeting:1": message}) == 1
    assert delivery.queue({"greeting:1": message}) == 0

    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().status == Status.SENT


def test_a_second_delivery_of_a_sent_email_sends_nothing():
    delivery.queue({"greeting:2": EmailMessage("Hello", "Once.", to=["someone@example.com"])})

    assert deliver_email.call(OutgoingEmail.objects.get().pk) == "already claimed or sent"
    assert len(mail.outbox) == 1


def test_an_email_left_sending_by_a_dead_worker_is_not_resent_but_shown_to_staff():
    """At most once: the worker may have died after the mail server took it."""
    now = timezone.now()
    stuck = OutgoingEmail.objects.create(
        key="greeting:3", to=["a@example.com"], subject="Hi", body=".", status=Status.SENDING,
        attempts=1, last_attempt_at=now - STUCK_AFTER - datetime.timedelta(minutes=1),
    )  # fmt: skip
    busy = OutgoingEmail.objects.create(
        key="greeting:4", to=["b@example.com"], subject="Hi", body=".", status=Status.SENDING,
        attempts=1, last_attempt_at=now - datetime.timedelta(seconds=5),
    )  # fmt: skip

    assert deliver_email.call(stuck.pk) == "already claimed or sent"
    assert mail.outbox == []
    assert list(OutgoingEmail.objects.needing_attention()) == [stuck]
    assert busy not in OutgoingEmail.objects.needing_attention()


def test_the_unsubscribe_header_survives_the_outbox_on_one_line(an_article):
    approve(a_pending_reply_to_a_subscriber(an_article))

    [message] = [m for m in mail.outbox if m.subject.startswith("New reply")]
    raw = message.message().as_string()
    [header] = [line for line in raw.splitlines() if line.startswith("List-Unsubscribe:")]
    assert "/comments/unsubscribe/" in header and "=?" not in header
