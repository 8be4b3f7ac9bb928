"""make safety-report: how the medical-safety detector does on the labelled corpus."""

from django.core.management.base import BaseCommand

from comments.moderation.rules import PostContext
from comments.safety.evaluation import TEST, TRAIN, corpus, evaluate, text_report


class Command(BaseCommand):
    help = "Recall, false alarms, every miss and false alarm, and cost, on the held-out split."

    def add_arguments(self, parser):
        parser.add_argument("--split", choices=[TEST, TRAIN, "all"], default=TEST)
        parser.add_argument(
            "--no-phrases",
            action="store_true",
            help="Leave out the moderators' medical-safety phrases (the lexicon alone).",
        )

    def handle(self, *args, split, no_phrases, **options):
        # As the rules run it: the lexicon plus the moderators' phrases from the database.
        extras = () if no_phrases else PostContext().safety_phrases
        examples = corpus(None if split == "all" else split)
        with_what = "the lexicon alone" if no_phrases else f"lexicon + {len(extras)} phrases"
        title = f"Medical-safety detector on the {split} split ({with_what})"
        self.stdout.write(text_report(evaluate(examples, extras), title))
