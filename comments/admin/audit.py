"""Every moderation event in one list: who did what to which comment, when and why.

Read-only: the log is written by comments.decisions alone. An event whose
comment was deleted stays, as a tombstone with the comment's number and article.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html

from comments.models import ModerationEvent


class ModeratorFilter(admin.SimpleListFilter):
    """Only people who made decisions, not every account on the site."""

    title = "moderator"
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        acted = ModerationEvent.objects.filter(actor=OuterRef("pk"))
        people = get_user_model().objects.filter(Exists(acted)).order_by("username")
        return [("none", "Automatic"), *((str(u.pk), u.get_username()) for u in people)]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(actor__isnull=True)
        if self.value():
            return queryset.filter(actor_id=self.value())
        return queryset


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "to_status"

    def lookups(self, request, model_admin):
        return (
            ModerationEvent.objects.order_by("to_status")
            .values_list("to_status", "to_status")
            .distinct()
        )

    def queryset(self, request, queryset):
        return queryset.filter(to_status=self.value()) if self.value() else queryset


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "comment_link", "article", "change", "reason"]
    list_filter = [ModeratorFilter, ActionFilter, "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["reason", "=comment_number"]
    list_per_page = 100
    fields = [
        "created_at",
        "actor",
        "comment_link",
        "article",
        "from_status",
        "to_status",
        "reason",
        "text_before",
        "text_after",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).for_audit_list()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Who", ordering="actor__username")
    def actor_name(self, event):
        return event.actor_name

    @admin.display(description="Comment", ordering="comment_number")
    def comment_link(self, event):
        if event.comment_id is None:
            return f"#{event.comment_number} (deleted)"
        url = reverse("admin:comments_comment_change", args=[event.comment_id])
        return format_html('<a href="{}">#{}</a>', url, event.comment_number)

    @admin.display(description="Change")
    def change(self, event):
        return f"{event.from_status or 'posted'} → {event.to_status}"
