"""The figures on the moderation dashboard, from the queue and the audit log.

"Time to decision" runs from posting to the first event that moved a comment
out of pending (its first approve, reject or spam), for comments whose first
decision falls in the window. Decisions per moderator count a person's
status changes on existing comments, not their own replies.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q
from django.utils import timezone

from comments.models import Comment, ModerationEvent, Report
from comments.moderation.rules import MEDICAL_RULES, URGENT_RULES
from comments.moderation.safety_holds import REVIEW_RULES

WINDOWS = (7, 30)


@dataclass(frozen=True)
class ModeratorTally:
    name: str
    last_7_days: int
    last_30_days: int


@dataclass(frozen=True)
class Figures:
    pending: int
    oldest_pending_age: timedelta | None
    median_to_decision: dict[int, timedelta | None]
    decided: dict[int, int]
    by_moderator: list[ModeratorTally]
    open_reports: int
    # Pending medical-safety holds: self-harm and red flags, dosing and miracle cures.
    urgent_holds: int = 0
    review_holds: int = 0
    oldest_safety_hold_age: timedelta | None = None


def moderation_figures(now: datetime | None = None) -> Figures:
    """Every figure in four queries."""
    now = now or timezone.now()
    safety = Q(moderation_rule__in=MEDICAL_RULES)
    queue = Comment.objects.pending().aggregate(
        count=Count("pk"),
        oldest=Min("created_at"),
        urgent=Count("pk", filter=Q(moderation_rule__in=URGENT_RULES)),
        review=Count("pk", filter=Q(moderation_rule__in=REVIEW_RULES)),
        oldest_safety=Min("created_at", filter=safety),
    )
    waits = _decision_times(since=now - timedelta(days=max(WINDOWS)))
    in_window = {
        days: [wait for decided_at, wait in waits if decided_at >= now - timedelta(days=days)]
        for days in WINDOWS
    }
    return Figures(
        pending=queue["count"],
        oldest_pending_age=now - queue["oldest"] if queue["oldest"] else None,
        median_to_decision={
            days: statistics.median(found) if found else None for days, found in in_window.items()
        },
        decided={days: len(found) for days, found in in_window.items()},
        by_moderator=_tallies(now),
        open_reports=Report.objects.open().count(),
        urgent_holds=queue["urgent"],
        review_holds=queue["review"],
        oldest_safety_hold_age=now - queue["oldest_safety"] if queue["oldest_safety"] else None,
    )


def _decision_times(since: datetime) -> list[tuple[datetime, timedelta]]:
    """(first decision, wait since posting) for comments first decided since then."""
    rows = (
        ModerationEvent.objects.first_decisions()
        .values("comment_id")
        .annotate(decided_at=Min("created_at"), posted_at=Min("comment__created_at"))
        .filter(decided_at__gte=since)
        .order_by()
    )
    return [(row["decided_at"], row["decided_at"] - row["posted_at"]) for row in rows]


def _tallies(now: datetime) -> list[ModeratorTally]:
    name = f"actor__{get_user_model().USERNAME_FIELD}"
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    rows = (
        ModerationEvent.objects.by_moderators()
        .filter(created_at__gte=month)
        .values(name)
        .annotate(month=Count("pk"), week=Count("pk", filter=Q(created_at__gte=week)))
        .order_by("-month", name)
    )
    return [ModeratorTally(row[name], row["week"], row["month"]) for row in rows]


def duration_text(duration: timedelta | None) -> str:
    """ "2 days 3 hours", "4 minutes": two units are plenty for a queue."""
    if duration is None:
        return "—"
    seconds = int(duration.total_seconds())
    units = [("day", 86400), ("hour", 3600), ("minute", 60)]
    parts = []
    for unit, size in units:
        amount, seconds = divmod(seconds, size)
        if amount or parts:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
        if len(parts) == 2:
            break
    parts = [part for part in parts if not part.startswith("0 ")]
    return " ".join(parts) or "under a minute"
