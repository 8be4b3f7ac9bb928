"""The reply-email flow, shared by the in-process tests and the worker scenario."""

from comments import decisions, subscriptions
from comments.models import Comment, email_token_for

MARGARET = "margaret@example.com"
S = Comment.Status


def add_comment(article, body, parent=None, **fields) -> Comment:
    comment = Comment(article=article, body=body, **fields)
    comment.attach_to(parent)
    return decisions.add(comment)


def a_pending_reply_to_a_subscriber(article) -> Comment:
    """Margaret asked for reply emails and confirmed; a guest's reply to her waits."""
    subscriptions.confirm(email_token_for(MARGARET))
    parent = add_comment(
        article, "Drinking water before bed helped my cramps.", author_name="Margaret",
        author_email=MARGARET, notify_replies=True, status=S.APPROVED,
    )  # fmt: skip
    return add_comment(article, "Magnesium did nothing for me.", parent=parent)


def approve(reply: Comment) -> None:
    decisions.approve(Comment.objects.filter(pk=reply.pk))
