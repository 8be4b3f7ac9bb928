"""Readers flag an approved comment; enough different readers send it back to pending."""

from django.db import models, transaction
from django.utils import timezone

from comments.models import Comment


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


SENT_BACK_RULE = "reported"


def file_report(comment: Comment, reason: str, note: str, ip_hash: str, threshold: int) -> Report:
    """Keep the report; at threshold different reporters, back to pending.

    ip_hash identifies the reporter's network (/24 or /64, as rate limits
    do): a second report from it on the same comment is not counted again,
    so one person cannot take a comment down alone. A moderator's approval
    resolves the open reports (Comment.objects.set_status, Comment.decide).
    """
    with transaction.atomic():
        report = comment.reports.open().filter(ip_hash=ip_hash).exclude(ip_hash="").first()
        if report is None:
            report = Report.objects.create(
                comment=comment, reason=reason, note=note, ip_hash=ip_hash
            )
        send_back_if_reported(comment, threshold)
    return report


def send_back_if_reported(comment: Comment, threshold: int) -> bool:
    reporters = comment.reports.open().values("ip_hash").distinct().count()
    if reporters < threshold:
        return False
    approved = Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED)
    if not approved.set_status(Comment.Status.PENDING, reason=f"Reported {reporters} times"):
        return False
    Comment.objects.filter(pk=comment.pk).update(moderation_rule=SENT_BACK_RULE)
    return True
