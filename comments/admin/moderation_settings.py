"""Admin for what moderators tune and follow up: the settings row, the phrase lists, reports."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from comments.models import CommentSettings, Phrase, Report


@admin.register(CommentSettings)
class CommentSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to it, and it cannot be added twice or deleted."""

    fieldsets = [
        (
            "Rules for new comments",
            {
                "fields": [
                    "max_links",
                    "hold_first_comment",
                    "auto_approve_confirmed_returning",
                    "min_seconds_to_submit",
                    "max_form_age_hours",
                    "duplicate_window_hours",
                ]
            },
        ),
        (
            "Limits and reports",
            {"fields": ["rate_limits", "report_threshold", "report_rate_limits"]},
        ),
        (
            "Privacy",
            {
                "fields": [
                    "edit_window_minutes",
                    "purge_pending_after_days",
                    "purge_spam_after_days",
                ]
            },
        ),
        ("Notifications", {"fields": ["notify_moderators", "moderator_email_interval_minutes"]}),
    ]

    def has_add_permission(self, request):
        # The row always exists: load() creates it, and the list page calls load().
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = CommentSettings.load()
        return HttpResponseRedirect(
            reverse("admin:comments_commentsettings_change", args=[settings.pk])
        )


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "is_regex", "note"]
    list_filter = ["kind", "is_regex"]
    search_fields = ["text", "note"]
    list_per_page = 100


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment_excerpt", "reason", "note", "created_at", "resolved"]
    list_filter = ["resolved", "reason", "created_at"]
    list_select_related = ["comment", "comment__article"]
    list_editable = ["resolved"]
    search_fields = ["note", "comment__body"]
    raw_id_fields = ["comment"]
    readonly_fields = ["ip_hash", "created_at"]
    actions = ["mark_resolved"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_moderation_queue()

    @admin.display(description="Comment", ordering="comment__body")
    def comment_excerpt(self, report):
        return report.comment.excerpt

    @admin.action(description="Mark selected reports as resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = queryset.update(resolved=True)
        self.message_user(request, f"Resolved {count} report{'s' if count != 1 else ''}.")
