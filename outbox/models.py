"""Every email the site sends, one row each, keyed so that it is sent once.

A row is written, with the task that delivers it, in the same transaction:
on the database task backend the two commit together, so a crash loses
neither. The delivery task claims the row before the SMTP conversation and
marks it sent after; a second run finds it claimed or sent and does nothing.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

# An SMTP conversation times out after 10 seconds (cramps_site/env.py), so a
# row claimed this long ago belongs to a worker that died mid-send.
STUCK_AFTER = datetime.timedelta(minutes=10)


class OutgoingEmailQuerySet(models.QuerySet):
    def given_up(self):
        """Failed on every try: staff must look (admin filter "Needs attention")."""
        return self.filter(status=OutgoingEmail.Status.FAILED)

    def stuck(self, now: datetime.datetime | None = None):
        """Claimed long ago and never marked sent: the worker died mid-send."""
        now = now or timezone.now()
        return self.filter(
            status=OutgoingEmail.Status.SENDING, last_attempt_at__lt=now - STUCK_AFTER
        )

    def needing_attention(self, now: datetime.datetime | None = None):
        return self.given_up() | self.stuck(now)


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="What this email is about, e.g. reply-notification:<reply>:<recipient>; "
        "the same key is never sent twice.",
    )
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text="One entry per failed try: when and what."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outgoing email"

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def last_error(self) -> str:
        return self.errors[-1]["error"] if self.errors else ""

    @property
    def max_attempts(self) -> int:
        return len(settings.EMAIL_RETRY_DELAYS) + 1
