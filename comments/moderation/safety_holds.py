"""Medical-safety holds as moderators meet them: first in the queue, named, highlighted.

A safety hold is a pending comment whose moderation_rule is one of the medical
rules (stored by comments/decisions.py when it takes the rules' verdict), so
the queue sorts and the dashboard counts them in SQL. What the detector found
(category, concept, words) is not stored: it is read again from the text when
shown (the detector is pure and takes well under a millisecond a comment).
"""

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from comments.models import Comment, Phrase
from comments.moderation.rules import MEDICAL_RULES, URGENT_RULES, PostContext
from comments.safety import ExtraPhrase, Finding, detect

# Self-harm and red flags, then dosing and miracle cures, then everything else.
URGENT_RANK, REVIEW_RANK, OTHER_RANK = 0, 1, 2
REVIEW_RULES = MEDICAL_RULES - URGENT_RULES


def is_urgent_hold(comment: Comment) -> bool:
    """Pending for self-harm or a red flag: a moderator must see it now."""
    return comment.status == Comment.Status.PENDING and comment.moderation_rule in URGENT_RULES


def urgent_holds(comments: QuerySet) -> QuerySet:
    return comments.filter(status=Comment.Status.PENDING, moderation_rule__in=URGENT_RULES)


def review_holds(comments: QuerySet) -> QuerySet:
    return comments.filter(status=Comment.Status.PENDING, moderation_rule__in=REVIEW_RULES)


def safety_rank() -> Case:
    """0 for self-harm and red flags, 1 for dosing and miracle cures, 2 for the rest."""
    return Case(
        When(Q(moderation_rule__in=URGENT_RULES), then=Value(URGENT_RANK)),
        When(Q(moderation_rule__in=REVIEW_RULES), then=Value(REVIEW_RANK)),
        default=Value(OTHER_RANK),
        output_field=IntegerField(),
    )


def category_label(category: str) -> str:
    """ "Self-harm", "Red-flag symptom": the phrase list's name without its prefix."""
    return Phrase.Kind(category).label.removeprefix("Medical safety: ").capitalize()


def moderators_phrases() -> tuple[ExtraPhrase, ...]:
    """The medical-safety phrases moderators added, read in one query."""
    return PostContext().safety_phrases


def findings_for(comment: Comment, extra_phrases: Iterable[ExtraPhrase] = ()) -> list[Finding]:
    """What the detector finds in the comment's text now, most urgent first."""
    if comment.deleted_at is not None or not comment.body:
        return []
    return detect(comment.body, tuple(extra_phrases))
