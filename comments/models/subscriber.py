"""Who asked for reply emails, known only by their email's salted hash."""

from django.db import models


class Subscriber(models.Model):
    email_token = models.CharField(max_length=32, unique=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Subscriber {self.email_token[:8]}…"

    @property
    def wants_replies(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
