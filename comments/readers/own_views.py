"""What a reader does to a comment after it is up: edit or delete their own, report others'."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from comments import decisions
from comments.models import Comment, CommentSettings
from comments.moderation import ratelimit
from comments.moderation.rules import PostContext
from comments.ownership import can_still_edit, edit_deadline, holds_token, remember_own_comment
from comments.privacy import client_ip, ip_hash
from comments.readers.forms import EditCommentForm, ReportForm
from comments.readers.views import safety_note
from comments.threads import comment_url
from cramps_site.origin_csrf import origin_checked

EDITED = "Your changes are saved. The comment is checked again before it appears."
EDITED_PUBLISHED = "Your changes are saved."
DELETED = "Your comment has been deleted."
EDITS_LIMITED = (
    "You have posted or edited several comments in a short time. Please wait a minute and "
    "try again: your changes are kept below."
)
REPORTED = "Thank you. A moderator will look at this comment."
REPORTS_LIMITED = "You have sent several reports in a short time. Please try again later."


def posted(request):
    """The POST data, even when empty, so an empty post is an invalid form."""
    return request.POST if request.method == "POST" else None


def owned_comment(request, pk) -> tuple[Comment, str]:
    """The comment, if the link's token proves the visitor wrote it; else 404.

    A deleted comment's placeholder is nobody's any more.
    """
    token = request.POST.get("token") or request.GET.get("token", "")
    comment = Comment.objects.not_deleted().select_related("article", "user").filter(pk=pk).first()
    if comment is None or not holds_token(comment, token):
        raise Http404("No such comment, or the link is not valid.")
    return comment, token


@origin_checked
@require_http_methods(["GET", "POST"])
def edit_comment(request, pk):
    comment, token = owned_comment(request, pk)
    minutes = CommentSettings.load().edit_window_minutes
    context = {"comment": comment, "token": token, "minutes": minutes}
    if not can_still_edit(comment, minutes):
        context["deadline"] = edit_deadline(comment, minutes)
        return render(request, "comments/edit.html", context, status=403)
    form = EditCommentForm(posted(request), instance=comment, token=token)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allows_comment(request, client_ip(request)):
            # Edits count with posts, so editing is no way around the limit.
            messages.error(request, EDITS_LIMITED)
            page = render(request, "comments/edit.html", context | {"form": form}, status=429)
            return ratelimit.refused(page)
        response = HttpResponseRedirect(save_edit(request, form.save(commit=False)), status=303)
        remember_own_comment(request, response, comment)
        return response
    status = 400 if form.is_bound else 200
    return render(request, "comments/edit.html", context | {"form": form}, status=status)


def save_edit(request, comment: Comment) -> str:
    """Save the new text, checked again by the rules; the URL to land on."""
    verdict = decisions.edit_by_author(comment, PostContext(ip=client_ip(request)))
    if anchor := safety_note(request, verdict):
        return f"{comment_url(comment).partition('#')[0]}#{anchor}"
    published = comment.status == Comment.Status.APPROVED
    messages.success(request, EDITED_PUBLISHED if published else EDITED)
    return comment_url(comment)


@origin_checked
@require_http_methods(["GET", "POST"])
def delete_comment(request, pk):
    comment, token = owned_comment(request, pk)
    if request.method == "POST":
        article_url = comment.article.get_absolute_url()
        decisions.delete_by_author(comment)
        messages.success(request, DELETED)
        return HttpResponseRedirect(f"{article_url}#comments", status=303)
    replies = comment.replies.exists()
    context = {"comment": comment, "token": token, "has_replies": replies}
    return render(request, "comments/delete.html", context)


@origin_checked
@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.published().not_deleted().select_related("article"), pk=pk
    )
    form = ReportForm(posted(request), comment=comment)
    context = {"comment": comment, "form": form}
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if not ratelimit.hit(ratelimit.REPORTS, ip):
            messages.error(request, REPORTS_LIMITED)
            return render(request, "comments/report.html", context, status=429)
        threshold = CommentSettings.load().report_threshold
        # One reporter is one network, as for rate limits: an IPv6 user holds a whole /64.
        reporter = ip_hash(ratelimit.network_of(ip))
        data = form.cleaned_data
        decisions.file_report(comment, data["reason"], data["note"], reporter, threshold)
        messages.success(request, REPORTED)
        return HttpResponseRedirect(comment_url(comment), status=303)
    return render(request, "comments/report.html", context, status=400 if form.is_bound else 200)
