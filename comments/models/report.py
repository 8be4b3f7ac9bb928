"""A reader's report of a published comment (filed by comments.decisions.file_report)."""

from django.db import models
from django.utils import timezone

from comments.models.comment import Comment


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has dealt with yet."""
        return self.filter(resolved=False)

    def for_moderation_queue(self):
        return self.select_related("comment", "comment__article")


class Report(models.Model):
    class Reason(models.TextChoices):
        MEDICAL = "medical", "Unsafe medical advice"
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or offensive"
        PERSONAL = "personal", "Shares personal information"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    ip_hash = models.CharField("IP hash", max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved = models.BooleanField(default=False, db_index=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_reason_display()} on comment {self.comment_id}"
