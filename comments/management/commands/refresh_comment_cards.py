"""Store every comment's card head again: run after a deploy that changed comments/cards.py.

Until it runs, cards made by the older code are rendered on the fly, so the
page is right either way; this makes it fast again.
"""

from django.core.management.base import BaseCommand

from comments import decisions
from comments.models import Comment


class Command(BaseCommand):
    help = "Render and store every comment's card head (comments/cards.py)."

    def handle(self, *args, **options):
        count = decisions.refresh_cards(Comment.objects.all())
        self.stdout.write(f"Stored the cards of {count} comments.")
