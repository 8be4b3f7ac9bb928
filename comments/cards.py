"""Each comment's card head: what every reader sees of its author, rendered once.

The article page shows hundreds of comments, and rendering each through the
template engine on every request was most of a cold render
(docs/performance.md). So the part of a comment that is the same for every
reader and depends on the comment alone (its label, avatar and author's
name, or a deleted comment's placeholder avatar) is stored in
Comment.card_html by comments/decisions.py whenever one of them changes.
The text is stored already (Comment.body_html). What differs between readers
or requests is added around them per request by
comments/readers/comment_list.py: the dates, "replying to", "awaiting
moderation" and the footer's links.

A stored card starts with a stamp of what made it: this file and the
avatars' URL. A change of either gives a new stamp, and a card with an older
one is rendered again on the fly until `manage.py refresh_comment_cards`
stores it again, so a deploy never shows a stale card. The placeholder
avatar's URL (a static file, hashed by collectstatic) is put in per request,
so a decision made where no static files are collected (a task worker, a
command) can still store its card.
"""

import hashlib
from functools import cache
from html import escape
from pathlib import Path

from django.templatetags.static import static
from django.urls import reverse

from comments.models import Comment

AVATAR_FALLBACK = "comments/user-avatar.svg"
IMG = 'alt="User avatar" width="48" height="48" loading="lazy" decoding="async"'
# Where the placeholder avatar's URL goes; a control character no HTML text holds.
FALLBACK = "\x1f"


@cache
def _avatar_url() -> str:
    """The avatar URL with {} for its token."""
    sample = "0" * 32
    return reverse("comments:avatar", args=[sample]).replace(sample, "{}")


@cache
def stamp() -> str:
    made_by = Path(__file__).read_bytes() + _avatar_url().encode()
    return f"<!--card {hashlib.sha256(made_by).hexdigest()[:12]}-->"


def fallback_url() -> str:
    """The placeholder avatar's URL, for stored_head(): once per page."""
    return static(AVATAR_FALLBACK)


def card_html(comment: Comment) -> str:
    """The card's opening and its header's author part, stamped, for Comment.card_html.

    Reads pk, author_name, email_token and deleted_at.
    """
    if comment.deleted_at:
        head = (
            '<article class="comment-card" aria-label="Deleted comment">\n'
            '    <header class="comment-meta">\n'
            f'      <img class="comment-avatar" src="{FALLBACK}" {IMG}>'
        )
    else:
        name = escape(comment.display_name).replace(FALLBACK, "")
        head = (
            f'<article class="comment-card" aria-label="Comment by {name}">\n'
            '    <header class="comment-meta">\n'
            f'      <img class="comment-avatar" src="{_avatar_url().format(comment.avatar_token)}"'
            f' data-fallback="{FALLBACK}" {IMG}>\n'
            f'      <span class="comment-author">{name}</span>'
        )
    return stamp() + head


def stored_head(comment: Comment, fallback: str) -> str:
    """The card's head from Comment.card_html, or made now when missing or stamped older.

    fallback is fallback_url().
    """
    card, current = comment.card_html, stamp()
    if not card.startswith(current):
        card = card_html(comment)
    return card[len(current) :].replace(FALLBACK, fallback)
