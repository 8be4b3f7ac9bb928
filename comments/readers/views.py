"""Posting a comment, and the avatars shown beside comments."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.pages import render_article_page
from comments import decisions
from comments.avatars import avatar_png
from comments.models import Comment
from comments.moderation import ratelimit
from comments.moderation.rules import (
    MEDICINE_HELP,
    SELF_HARM_HELP,
    SELF_HARM_NOTE,
    URGENT_HELP,
    PostContext,
    Verdict,
    needs_urgent_help,
)
from comments.ownership import remember_own_comment
from comments.privacy import client_ip, ip_hash
from comments.readers.forms import HONEYPOT, CommentForm
from comments.threads import comment_url, wants_newest
from cramps_site.origin_csrf import origin_checked

AWAITING = "Thanks! Your comment is awaiting moderation."
PUBLISHED = "Thanks! Your comment is published."
NOT_POSTED = "Your comment was not posted: please see the note by the form."
RATE_LIMITED = (
    "You have posted several comments in a short time. Please wait a minute and try again: "
    "your comment is kept below."
)
URGENT = (
    "Thanks! Your comment is awaiting moderation. It mentions something that may need "
    "help soon: please read the note below."
)
MEDICINE = (
    "Thanks! Your comment is awaiting moderation. It mentions medicines or treatments, "
    "so a moderator will check it first: please read the note below."
)


@origin_checked
@require_POST
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published().for_article_page(), slug=slug)
    form = CommentForm(request.POST, article=article, newest=wants_newest(request.GET))
    if not form.is_valid():
        return article_with_form(request, article, form, NOT_POSTED, status=400)
    ip = client_ip(request)
    if not ratelimit.allows_comment(request, ip):
        return ratelimit.refused(
            article_with_form(request, article, form, RATE_LIMITED, status=429)
        )

    comment = form.save()
    comment.user = request.user if request.user.is_authenticated else None
    comment.ip_hash = ip_hash(ip)
    context = PostContext(
        ip=ip,
        honeypot=form.cleaned_data[HONEYPOT],
        rendered_at=form.rendered_at,
        given_back=form.given_back,
        first_shown_at=form.first_shown_at,
    )
    verdict = decisions.post(comment, context)
    response = HttpResponseRedirect(after_posting(request, comment, verdict), status=303)
    remember_own_comment(request, response, comment)
    return response


def article_with_form(request, article, form, message: str, status: int):
    """The article page again, the typed text kept in the form."""
    messages.error(request, message)
    return render_article_page(request, article, status=status, comment_form=form)


def after_posting(request, comment: Comment, verdict: Verdict) -> str:
    """Say what happened (spam reads like pending) and where to look."""
    url = comment_url(comment, newest=wants_newest(request.GET))
    if anchor := safety_note(request, verdict):
        return f"{url.partition('#')[0]}#{anchor}"
    published = comment.status == Comment.Status.APPROVED
    messages.success(request, PUBLISHED if published else AWAITING)
    return url


def safety_note(request, verdict: Verdict | None) -> str:
    """Ask the page for the note a medical-safety rule calls for; its anchor, or ""."""
    if verdict is None or not verdict.note:
        return ""
    if needs_urgent_help(verdict):
        # Someone writing of self-harm reads where to talk first, then the emergency numbers.
        level = SELF_HARM_HELP if verdict.note == SELF_HARM_NOTE else URGENT_HELP
        messages.add_message(request, level, URGENT)
        return "urgent-help"
    messages.add_message(request, MEDICINE_HELP, MEDICINE)
    return "medicine-help"


@require_GET
def avatar(request, token):
    response = HttpResponse(avatar_png(token), content_type="image/png")
    # The token is a hash of what the image is drawn from: it never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
