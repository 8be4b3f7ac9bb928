from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import article_page_context
from comments import ratelimit
from comments.avatars import avatar_png
from comments.forms import HONEYPOT, CommentForm
from comments.models import Comment
from comments.ownership import remember_own_comment
from comments.privacy import client_ip, ip_hash
from comments.rules import URGENT_HELP, PostContext, Verdict, moderate, needs_urgent_help
from comments.threads import page_number_of

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


@require_POST
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published().for_article_page(), slug=slug)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return article_with_form(request, article, form, NOT_POSTED, status=400)
    ip = client_ip(request)
    if not ratelimit.allows_comment(request, ip):
        return ratelimit.refused(
            article_with_form(request, article, form, RATE_LIMITED, status=429)
        )

    comment = form.save(commit=False)
    comment.user = request.user if request.user.is_authenticated else None
    comment.ip_hash = ip_hash(ip)
    context = PostContext(ip=ip, honeypot=form.cleaned_data[HONEYPOT], rendered_at=form.rendered_at)
    verdict = moderate(comment, context)
    with transaction.atomic():  # the row, the article's count and the audit event, or none
        comment.save()
    response = HttpResponseRedirect(after_posting(request, comment, verdict), status=303)
    remember_own_comment(request, response, comment)
    return response


def article_with_form(request, article, form, message: str, status: int):
    """The article page again, the typed text kept in the form."""
    messages.error(request, message)
    context = article_page_context(request, article) | {"comment_form": form}
    return render(request, "articles/article_detail.html", context, status=status)


def after_posting(request, comment: Comment, verdict: Verdict) -> str:
    """Say what happened (spam reads like pending) and where to look."""
    url = comment_url(comment)
    if needs_urgent_help(verdict):
        messages.add_message(request, URGENT_HELP, URGENT)
        return f"{url.partition('#')[0]}#urgent-help"
    published = comment.status == Comment.Status.APPROVED
    messages.success(request, PUBLISHED if published else AWAITING)
    return url


def comment_url(comment: Comment) -> str:
    page = page_number_of(comment)
    query = f"?comments_page={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


@require_GET
def avatar(request, token):
    response = HttpResponse(avatar_png(token), content_type="image/png")
    # The token is a hash of what the image is drawn from: it never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
