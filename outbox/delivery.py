"""Sending the outbox: each email claimed, sent, and marked sent; failures retried.

queue() keeps each message under a key that says what it is about, and
enqueues its delivery task in the same transaction. deliver_email() then:

1. claims the row (queued → sending, one more attempt) and commits;
2. talks to the mail server;
3. marks the row sent and commits.

A second delivery of the same row finds it sending or sent and does
nothing, so a key is never sent twice. The one window left: a worker killed
after the mail server accepted the message and before step 3 commits leaves
the row "sending". It is never sent again on its own (at most once, not at
least once); after STUCK_AFTER the admin lists it under "Needs attention",
where staff can check and send it again.

A failed send is recorded (attempt count, error) and retried later, after
the delays in settings.EMAIL_RETRY_DELAYS; after the last one the row is
"failed" and the admin lists it under "Needs attention".
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from outbox.messages import fields_of, message_of
from outbox.models import OutgoingEmail

Status = OutgoingEmail.Status


def queue(messages: dict[str, EmailMessage]) -> int:
    """Keep and enqueue each message under its key; a key seen before is skipped."""
    queued = 0
    for key, message in messages.items():
        with transaction.atomic():
            email, created = OutgoingEmail.objects.get_or_create(
                key=key, defaults=fields_of(message)
            )
            if created:
                deliver_email.enqueue(email.pk)
                queued += 1
    return queued


@task
def deliver_email(email_id: int) -> str:
    """One try at sending one outbox row; raises when the send fails, after recording it."""
    email = claim(email_id)
    if email is None:
        return "already claimed or sent"
    message = message_of(email.to, email.subject, email.body, email.headers)
    try:
        mailers.default.send_messages([message])
    except Exception as error:
        record_failure(email, error)
        raise
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.SENT, sent_at=timezone.now())
    return "sent"


def claim(email_id: int) -> OutgoingEmail | None:
    """Take a queued row for this try, or None if another try has it or it is done."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != Status.QUEUED:
            return None
        email.status = Status.SENDING
        email.attempts += 1
        email.last_attempt_at = timezone.now()
        email.next_attempt_at = None
        email.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    return email


def record_failure(email: OutgoingEmail, error: Exception) -> None:
    """Note the error; queue the next try after its delay, or give up after the last."""
    now = timezone.now()
    email.errors = [
        *email.errors,
        {
            "attempt": email.attempts,
            "at": now.isoformat(),
            "error": f"{type(error).__name__}: {error}",
        },
    ]
    delays = settings.EMAIL_RETRY_DELAYS
    with transaction.atomic():
        if email.attempts > len(delays):
            email.status = Status.FAILED
        else:
            email.status = Status.QUEUED
            email.next_attempt_at = now + datetime.timedelta(seconds=delays[email.attempts - 1])
            schedule(email)
        email.save(update_fields=["status", "errors", "next_attempt_at"])


def schedule(email: OutgoingEmail) -> None:
    retry = deliver_email.using(run_after=email.next_attempt_at)
    if not retry.get_backend().supports_defer:
        # The immediate backend (tests) cannot wait; the row stays queued.
        return
    retry.enqueue(email.pk)


def send_again(emails) -> int:
    """Staff's decision, from the admin: try failed or stuck rows again, with fresh tries."""
    count = 0
    for email in emails.needing_attention():
        with transaction.atomic():
            updated = OutgoingEmail.objects.filter(pk=email.pk, status=email.status).update(
                status=Status.QUEUED, attempts=0, next_attempt_at=None
            )
            if updated:
                deliver_email.enqueue(email.pk)
                count += 1
    return count
