from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.timesince import timesince

from articles.models import Article
from comments import decisions
from comments.admin import queue, safety
from comments.admin.queue import CommentAdminForm, RuleFilter, StatusFilter
from comments.models import Comment
from comments.moderation.safety_holds import findings_for, moderators_phrases, safety_rank

INLINE_LIMIT = 50


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    # Few, narrow columns, so why a comment was held is in view at 1280 px.
    list_display = [
        "comment_and_article",
        "display_name",
        "earlier_comments",
        "age",
        "status",
        "why",
    ]
    list_display_links = ["comment_and_article"]
    list_filter = [StatusFilter, RuleFilter, "article", "created_at"]
    search_fields = ["body", "author_name", "author_email"]
    list_select_related = ["article", "user"]
    list_per_page = 50
    actions = ["approve", "reject", "mark_spam", "remove", "erase"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "article",
        "in_reply_to",
        "depth",
        "root",
        "created_at",
        "deleted_at",
        "decided_by",
        "decided_at",
        "ip_hash",
        "moderation_rule",
        "medical_safety",
        "public_link",
        "reports",
        "audit_log",
    ]
    fieldsets = [
        (None, {"fields": ["article", "in_reply_to", "body", "public_link"]}),
        ("Author", {"fields": ["author_name", "author_email", "user", "ip_hash"]}),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "moderation_rule",
                    "moderation_reason",
                    "medical_safety",
                    "decided_by",
                    "decided_at",
                    "reports",
                ]
            },
        ),
        ("Thread", {"fields": ["depth", "root", "created_at", "deleted_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_moderation_queue()

    def get_ordering(self, request):
        """The queue risky first, then oldest first, so nobody waits longest; others newest first.

        Self-harm and red flags above everything, then dosing and miracle cures.
        """
        if queue.shows_queue(request):
            return [safety_rank().asc(), "created_at", "pk"]
        return ["-created_at", "-pk"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        if self.has_change_permission(request, obj):
            fieldsets.append(("Reply as moderator", {"fields": ["moderator_reply"]}))
        return [*fieldsets, ("Audit log, newest first", {"fields": ["audit_log"]})]

    def get_changelist_instance(self, request):
        """The page's comments, each with what the detector finds in it (phrases read once)."""
        changelist = super().get_changelist_instance(request)
        phrases = moderators_phrases()
        changelist.result_list = list(changelist.result_list)
        for comment in changelist.result_list:
            comment.safety_findings = findings_for(comment, phrases)
        return changelist

    @admin.display(description="Earlier", ordering="earlier_comments")
    def earlier_comments(self, comment):
        """By the same email or network: a first-timer, or someone with a history."""
        return comment.earlier_comments

    @admin.display(description="Audit log")
    def audit_log(self, comment):
        return queue.audit_log(comment)

    class Media:
        css = {"all": ["comments/admin-queue.css"]}

    @admin.display(description="Comment", ordering="body")
    def comment_and_article(self, comment):
        return format_html(
            '{}<span class="queue-article">on “{}”</span>', comment.excerpt, comment.article.title
        )

    @admin.display(description="Why", ordering="moderation_rule")
    def why(self, comment):
        """The rule that decided, and its reason: why the comment waits."""
        rule = comment.moderation_rule.replace("_", " ")
        if found := getattr(comment, "safety_findings", None):
            return format_html(
                '<span class="queue-rule">{}</span>{}', rule, safety.for_queue(comment, found)
            )
        return format_html('<span class="queue-rule">{}</span> {}', rule, comment.moderation_reason)

    @admin.display(description="Medical safety")
    def medical_safety(self, comment):
        """The detector's findings in the text as it is now, the words marked."""
        return safety.for_page(comment, findings_for(comment, moderators_phrases()))

    @admin.display(description="In reply to")
    def in_reply_to(self, comment):
        """The parent's words, so a reply is judged in its context."""
        return queue.parent_context(comment)

    @admin.display(description="Reports")
    def reports(self, comment):
        return queue.reports_list(comment)

    @admin.display(description="Name", ordering="author_name")
    def display_name(self, comment):
        return comment.display_name

    @admin.display(description="Age", ordering="created_at")
    def age(self, comment):
        return timesince(comment.created_at, depth=1)

    @admin.display(description="On the site")
    def public_link(self, comment):
        if not comment.pk or not comment.is_published():
            return "Not public"
        url = f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
        return format_html('<a href="{}">View on the article</a>', url)

    def has_add_permission(self, request):
        """Comments come from readers; moderators answer with "Reply as moderator"."""
        return False

    def save_model(self, request, obj, form, change):
        decisions.save_by_moderator(obj, by=request.user, changed=form.changed_data)
        if text := form.cleaned_data.get("moderator_reply", "").strip():
            decisions.reply_as_moderator(obj, request.user, text)
            self.message_user(request, "Your reply is published under the comment.")

    def delete_model(self, request, obj):
        decisions.purge(Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        decisions.purge(queryset)

    # Each action first shows a confirmation page with an optional reason.
    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        return queue.decide_selected(self, request, queryset, "approve")

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject(self, request, queryset):
        return queue.decide_selected(self, request, queryset, "reject")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        return queue.decide_selected(self, request, queryset, "mark_spam")

    @admin.action(
        description="Remove selected comments (replies stay, readers see a tombstone)",
        permissions=["change"],
    )
    def remove(self, request, queryset):
        return queue.decide_selected(self, request, queryset, "remove")

    @admin.action(
        description="Erase selected comments at their authors' request", permissions=["change"]
    )
    def erase(self, request, queryset):
        return queue.decide_selected(self, request, queryset, "erase")


class LatestCommentsFormSet(BaseInlineFormSet):
    """Only the newest comments: an article may have thousands."""

    moderator = None

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset().order_by("-created_at", "-pk")[:INLINE_LIMIT]
        return self._latest

    def save_existing(self, form, obj, commit=True):
        decisions.save_by_moderator(obj, by=self.moderator, changed=form.changed_data)
        return obj


class CommentInline(admin.TabularInline):
    model = Comment
    formset = LatestCommentsFormSet
    fk_name = "article"
    fields = ["excerpt", "display_name", "created_at", "status"]
    readonly_fields = ["excerpt", "display_name", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = f"comments (newest {INLINE_LIMIT}; all in Comments)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"moderator": request.user})

    @admin.display(description="Comment")
    def excerpt(self, comment):
        return comment.excerpt

    @admin.display(description="Name")
    def display_name(self, comment):
        return comment.display_name


# The article admin lives in the articles app, which must not know about
# comments; so the comments app adds its inline to the registered admin here.
# Admin modules load in INSTALLED_APPS order, and articles comes first.
if Article in admin.site._registry:
    _article_admin = admin.site._registry[Article]
    _article_admin.inlines = [*_article_admin.inlines, CommentInline]
