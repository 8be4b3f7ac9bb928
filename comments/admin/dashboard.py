"""The moderation dashboard at /admin/comments/dashboard/.

Registered on the Dashboard proxy model so the admin index links to it and
its URL sits with the other comment pages; it has no list or forms.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from comments.models import Dashboard
from comments.moderation.dashboard import WINDOWS, duration_text, moderation_figures


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        """Anyone who may see comments: moderators and superusers."""
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.has_perm("comments.view_comment"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.dashboard_view)
        return [path("", view, name=f"{opts.app_label}_{opts.model_name}_changelist")]

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        figures = moderation_figures()
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": "Moderation dashboard",
            "opts": self.model._meta,
            "figures": figures,
            "oldest_wait": duration_text(figures.oldest_pending_age),
            "oldest_safety_wait": duration_text(figures.oldest_safety_hold_age),
            "medians": [
                (days, duration_text(figures.median_to_decision[days]), figures.decided[days])
                for days in WINDOWS
            ],
            "queue_url": reverse("admin:comments_comment_changelist"),
            "reports_url": reverse("admin:comments_report_changelist") + "?resolved__exact=0",
        }
        return TemplateResponse(request, "admin/comments/dashboard.html", context)
