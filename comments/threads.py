"""A page of comment threads, loaded in a fixed number of queries.

One query counts the article's threads, one loads the page's top-level
comments, one loads every reply under them; the tree is built in Python.
A reader's own pending comments, if any, cost one more.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Q

from comments.models import Comment

THREADS_PER_PAGE = 50


def _threads(article):
    return Comment.objects.published().filter(article=article, depth=0)


def thread_page(article, number=None, own_ids=()) -> Page:
    """The page's threads, each comment with .thread_replies filled in."""
    page = Paginator(_threads(article).for_article_page(), THREADS_PER_PAGE).get_page(number)
    roots = list(page.object_list)
    replies = []
    if roots:
        replies = list(
            Comment.objects.published()
            .filter(root__in=[root.pk for root in roots])
            .for_article_page()
        )
    pending = _own_pending(article, own_ids)
    if not page.has_next():
        roots += [comment for comment in pending if comment.depth == 0]
    _build_tree(roots, replies + [c for c in pending if c.depth > 0])
    page.object_list = roots
    return page


def _own_pending(article, own_ids) -> list[Comment]:
    if not own_ids:
        return []
    pending = list(
        article.comments.awaiting_for_author().filter(pk__in=list(own_ids)).for_article_page()
    )
    for comment in pending:
        comment.awaiting_moderation = True
    return sorted(pending, key=lambda c: (c.depth, c.created_at, c.pk))


def _build_tree(roots, replies) -> None:
    by_id = {}
    for comment in [*roots, *replies]:
        comment.thread_replies = []
        by_id[comment.pk] = comment
    for reply in replies:
        parent = by_id.get(reply.parent_id)
        if parent is not None:
            parent.thread_replies.append(reply)


def page_number_of(comment: Comment) -> int:
    """Which page shows this comment's thread, for the redirect after posting."""
    threads = _threads(comment.article)
    if comment.depth == 0:
        # A new thread is shown, to its author, at the end of the last page.
        return max(1, -(-threads.count() // THREADS_PER_PAGE))
    root = comment.root
    before = threads.filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    ).count()
    return before // THREADS_PER_PAGE + 1


def comment_url(comment: Comment) -> str:
    """The comment on its page of the article: where posting, emails and reports lead."""
    page = page_number_of(comment)
    query = f"?comments_page={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
