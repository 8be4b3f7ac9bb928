"""A page of comment threads, loaded in a fixed number of queries.

One query loads the page's top-level comments, every reply under them and
the number of the article's threads; the tree is built in Python (a page
number past the last costs a count and that query again). Those rows are
kept in each process under the article's discussion version
(articles.models.DiscussionVersion, read with the article), which every
change to its comments moves on (comments/decisions.py), so the next reader
of the page pays none of them, even after a change elsewhere on the site.
A reader's own pending comments, if any, cost one more query, every time.

Threads are listed oldest first, or newest first with ?comments_order=newest;
the replies inside a thread always read oldest first, as a conversation.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.core.signals import setting_changed
from django.db.models import Count, Q, Subquery
from django.dispatch import receiver
from django.utils import timezone

from articles.page_cache import PageStore
from comments.models import PUBLIC_FIELDS, Comment, ShownComment
from cramps_site.prepared_queries import Prepared, Slot

THREADS_PER_PAGE = 50
PAGE_PARAM = "comments_page"
ORDER_PARAM = "comments_order"
NEWEST = "newest"


def wants_newest(params) -> bool:
    """Whether the address asks for the newest threads first; anything else is oldest first."""
    return params.get(ORDER_PARAM) == NEWEST


def order_query(newest: bool) -> str:
    """The query that keeps the order on every link: "comments_order=newest", or ""."""
    return urlencode({ORDER_PARAM: NEWEST}) if newest else ""


def page_query(number: int, newest: bool = False) -> str:
    """ "?comments_order=newest&comments_page=2", or "" for the first page, oldest first."""
    params = {ORDER_PARAM: NEWEST} if newest else {}
    if number > 1:
        params[PAGE_PARAM] = number
    return f"?{urlencode(params)}" if params else ""


def _threads(article):
    return Comment.objects.published().filter(article=article, depth=0)


def thread_page(article, number=None, own_ids=(), newest=False, version=None) -> Page:
    """The page's threads, each comment with .thread_replies filled in.

    The reader's own pending threads are the newest: they come at the end of
    the last page, or at the top of the first when the newest come first.
    version is the article's discussion version (articles.models.DiscussionVersion):
    given, the published rows are kept under it in this process.
    """
    published = _published_rows(article, number, newest, version)
    paginator = Paginator([], THREADS_PER_PAGE)
    paginator.count = published.count
    roots = [ShownComment(*row) for row in published.roots]
    page = Page(roots, published.number, paginator)
    replies = [ShownComment(*row) for row in published.replies]
    pending = _own_pending(article, own_ids)
    own_threads = [comment for comment in pending if comment.depth == 0]
    if newest and not page.has_previous():
        roots = own_threads[::-1] + roots
    elif not newest and not page.has_next():
        roots += own_threads
    _build_tree(roots, replies + [c for c in pending if c.depth > 0])
    page.object_list = roots
    return page


@dataclass(frozen=True)
class PublishedRows:
    count: int
    number: int
    roots: list[tuple]
    replies: list[tuple]


# Every change to an article's comments moves its discussion version
# (comments/decisions.py), so a page of rows kept under it is exact; what each
# reader adds is built anew.
KEPT = PageStore(settings.PAGE_CACHE_ENTRIES)


def _published_rows(article, number, newest: bool, version) -> PublishedRows:
    key = (article.pk, number, newest)
    if version is not None:
        kept = KEPT.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
    wanted = _wanted_page(number)
    rows = _read_page(article, wanted, newest) if wanted is not None else []
    if rows:
        count = rows[0][-1]
    elif wanted == 1:
        count = 0
    else:
        # Past the last page, or before the first: the last, as Paginator.get_page() gives.
        count = _threads(article).count()
        wanted = max(1, -(-count // THREADS_PER_PAGE))
        rows = _read_page(article, wanted, newest)
    rows.sort(key=_oldest_first)
    roots = [row[:-1] for row in rows if row[DEPTH] == 0]
    if newest:
        roots.reverse()
    replies = [row[:-1] for row in rows if row[DEPTH] != 0]
    published = PublishedRows(count, wanted, roots, replies)
    if version is not None:
        KEPT.put(key, (version, published))
    return published


DEPTH = PUBLIC_FIELDS.index("depth")
CREATED_AT = PUBLIC_FIELDS.index("created_at")


def _oldest_first(row: tuple) -> tuple:
    """CommentQuerySet.oldest_first(), on rows."""
    return (row[CREATED_AT], row[0])


# Past any real page; an OFFSET beyond it could overflow the database's integers.
MAX_PAGE = 1_000_000


def _wanted_page(number) -> int | None:
    """The page asked for: 1 if it is no number, None if below 1 or far past the end
    (the last page, then, as Paginator.get_page() gives)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        number = int(number)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else None


