from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, Person, Reference, Synonym, Tag, Topic
from articles.pages import render_article_page


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("30d", "Due within 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "30d":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + timezone.timedelta(days=30),
            )
        return queryset


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "topic",
        "status",
        "publish_at",
        "review_due",
        "approved_comment_count",
        "preview_link",
    ]
    list_filter = ["status", "topic", ReviewDueFilter, "allow_comments"]
    list_select_related = ["topic"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    date_hierarchy = "publish_at"
    inlines = [ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Classification", {"fields": ["topic", "tags", "featured"]}),
        (
            "Credits and review",
            {"fields": ["author", "reviewer", "last_reviewed", "next_review_due"]},
        ),
        ("Hero image", {"fields": ["hero_image", "hero_alt"]}),
        ("Publishing", {"fields": ["status", "publish_at", "allow_comments"]}),
    ]

    @admin.display(description="Next review", ordering="next_review_due")
    def review_due(self, article):
        if article.next_review_due < timezone.localdate():
            return format_html(
                '<strong class="review-overdue">Overdue since {}</strong>',
                article.next_review_due,
            )
        return article.next_review_due

    @admin.display(description="Preview")
    def preview_link(self, article):
        url = reverse("admin:articles_article_preview", args=[article.pk])
        return format_html('<a href="{}">Preview</a>', url)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/", preview, name="articles_article_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The article as readers will see it, drafts and scheduled ones too."""
        article = get_object_or_404(Article.objects.for_article_page(), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return render_article_page(request, article, preview=True)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials"]
    search_fields = ["name", "credentials"]


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]
