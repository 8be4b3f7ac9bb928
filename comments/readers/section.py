"""The discussion under an article, "Your thoughts on this", put together in one place.

comment_section() gathers what the section shows for this reader: a page of
threads, the reader's own pending comments marked as theirs, the form (or a
bound, invalid one coming back with its errors) and the messages about the
post just made. discussion() renders it; the article page calls it through
settings.ARTICLE_PAGE_SECTIONS (articles/pages.py).
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string

from articles import page_cache
from comments.models import CommentSettings, ShownComment
from comments.moderation.rules import MEDICINE_HELP, SELF_HARM_HELP, URGENT_HELP
from comments.ownership import KEEP, MAX_AGE, can_still_edit, edit_deadline, own_comment_ids
from comments.readers.comment_list import CommentList
from comments.readers.form_html import form_html
from comments.readers.forms import CommentForm, reply_target
from comments.threads import PAGE_PARAM, order_query, page_query, thread_page, wants_newest


def comment_section(request, article, form=None) -> dict:
    """The section's context; form is a bound, invalid form coming back, if any."""
    params = request.GET
    own_ids = own_comment_ids(request)
    newest = wants_newest(params)
    version = page_cache.discussion_version(request, article)
    page = thread_page(article, params.get(PAGE_PARAM), own_ids, newest=newest, version=version)
    mine = mark_own(page.object_list, set(own_ids))
    awaiting = sum(1 for comment in mine if getattr(comment, "awaiting_moderation", False))
    if form is None and article.allow_comments:
        reply_to = reply_target(article, params.get("reply_to"))
        form = CommentForm(article=article, reply_to=reply_to, newest=newest)
    this_page = page_query(page.number, newest)
    reply_query = f"{this_page}&" if this_page else "?"
    article_url = article.get_absolute_url()
    comments = CommentList(
        article=article, article_url=article_url, page_query=this_page, reply_query=reply_query
    )
    messages = get_messages(request)
    return {
        "article": article,
        "article_url": article_url,
        "page_obj": page,
        "comment_list": comments.html(page.object_list),
        "page_query": this_page,
        "newest": newest,
        "order_query": order_query(newest),
        "count": article.approved_comment_count,
        "count_line": count_line(article.approved_comment_count, awaiting),
        "form": form,
        "form_html": form_html(form) if form is not None and article.allow_comments else "",
        "reply_to": form.reply_target if form is not None else None,
        "urgent_help": any(message.level in (URGENT_HELP, SELF_HARM_HELP) for message in messages),
        "self_harm_help": any(message.level == SELF_HARM_HELP for message in messages),
        "medicine_help": any(message.level == MEDICINE_HELP for message in messages),
        # Shown in the section, where the poster lands, not atop the page.
        "messages": messages,
        "privacy": {
            "cookie_days": MAX_AGE // (60 * 60 * 24),
            "cookie_keeps": KEEP,
            "contact_email": settings.MODERATION_CONTACT_EMAIL,
        },
    }


def count_line(published: int, awaiting: int) -> str:
    """The line above the threads: how many are published, and the reader's own waiting ones.

    Empty when there is nothing at all: the section then invites a first comment.
    """
    if not awaiting:
        return f"{published} comment{pluralize(published)}" if published else ""
    if published:
        shown = f"{published} published comment{pluralize(published)}."
    else:
        shown = "No published comments yet."
    if awaiting == 1:
        return f"{shown} Yours is awaiting moderation."
    return f"{shown} Your {awaiting} comments are awaiting moderation."


def mark_own(comments, own_ids: set[int]) -> list[ShownComment]:
    """Flag the reader's own comments, for their edit and delete links; returns them.

    One still in its edit window gets edit_until, when the window closes: the
    edit link shows until then, and says so.
    """
    mine = []
    for comment in every_comment(comments):
        comment.is_mine = comment.pk in own_ids
        comment.edit_until = None
        if comment.is_mine:
            mine.append(comment)
    if mine:
        # A read of the shared cache, only for a reader whose comments are shown.
        minutes = CommentSettings.load().edit_window_minutes
        for comment in mine:
            if can_still_edit(comment, minutes):
                comment.edit_until = edit_deadline(comment, minutes)
    return mine


def every_comment(comments):
    """The comments and, depth first, the replies under each."""
    for comment in comments:
        yield comment
        yield from every_comment(getattr(comment, "thread_replies", []))


def discussion(request, article, *, comment_form=None, **options) -> str:
    """The section's HTML, for the article page (see ARTICLE_PAGE_SECTIONS)."""
    context = comment_section(request, article, comment_form)
    return render_to_string("comments/_section.html", context, request=request)