def _read_page(article, number: int, newest: bool) -> list[tuple]:
    """A page's threads and all their replies, in no order, each row ending with the
    number of the article's threads: one query, whatever the page holds.

    Its SQL is built once per process for each page number and order, with
    the article as a slot (cramps_site/prepared_queries.py), and kept while
    it gives what a new build would. The gate's ``publish_at <= now`` holds
    the moment of the build: for an article public by then, it holds for any
    later moment too (whether the article is public now is the gate's other
    part, its status, which stays in the query); for one scheduled later,
    the SQL is built again, and kept.
    """
    key = (number, newest)
    kept = PREPARED.get(key)
    if kept is None or article.publish_at > kept[0]:
        built_at = timezone.now()  # before the query's own now: an earlier moment
        kept = (built_at, Prepared.of(_page_query(ARTICLE, number, newest), ARTICLE))
        PREPARED.put(key, kept)
    return kept[1].bind(article=article.pk).rows()


# Any article, in the SQL built once for all (_read_page).
ARTICLE = Slot("article")


def _page_query(article_id: int, number: int, newest: bool):
    threads = _threads(article_id)
    ordered = threads.newest_first() if newest else threads.oldest_first()
    start = (number - 1) * THREADS_PER_PAGE
    on_page = ordered.values("pk")[start : start + THREADS_PER_PAGE]
    count = threads.order_by().values("article").annotate(n=Count("pk")).values("n")
    return (
        Comment.objects.published()
        .filter(Q(pk__in=on_page) | Q(root__in=on_page), article=article_id)
        .for_article_page()
        .annotate(thread_count=Subquery(count))
        # Sorted in Python (_published_rows): ordered here, SQLite walks every
        # approved comment of the site by its (status, created_at) index.
        .order_by()
    )


# The SQL of _page_query() for each page number and order, and when it was built.
PREPARED = PageStore(settings.PAGE_CACHE_ENTRIES)


@receiver(setting_changed)
def forget_rows_read_with_other_settings(**kwargs):
    KEPT.clear()
    PREPARED.clear()


def _own_pending(article, own_ids) -> list[ShownComment]:
    if not own_ids:
        return []
    rows = article.comments.awaiting_for_author().filter(pk__in=list(own_ids)).for_article_page()
    pending = [ShownComment(*row) for row in rows]
    for comment in pending:
        comment.awaiting_moderation = True
    return sorted(pending, key=lambda c: (c.depth, c.created_at, c.pk))


def _build_tree(roots, replies) -> None:
    """Hang each reply under its parent; a flattened reply also gets .answers.

    answers is the comment it replied to (Comment.replying_to), when shown on
    the page: it is in the same thread, so this costs no query.
    """
    by_id = {}
    for comment in [*roots, *replies]:
        comment.thread_replies = []
        comment.answers = None
        by_id[comment.pk] = comment
    for reply in replies:
        parent = by_id.get(reply.parent_id)
        if parent is not None:
            parent.thread_replies.append(reply)
        reply.answers = by_id.get(reply.replying_to_id)


def page_number_of(comment: Comment, newest: bool = False) -> int:
    """Which page shows this comment's thread, for the redirect after posting."""
    threads = _threads(comment.article)
    if comment.depth == 0:
        # A new thread is shown, to its author, with the newest: the end of
        # the last page, or the top of the first.
        return 1 if newest else max(1, -(-threads.count() // THREADS_PER_PAGE))
    root = comment.root
    if newest:
        ahead = Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
    else:
        ahead = Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    return threads.filter(ahead).count() // THREADS_PER_PAGE + 1


def comment_url(comment: Comment, newest: bool = False) -> str:
    """The comment on its page of the article: where posting, emails and reports lead."""
    query = page_query(page_number_of(comment, newest), newest)
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
