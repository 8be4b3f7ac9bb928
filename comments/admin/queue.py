"""The moderators' tools on the comment admin: the queue's filters, decisions with a
reason, the reply-as-moderator field, and the audit log on the comment's page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

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
    keep working; ?status__exact=all shows every comment.
    """

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (ALL, "All")]

    def value(self):
        return super().value() or Comment.Status.PENDING

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
    return request.GET.get(StatusFilter.parameter_name, Comment.Status.PENDING) == "pending"


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in each comment's audit log and shown as its moderation reason.",
    )


def decide_selected(modeladmin, request, queryset, status: str, verb: str):
    """Like Django's delete-selected: a confirmation page with a reason, then decide."""
    if request.POST.get("post") == "yes":
        form = DecisionForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            count = decisions.decide(queryset, status, by=request.user, reason=reason)
            plural = "s" if count != 1 else ""
            modeladmin.message_user(request, f"{verb} {count} comment{plural}.", messages.SUCCESS)
            return None
    else:
        form = DecisionForm()
    total = queryset.count()
    opts = modeladmin.model._meta
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{verb}: {total} comment{'s' if total != 1 else ''}",
        "opts": opts,
        "app_label": opts.app_label,
        "verb": verb,
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


def audit_log(comment: Comment) -> str:
    if comment.pk is None:
        return "—"
    events = comment.events.for_comment_page()
    return render_to_string("admin/comments/comment/_audit_log.html", {"events": events})
