"""make safety-report: how the medical-safety detector does on the labelled corpus."""

from pathlib import Path

from django.core.management.base import BaseCommand

from comments.moderation.rules import PostContext
from comments.safety.evaluation import (
    TEST,
    TRAIN,
    corpus,
    evaluate,
    evaluate_left_out,
    text_report,
)


class Command(BaseCommand):
    help = "Recall, false alarms, every miss and false alarm, and cost, on the held-out split."

    def add_arguments(self, parser):
        parser.add_argument(
            "--split",
            choices=[TEST, TRAIN, "all"],
            help="Which of the text-hash split to report on: test by default, all with --file "
            "or --leave-out.",
        )
        parser.add_argument(
            "--no-phrases",
            action="store_true",
            help="Leave out the moderators' medical-safety phrases (the lexicon alone).",
        )
        parser.add_argument(
            "--batch",
            type=int,
            action="append",
            help="Only the comments of this batch (repeatable): a new batch's own figures.",
        )
        parser.add_argument(
            "--file",
            type=Path,
            help="Another JSONL file of labelled comments, e.g. a new batch before it joins "
            "the corpus: its first run, the honest measure of unseen phrasings.",
        )
        parser.add_argument(
            "--figures-only",
            action="store_true",
            help="Recall, false alarms and cost, without the comments: how a held-out batch "
            "is measured and stays unread (make safety-held-out).",
        )
        parser.add_argument(
            "--leave-out",
            type=lambda value: [int(b) for b in value.split(",")],
            metavar="B1,B2,...",
            help="Judge each of these batches by models trained without it: how the second "
            "opinion's thresholds are chosen (lexicon.toml). All of each batch, or with "
            "--split only that split's members (train: the misses one may read while tuning).",
        )

    def handle(self, *args, split, no_phrases, batch, file, leave_out, figures_only, **options):
        # As the rules run it: the lexicon plus the moderators' phrases from the database.
        extras = () if no_phrases else PostContext().safety_phrases
        with_what = "the lexicon alone" if no_phrases else f"lexicon + {len(extras)} phrases"
        if leave_out:
            batches = ", ".join(map(str, leave_out))
            only = None if split == "all" else split
            members = f", {only} split only" if only else ""
            title = f"Medical-safety detector on batches {batches}, each left out{members}"
            title += f" ({with_what})"
            report = evaluate_left_out(leave_out, extras, only)
            self.stdout.write(text_report(report, title, with_comments=not figures_only))
            return
        split = split or ("all" if file else TEST)
        examples = corpus(None if split == "all" else split, **({"path": file} if file else {}))
        if batch:
            examples = [e for e in examples if e.batch in batch]
        source = f"{file.name}, " if file else ""
        batches = f", batch {', '.join(map(str, batch))}" if batch else ""
        title = f"Medical-safety detector on {source}the {split} split{batches} ({with_what})"
        report = evaluate(examples, extras)
        self.stdout.write(text_report(report, title, with_comments=not figures_only))
