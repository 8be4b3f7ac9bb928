"""Erase a person from the comments, on request (GDPR article 17).

By default their comments stay, anonymous: name, email, email hash and
address hash are blanked, so nothing links the text to them any more. With
--delete the comments go too; one with replies from others stays as the same
placeholder an author's own delete leaves, so nobody else's words are lost.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from comments.models import Comment, email_token_for
from comments.ownership import delete_own


class Command(BaseCommand):
    help = "Anonymize (or with --delete, remove) every comment posted with EMAIL."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--delete", action="store_true", help="Delete the comments instead of anonymizing."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; change nothing."
        )

    def handle(self, *args, email, delete, dry_run, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        theirs = Comment.objects.filter(
            Q(author_email__iexact=email) | Q(email_token=email_token_for(email))
        )
        count = theirs.count()
        if dry_run:
            verb = "delete" if delete else "anonymize"
            self.stdout.write(f"Would {verb} {count} comment(s).")
            return
        with transaction.atomic():
            if delete:
                for comment in theirs.order_by("-depth"):  # replies before parents
                    delete_own(comment)
            else:
                # No status changes, so counts and the audit log are unaffected.
                theirs.update(author_name="", author_email="", email_token="", ip_hash="")
            forget_subscriber(email)
        self.stdout.write(f"{'Deleted' if delete else 'Anonymized'} {count} comment(s).")


def forget_subscriber(email: str) -> None:
    """Reply-email consent is about the person too: drop it."""
    from comments.subscriptions import Subscriber

    token = email_token_for(email)
    if token:
        Subscriber.objects.filter(email_token=token).delete()
