from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import article_page_context
from comments.avatars import avatar_png
from comments.forms import CommentForm
from comments.models import Comment
from comments.moderation import moderate
from comments.ownership import remember_own_comment
from comments.privacy import client_ip, ip_hash
from comments.threads import page_number_of

AWAITING = "Thanks! Your comment is awaiting moderation."
PUBLISHED = "Thanks! Your comment is published."
NOT_POSTED = "Your comment was not posted: please see the note by the form."


@require_POST
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published().for_article_page(), slug=slug)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        messages.error(request, NOT_POSTED)
        context = article_page_context(request, article) | {"comment_form": form}
        return render(request, "articles/article_detail.html", context, status=400)

    comment = form.save(commit=False)
    comment.user = request.user if request.user.is_authenticated else None
    comment.ip_hash = ip_hash(client_ip(request))
    moderate(comment)
    comment.save()
    published = comment.status == Comment.Status.APPROVED
    messages.success(request, PUBLISHED if published else AWAITING)
    response = HttpResponseRedirect(comment_url(comment), status=303)
    remember_own_comment(request, response, comment)
    return response


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
