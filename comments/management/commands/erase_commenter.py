"""Erase a person from the comments, on request (GDPR article 17).

By default their comments stay, anonymous: name, email, email hash and
address hash are blanked, so nothing links the text to them any more. With
--delete the comments go too; one with replies from others stays as the same
placeholder an author's own delete leaves, so nobody else's words are lost.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments import decisions
from comments.models import Comment


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
        if dry_run:
            count = Comment.objects.by_commenter(email).count()
            verb = "delete" if delete else "anonymize"
            self.stdout.write(f"Would {verb} {count} comment(s).")
            return
        count = decisions.erase_commenter(email, delete=delete)
        self.stdout.write(f"{'Deleted' if delete else 'Anonymized'} {count} comment(s).")
