"""The comments app's data: rows and the queries that shape them, no side effects.

Changes of a comment's fate and what follows them live in comments/decisions.py.
"""

from comments.models.comment import (
    DELETED_TEXT,
    MAX_DEPTH,
    PUBLIC_FIELDS,
    Comment,
    CommentQuerySet,
    Dashboard,
    ShownComment,
    earlier_comments_by_poster,
    email_token_for,
)
from comments.models.comment_settings import CommentSettings
from comments.models.event import ModerationEvent
from comments.models.phrase import Phrase
from comments.models.report import Report
from comments.models.subscriber import Subscriber

__all__ = [
    "DELETED_TEXT",
    "MAX_DEPTH",
    "PUBLIC_FIELDS",
    "Comment",
    "CommentQuerySet",
    "CommentSettings",
    "Dashboard",
    "ModerationEvent",
    "Phrase",
    "Report",
    "ShownComment",
    "Subscriber",
    "earlier_comments_by_poster",
    "email_token_for",
]
