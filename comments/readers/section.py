"""The discussion under an article, "Your thoughts on this", put together in one place.

comment_section() gathers what the section shows for this reader: a page of
threads, the reader's own pending comments marked as theirs, the form (or a
bound, invalid one coming back with its errors) and the messages about the
post just made. discussion() renders it; the article page calls it through
settings.ARTICLE_PAGE_SECTIONS (articles/pages.py).
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.template.loader import render_to_string

from comments.moderation.rules import MEDICINE_HELP, URGENT_HELP
from comments.ownership import KEEP, MAX_AGE, own_comment_ids
from comments.readers.forms import CommentForm, reply_target
from comments.threads import thread_page


def comment_section(request, article, form=None) -> dict:
    """The section's context; form is a bound, invalid form coming back, if any."""
    params = request.GET
    own_ids = own_comment_ids(request)
    page = thread_page(article, params.get("comments_page"), own_ids)
    mark_own(page.object_list, set(own_ids))
    if form is None and article.allow_comments:
        form = CommentForm(article=article, reply_to=reply_target(article, params.get("reply_to")))
    page_query = f"?comments_page={page.number}" if page.number > 1 else ""
    messages = get_messages(request)
    return {
        "article": article,
        "article_url": article.get_absolute_url(),
        "page_obj": page,
        "page_query": page_query,
        "reply_query": f"{page_query}&" if page_query else "?",
        "count": article.approved_comment_count,
        "form": form,
        "reply_to": form.reply_target if form is not None else None,
        "urgent_help": any(message.level == URGENT_HELP for message in messages),
        "medicine_help": any(message.level == MEDICINE_HELP for message in messages),
        # Shown in the section, where the poster lands, not atop the page.
        "messages": messages,
        "privacy": {
            "cookie_days": MAX_AGE // (60 * 60 * 24),
            "cookie_keeps": KEEP,
            "contact_email": settings.MODERATION_CONTACT_EMAIL,
        },
    }


def mark_own(comments, own_ids: set[int]) -> None:
    """Flag the reader's own comments, for their edit and delete links."""
    for comment in comments:
        comment.is_mine = comment.pk in own_ids
        mark_own(getattr(comment, "thread_replies", []), own_ids)


def discussion(request, article, *, comment_form=None, **options) -> str:
    """The section's HTML, for the article page (see ARTICLE_PAGE_SECTIONS)."""
    context = comment_section(request, article, comment_form)
    return render_to_string("comments/_section.html", context, request=request)
