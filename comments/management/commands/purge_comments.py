"""Remove comments nobody will ever publish: old unmoderated ones and old spam.

Run it daily (cron or a scheduler). Without options the ages come from the
admin's Comment settings. Counts on articles are fixed as comments go.

A pending comment's age counts from when it entered the queue, not from when
it was posted: an old comment sent back by an edit or a moderator waits its
full time again. Comments sent back by readers' reports are never purged (a
moderator must look at them), and neither is a comment with approved replies,
which would go with it.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from comments import decisions
from comments.models import Comment, CommentSettings, ModerationEvent
from comments.moderation.rules import SENT_BACK_RULE


def waiting_since():
    """When the comment last moved to pending; its posting time if it never moved."""
    moved = (
        ModerationEvent.objects.filter(comment=OuterRef("pk"), to_status=Comment.Status.PENDING)
        .exclude(from_status="")
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(moved), "created_at")


def has_approved_replies():
    return Exists(
        Comment.objects.filter(
            Q(parent=OuterRef("pk")) | Q(root=OuterRef("pk")), status=Comment.Status.APPROVED
        )
    )


class Command(BaseCommand):
    help = (
        "Delete pending comments waiting more than N days and spam older than M days "
        "(never reported comments or comments with approved replies)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pending-days", type=int, help="Default: the admin setting (90).")
        parser.add_argument("--spam-days", type=int, help="Default: the admin setting (30).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go; delete nothing."
        )

    def handle(self, *args, pending_days, spam_days, dry_run, **options):
        settings = CommentSettings.load()
        pending_days = settings.purge_pending_after_days if pending_days is None else pending_days
        spam_days = settings.purge_spam_after_days if spam_days is None else spam_days
        now = timezone.now()
        pending = (
            Comment.objects.pending()
            .exclude(moderation_rule=SENT_BACK_RULE)
            .alias(since=waiting_since())
            .filter(since__lt=now - timedelta(days=pending_days))
        )
        spam = Comment.objects.filter(
            status=Comment.Status.SPAM, created_at__lt=now - timedelta(days=spam_days)
        )
        verb = "Would delete" if dry_run else "Deleted"
        for label, old, days in [("pending", pending, pending_days), ("spam", spam, spam_days)]:
            old = old.alias(answered=has_approved_replies())
            kept = old.filter(answered=True).count()
            doomed = old.filter(answered=False)
            count = doomed.count()
            if not dry_run and count:
                decisions.purge(doomed)
            self.stdout.write(f"{verb} {count} {label} comment(s) older than {days} days.")
            if kept:
                self.stdout.write(
                    f"Kept {kept} old {label} comment(s) with approved replies: "
                    "decide them in the admin."
                )
