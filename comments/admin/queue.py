"""The moderators' tools on the comment admin: the queue's filters, decisions with a
reason, the reply-as-moderator field, and the audit log on the comment's page."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from comments import decisions
from comments.models import Comment
from comments.models.comment import BODY_MAX
from comments.moderation.rules import PRE_MODERATION, RULE_NAMES, SENT_BACK_RULE, STAFF

ALL = "all"
# The confirmation page lists this many comments, then says how many more.
SHOWN_ON_CONFIRMATION = 100


class StatusFilter(admin.SimpleListFilter):
    """The list opens on the queue: pending comments, unless a status is chosen.

    Same parameter as Django's own filter, so ?status__exact=approved links
    keep working; ?status__exact=all shows every comment. A search with no
    status chosen looks through every status: a moderator looking for a name
    means wherever it is.
    """

    title = "status"
    parameter_name = "status__exact"

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get(SEARCH_VAR, "").strip())
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (ALL, "All")]

    def value(self):
        return super().value() or (ALL if self.searching else Comment.Status.PENDING)

    def queryset(self, request, queryset):
        if self.value() == ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class RuleFilter(admin.SimpleListFilter):
    """Filter by the rule that decided; the choices come from code, not a query."""

    title = "rule that fired"
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        names = [*RULE_NAMES, SENT_BACK_RULE, PRE_MODERATION.rule_name, STAFF.rule_name]
        return [(name, name.replace("_", " ")) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(moderation_rule=self.value())
        return queryset


def shows_queue(request) -> bool:
    """The pending queue, oldest first; a search across statuses lists newest first."""
    if request.GET.get(SEARCH_VAR, "").strip() and StatusFilter.parameter_name not in request.GET:
        return False
    return request.GET.get(StatusFilter.parameter_name, Comment.Status.PENDING) == "pending"


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in each comment's audit log and shown as its moderation reason.",
    )


@dataclass(frozen=True)
class Decision:
    """A bulk action as the confirmation page words it, before and after."""

    verb: str  # the button: "Approve"
    question: str  # "Approve {count}?"
    done: str  # "Approved {count}."
    apply: Callable  # (comments, by, reason) -> how many changed


def _removing(comments, by, reason) -> int:
    removed = 0
    for comment in comments.not_deleted():
        decisions.remove(comment, by=by, reason=reason)
        removed += 1
    return removed


def _erasing(comments, by, reason) -> int:
    return decisions.erase_comments(comments, by=by, reason=reason)


S = Comment.Status
DECISIONS = {
    "approve": Decision(
        "Approve",
        "Approve {count}?",
        "Approved {count}.",
        lambda qs, by, reason: decisions.approve(qs, by=by, reason=reason),
    ),
    "reject": Decision(
        "Reject",
        "Reject {count}?",
        "Rejected {count}.",
        lambda qs, by, reason: decisions.reject(qs, by=by, reason=reason),
    ),
    "mark_spam": Decision(
        "Mark as spam",
        "Mark {count} as spam?",
        "Marked {count} as spam.",
        lambda qs, by, reason: decisions.mark_spam(qs, by=by, reason=reason),
    ),
    "remove": Decision(
        "Remove",
        "Remove {count}? Replies stay; readers see “removed by a moderator”.",
        "Removed {count}.",
        _removing,
    ),
    "erase": Decision(
        "Erase",
        "Erase {count} and what they say of their authors? Replies by others stay.",
        "Erased {count}.",
        _erasing,
    ),
}


def comments_text(count: int) -> str:
    return f"{count} comment{'s' if count != 1 else ''}"


def decide_selected(modeladmin, request, queryset, action: str):
    """Like Django's delete-selected: a confirmation page with a reason, then decide."""
    decision = DECISIONS[action]
    if request.POST.get("post") == "yes":
        form = DecisionForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            count = decision.apply(queryset, request.user, reason)
            done = decision.done.format(count=comments_text(count))
            modeladmin.message_user(request, done, messages.SUCCESS)
            return None
    else:
        form = DecisionForm()
    total = queryset.count()
    opts = modeladmin.model._meta
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": decision.question.format(count=comments_text(total)),
        "opts": opts,
        "app_label": opts.app_label,
        "verb": decision.verb,
        "form": form,
        "comments": queryset[:SHOWN_ON_CONFIRMATION],
        "more": max(0, total - SHOWN_ON_CONFIRMATION),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "back_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/comments/comment/decide_selected.html", context)


class CommentAdminForm(forms.ModelForm):
    moderator_reply = forms.CharField(
        label="Reply as moderator",
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=(
            "Published at once under this comment, with your name and a Moderator "
            "badge. Readers see it while this comment is approved."
        ),
    )
    # No Meta: the admin builds it from CommentAdmin's fieldsets.


def parent_context(comment: Comment) -> str:
    if comment.parent_id is None:
        return "— (a new thread)"
    parent = comment.parent
    url = reverse("admin:comments_comment_change", args=[parent.pk])
    return format_html(
        '<blockquote class="queue-parent">{}</blockquote><a href="{}">{} ({})</a>',
        parent.body,
        url,
        parent.display_name,
        parent.get_status_display().lower(),
    )


def reports_list(comment: Comment) -> str:
    if comment.pk is None:
        return "—"
    reports = comment.reports.order_by("-created_at", "-pk")
    return render_to_string("admin/comments/comment/_reports.html", {"reports": reports})


def audit_log(comment: Comment) -> str:
    if comment.pk is None:
        return "—"
    events = comment.events.for_comment_page()
    return render_to_string("admin/comments/comment/_audit_log.html", {"events": events})
