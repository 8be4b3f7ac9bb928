"""The page's threads as HTML, without the template engine.

Each comment is its stored card head (comments/cards.py) and stored text
(Comment.body_html), with what differs between readers and requests put
around them here: the dates ("3 days ago" moves on), "replying to" (the
comment answered may be renamed, removed or hidden), "awaiting moderation",
the reader's own edit and delete links, and the links that carry the page's
query. It was the template comments/_comment.html; the markup is the same.
"""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from comments.cards import fallback_url, stored_head
from comments.dates import ago, clock_time, exact_date, machine_time
from comments.ownership import delete_url, edit_url

MODERATOR = '\n      <span class="badge text-bg-primary">Moderator</span>'
AWAITING = '\n      <span class="badge text-bg-warning">Awaiting moderation</span>'
EDITED = '\n    <p class="comment-edited"><small>Edited by a moderator</small></p>'


class CommentList:
    """What every comment on this page shares: the page's links and the time now."""

    def __init__(self, *, article, article_url: str, page_query: str, reply_query: str):
        self.can_reply = article.allow_comments
        self.permalink = escape(f"{article_url}{page_query}#comment-")
        self.reply = escape(f"{article_url}{reply_query}reply_to=")
        sample = 999_999_999
        self.report = reverse("comments:report", args=[sample]).split(str(sample))
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.fallback = fallback_url()

    def html(self, comments) -> SafeString:
        parts = []
        for comment in comments:
            self._comment(comment, parts)
        return mark_safe("".join(parts))  # noqa: S308  every text is escaped or stored escaped

    def _comment(self, comment, parts: list) -> None:
        pk = comment.pk
        pending = getattr(comment, "awaiting_moderation", False)
        deleted = comment.deleted_at is not None
        local = comment.created_at.astimezone(self.zone)  # timezone.localtime(), zone read once
        parts += [
            f'<li class="comment{" comment-pending" if pending else ""}" id="comment-{pk}">\n  ',
            stored_head(comment, self.fallback),
            _replying_to(comment.answers) if getattr(comment, "answers", None) else "",
            MODERATOR if comment.by_moderator else "",
            f'\n      <time class="comment-date" datetime="{local.isoformat(timespec="seconds")}">'
            f'<span class="comment-ago">{ago(comment.created_at, self.now)}</span>'
            f' <span class="comment-exact">({exact_date(local)})</span></time>',
            AWAITING if pending else "",
            "\n    </header>\n    ",
        ]
        text = comment.body_html
        if deleted:
            parts.append(f'<p class="comment-text comment-deleted"><em>{text}</em></p>')
        else:
            parts.append(f'<div class="comment-text">{text}</div>')
            if comment.edited_by_moderator_at:
                parts.append(EDITED)
        parts.append(
            '\n    <footer class="comment-actions">\n      '
            f'<a class="comment-permalink" href="{self.permalink}{pk}">Permalink</a>'
        )
        if not deleted:
            self._actions(comment, pending, parts)
        parts.append("\n    </footer>\n  </article>")
        replies = getattr(comment, "thread_replies", None)
        if replies:
            parts.append('\n  <ol class="comment-replies">\n')
            for reply in replies:
                self._comment(reply, parts)
            parts.append("\n  </ol>")
        parts.append("\n</li>\n")

    def _actions(self, comment, pending: bool, parts: list) -> None:
        pk, name = comment.pk, escape(comment.display_name)
        if self.can_reply and not pending:
            parts.append(
                f'\n      <a class="comment-reply" href="{self.reply}{pk}#comment-form">'
                f'Reply<span class="visually-hidden"> to {name}</span></a>'
            )
        if getattr(comment, "is_mine", False):
            edit_until = getattr(comment, "edit_until", None)
            if edit_until:
                parts.append(
                    f'\n      <a class="comment-edit" href="{escape(edit_url(comment))}"'
                    ' rel="nofollow">Edit<span class="visually-hidden"> your comment</span></a>'
                )
            parts.append(
                f'\n      <a class="comment-delete" href="{escape(delete_url(comment))}"'
                ' rel="nofollow">Delete<span class="visually-hidden"> your comment</span></a>'
            )
            if edit_until:
                at, clock = machine_time(edit_until), clock_time(edit_until)
                parts.append(
                    '\n      <span class="comment-edit-until">You can edit this until '
                    f'<time datetime="{at}">{clock}</time>.</span>'
                )
        elif not pending:
            before, after = self.report
            parts.append(
                f'\n      <a class="comment-report" href="{before}{pk}{after}" rel="nofollow">'
                f'Report<span class="visually-hidden"> comment by {name}</span></a>'
            )


def _replying_to(answers) -> str:
    name = "a deleted comment" if answers.deleted_at else escape(answers.display_name)
    return (
        '\n      <span class="comment-replying-to">replying to '
        f'<a href="#comment-{answers.pk}">{name}</a></span>'
    )
