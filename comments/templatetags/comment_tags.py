from datetime import timedelta

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import urlize
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from comments.forms import CommentForm, reply_target
from comments.ownership import KEEP, MAX_AGE, delete_url, edit_url, own_comment_ids
from comments.rules import MEDICINE_HELP, URGENT_HELP
from comments.threads import thread_page

register = template.Library()

UGC_REL = 'rel="nofollow ugc noopener"'


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, article):
    """The discussion under an article: threads, paging and the form.

    The article view may put a bound, invalid form in the context as
    comment_form, so a bad submission comes back with its text and errors.
    """
    request = context.get("request")
    params = request.GET if request is not None else {}
    own_ids = own_comment_ids(request)
    page = thread_page(article, params.get("comments_page"), own_ids)
    mark_own(page.object_list, set(own_ids))
    form = context.get("comment_form")
    if form is None and article.allow_comments:
        form = CommentForm(article=article, reply_to=reply_target(article, params.get("reply_to")))
    page_query = f"?comments_page={page.number}" if page.number > 1 else ""
    return {
        "article": article,
        "article_url": article.get_absolute_url(),
        "page_obj": page,
        "page_query": page_query,
        "reply_query": f"{page_query}&" if page_query else "?",
        "count": article.approved_comment_count,
        "form": form,
        "reply_to": form.reply_target if form is not None else None,
        "request": request,
        "urgent_help": note_requested(request, URGENT_HELP),
        "medicine_help": note_requested(request, MEDICINE_HELP),
        # An inclusion tag's template gets none of the context processors' values:
        # the section shows the messages about comments where the poster lands.
        "messages": get_messages(request) if request is not None else [],
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


def note_requested(request, level: int) -> bool:
    """Whether the post just made asked for a note: when to get urgent help, or about medicines."""
    return request is not None and any(m.level == level for m in get_messages(request))


@register.filter
def edit_link(comment) -> str:
    return edit_url(comment)


@register.filter
def delete_link(comment) -> str:
    return delete_url(comment)


@register.filter
def comment_text(text: str) -> str:
    """Plain text made safe: escaped, links marked as user content, lines kept."""
    html = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    # Escaping turned every quote the commenter typed into &quot;, so only
    # urlize's own attribute can match here.
    html = html.replace('rel="nofollow"', UGC_REL)
    return mark_safe(linebreaksbr(html, autoescape=False))


@register.filter
def ago(moment) -> str:
    """ "3 days ago": one unit is enough next to the exact date."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def machine_time(moment) -> str:
    """For <time datetime>: HTML allows at most milliseconds, so whole seconds."""
    return timezone.localtime(moment).isoformat(timespec="seconds")
