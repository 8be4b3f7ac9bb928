"""Fill every article with plausible reader comments, for demos and benchmarks."""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments import decisions
from comments.models import Comment

COMMENTS = [
    "I get cramps in my calves almost every night around 3am. "
    "Stretching before bed has helped a bit.",
    "Drinking a glass of water before bed made a real difference for me.",
    "My GP said my cramps were probably linked to my blood pressure tablets. Worth asking about.",
    "Thank you for explaining this so clearly. I had no idea cramps could be caused by medicines.",
    "I'm 34 weeks pregnant and the cramps are awful. "
    "Flexing my foot upwards is the only thing that works.",
    "Does anyone else get them in the arch of the foot rather than the calf?",
    "The calf stretch against the wall is my go-to now. Thirty seconds each side.",
    "I used to wake up screaming with cramp. It turned out I was very dehydrated from running.",
    "Good to know when to see a doctor. I'd been putting it off for months.",
    "My mum has had night cramps for years. I'll share this with her.",
    "I tried magnesium but honestly didn't notice any difference.",
    "Standing up and walking around is the fastest way to stop one for me.",
    "Helpful article. The bit about restless legs versus cramps cleared up a lot of confusion.",
    "I cycle a lot and get cramps mid-ride on hot days. Electrolytes seem to help.",
    "Is it normal for the muscle to feel sore the whole next day?",
    "My physio recommended stretching my hamstrings too, not just the calves.",
    "I found that keeping the duvet loose over my feet stopped my toes pointing, and fewer cramps.",
    "Cramps got much better once I swapped my old trainers for supportive shoes.",
    "The warning signs for a clot are really useful. My friend ignored a swollen calf once.",
    "Reassuring to read that most cramps are harmless.",
    "I get cramps after long shifts standing at work. Compression socks have helped.",
    "A warm bath before bed seems to relax my legs.",
    "I'm 72 and they seem to get worse with age. Good to know I'm not alone.",
    "I had never heard of statins causing muscle problems. Going to mention it at my review.",
    "Pointing my toes in bed triggers it instantly. Now I try not to.",
    "Thanks for the clear list of when to get urgent help.",
    "My daughter gets growing pains; is that the same thing as cramp?",
    "Cutting down on coffee in the evening seemed to help me, though it may be coincidence.",
    "Gentle yoga in the morning and evening has reduced mine a lot.",
    "I massage the calf firmly while pulling my toes towards me and it eases in a minute.",
    "Really well written. I appreciate that it says who reviewed it and when.",
    "I get them in my thighs too, mostly after gardening.",
    "Keeping a diary of when they happened helped my doctor work out the cause.",
    "I wish I'd read this years ago.",
    "Nice to see practical advice rather than miracle cures.",
    "I was worried it was something serious, but my blood tests came back normal.",
    "Hot weather is always worse for me. Drinking more during the day helps.",
    "Could you write something about cramps in the hands as well?",
    "The diagram of the stretch would be great as a printable sheet.",
    "Walking barefoot on a cold floor stops mine quickly, oddly enough.",
]
REPLIES = [
    "Same here, the wall stretch works for me too.",
    "Thanks for sharing, I'll try that tonight.",
    "That's exactly what happens to me.",
    "Worth mentioning to your GP, mine was very helpful.",
    "I found the same thing with water.",
    "Glad it's not just me!",
    "Good tip, thank you.",
    "Did it help long term?",
    "Mine improved after a few weeks of stretching every night.",
    "I'd second asking a pharmacist about your medicines.",
]
NAMES = [
    "Margaret",
    "Tom",
    "Priya S.",
    "David",
    "Aisha",
    "Jen",
    "Kwame",
    "Sarah W.",
    "Mike",
    "Helen",
    "Li Wei",
    "Rosa",
    "Gareth",
    "Fiona",
    "Sam",
    "",
    "",
    "",
    "",
    "",
]


class Command(BaseCommand):
    help = "Create N realistic demo comments per article, with some replies (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--per-article", type=int, required=True, metavar="N")
        parser.add_argument(
            "--status",
            choices=[Comment.Status.APPROVED, Comment.Status.PENDING],
            default=Comment.Status.PENDING,
        )
        parser.add_argument("--seed", type=int, default=None, help="For repeatable data.")

    def handle(self, *args, per_article, status, seed, **options):
        if per_article < 0:
            raise CommandError("--per-article must be 0 or more.")
        articles = list(Article.objects.values_list("pk", flat=True))
        seeder = Seeder(random.Random(seed), status)  # noqa: S311 - demo text, not secrets
        with transaction.atomic():
            total = seeder.seed(articles, per_article)
        self.stdout.write(f"Created {total} {status} comments on {len(articles)} articles.")


class Seeder:
    BATCH = 500

    def __init__(self, rng: random.Random, status: str):
        self.rng = rng
        self.comment_status = status
        self.now = timezone.now()

    def seed(self, article_ids, per_article: int) -> int:
        replies, deep = per_article // 5, per_article // 10
        roots = self._create(
            self._comment(a, None, self.rng.choice(COMMENTS))
            for a in article_ids
            for _ in range(per_article - replies - deep)
        )
        level1 = self._replies_to(roots, replies, article_ids)
        level2 = self._replies_to(level1, deep, article_ids)
        return len(roots) + len(level1) + len(level2)

    def _replies_to(self, parents, per_article, article_ids):
        by_article = {}
        for parent in parents:
            by_article.setdefault(parent.article_id, []).append(parent)
        return self._create(
            self._comment(a, self.rng.choice(by_article[a]), self.rng.choice(REPLIES))
            for a in article_ids
            if a in by_article
            for _ in range(per_article)
        )

    def _comment(self, article_id, parent, body) -> Comment:
        name = self.rng.choice(NAMES)
        email = f"{name.split()[0].lower()}{self.rng.randint(1, 999)}@example.com" if name else ""
        if parent is None:
            created = self.now - timedelta(minutes=self.rng.randint(60, 60 * 24 * 180))
        else:
            later = timedelta(minutes=self.rng.randint(5, 60 * 24 * 3))
            created = min(parent.created_at + later, self.now)
        decided = self.now if self.comment_status == Comment.Status.APPROVED else None
        return Comment(
            article_id=article_id,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body=body,
            author_name=name,
            author_email=email,
            status=self.comment_status,
            moderation_reason="Demo data",
            decided_at=decided,
            created_at=created,
        )

    def _create(self, comments) -> list[Comment]:
        return decisions.add_many(list(comments), batch_size=self.BATCH)
