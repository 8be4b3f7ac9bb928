"""The audit log: every change of a comment's status, who made it, when and why.

Written only by comments/decisions.py, which every change goes through.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

PENDING = "pending"


class ModerationEventQuerySet(models.QuerySet):
    def for_comment_page(self):
        return self.select_related("actor").order_by("-created_at", "-pk")

    def first_decisions(self):
        """Moves out of the queue: what "time to decision" measures."""
        return self.filter(from_status=PENDING).exclude(to_status=PENDING)

    def by_moderators(self):
        """A person's changes to existing comments; not posting, not rules."""
        return self.filter(actor__isnull=False).exclude(from_status="")


class ModerationEvent(models.Model):
    comment = models.ForeignKey("comments.Comment", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who decided; empty for an automatic decision.",
    )
    from_status = models.CharField(
        max_length=10, blank=True, help_text="Empty when the comment was just posted."
    )
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status} on comment {self.comment_id}"

    @property
    def actor_name(self) -> str:
        return self.actor.get_username() if self.actor_id else "Automatic"
