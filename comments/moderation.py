"""What happens to a new comment before anyone sees it.

Each rule is a small named function returning a Decision or None; the first
that decides wins, and its reason is stored on the comment. Issue 5 adds the
anti-spam and medical-safety rules to RULES.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from comments.models import Comment


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


Rule = Callable[[Comment], Decision | None]


def staff_comments_are_published(comment: Comment) -> Decision | None:
    """Staff speak for the site: their replies need no second pair of eyes."""
    if comment.user is not None and comment.user.is_staff:
        return Decision(Comment.Status.APPROVED, "Written by staff")
    return None


RULES: list[Rule] = [staff_comments_are_published]
HOLD = Decision(Comment.Status.PENDING, "New comments wait for a moderator")


def moderate(comment: Comment, rules: list[Rule] = RULES) -> Decision:
    """Set the new comment's status from the first rule that decides."""
    decision = next((d for rule in rules if (d := rule(comment))), HOLD)
    comment.status = decision.status
    comment.moderation_reason = decision.reason
    if decision.status != Comment.Status.PENDING:
        comment.decided_at = timezone.now()
    return decision
