"""Medical safety: what in a comment a moderator must see first.

Pure: text in, findings out. Imports nothing else from comments, so the rules,
the admin and scripts can all use it.
"""

from comments.safety.detector import (
    CATEGORIES,
    DOSING,
    MIRACLE_CURE,
    PRIORITY,
    RED_FLAG,
    REVIEW,
    SELF_HARM,
    URGENT,
    ExtraPhrase,
    Finding,
    Span,
    detect,
    prepare,
    segments,
)

__all__ = [
    "CATEGORIES",
    "DOSING",
    "MIRACLE_CURE",
    "PRIORITY",
    "RED_FLAG",
    "REVIEW",
    "SELF_HARM",
    "URGENT",
    "ExtraPhrase",
    "Finding",
    "Span",
    "detect",
    "prepare",
    "segments",
]
