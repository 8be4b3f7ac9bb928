"""Staff see every outgoing email, find the ones that need them, and send those again."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html_join

from outbox import delivery
from outbox.models import OutgoingEmail


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "Needs attention (failed, or stuck while sending)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needing_attention(timezone.now())
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = [NeedsAttentionFilter, "status"]
    search_fields = ["key", "subject", "to"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "key", "to", "subject", "body", "headers", "status", "attempts", "error_history",
        "created_at", "last_attempt_at", "next_attempt_at", "sent_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="to")
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.display(description="last error")
    def last_error(self, email):
        return email.last_error

    @admin.display(description="errors, one per failed try")
    def error_history(self, email):
        return (
            format_html_join(
                "\n",
                "<p>Try {}, {}: {}</p>",
                ((e["attempt"], e["at"], e["error"]) for e in email.errors),
            )
            or "-"
        )

    def has_send_again_permission(self, request):
        return request.user.has_perm("outbox.change_outgoingemail")

    @admin.action(
        description="Send again (failed or stuck emails only)", permissions=["send_again"]
    )
    def send_again(self, request, queryset):
        count = delivery.send_again(queryset)
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)
