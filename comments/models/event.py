"""The audit log: every change of a comment's fate, who made it, when and why.

Written only by comments/decisions.py, which every change goes through. An
event outlives its comment: when the comment is deleted the event keeps the
comment's number and article, as a tombstone.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from comments.models.comment import ARTICLE_TEXT_FIELDS

PENDING = "pending"
# What happened besides a change of status; stored in to_status.
EDITED = "edited"
REMOVED = "removed"
DELETED = "deleted"


class ModerationEventQuerySet(models.QuerySet):
    def for_comment_page(self):
        return self.select_related("actor").order_by("-created_at", "-pk")

    def for_audit_list(self):
        """The admin's list of every event: who, and the article, in one query."""
        article_text = (f"article__{name}" for name in ARTICLE_TEXT_FIELDS)
        return self.select_related("actor", "article").defer(
            "text_before", "text_after", *article_text
        )

    def first_decisions(self):
        """Moves out of the queue: what "time to decision" measures."""
        return self.filter(from_status=PENDING).exclude(to_status__in=[PENDING, EDITED, DELETED])

    def by_moderators(self):
        """A person's changes to existing comments; not posting, not rules."""
        return self.filter(actor__isnull=False).exclude(from_status="")


class ModerationEvent(models.Model):
    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text="Empty once the comment is deleted; its number and article stay.",
    )
    comment_number = models.PositiveBigIntegerField(
        "comment", db_index=True, help_text="The comment's id, kept after it is deleted."
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
    text_before = models.TextField(blank=True, help_text="A moderator's edit: the text before.")
    text_after = models.TextField(blank=True, help_text="A moderator's edit: the text after.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status} on comment {self.comment_number}"

    @property
    def actor_name(self) -> str:
        return self.actor.get_username() if self.actor_id else "Automatic"
