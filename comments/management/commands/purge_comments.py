"""Remove comments nobody will ever publish: old unmoderated ones and old spam.

Run it daily (cron or a scheduler). Without options the ages come from the
admin's Comment settings. Counts on articles are fixed as comments go.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.config import CommentSettings
from comments.models import Comment


class Command(BaseCommand):
    help = "Delete pending comments older than N days and spam older than M days."

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
        groups = [
            ("pending", Comment.Status.PENDING, pending_days),
            ("spam", Comment.Status.SPAM, spam_days),
        ]
        for label, status, days in groups:
            old = Comment.objects.filter(status=status, created_at__lt=now - timedelta(days=days))
            count = old.count()
            if not dry_run and count:
                old.delete()
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(f"{verb} {count} {label} comment(s) older than {days} days.")
