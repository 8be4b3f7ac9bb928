from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import stored_frames
from articles.models import Article, Feedback, Person, Reference, Synonym, Tag, Topic
from articles.pages import render_article_page


class ChangesPublicPages:
    """What is saved here shows on public pages: cached copies are out of date.

    Called from the admin's own save and delete steps, after the form's
    related objects (tags, references) are saved too.
    """

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        stored_frames.articles_changed(self.changed_articles(form.instance))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        stored_frames.articles_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        stored_frames.articles_changed()

    def changed_articles(self, obj) -> list[Article]:
        """Articles whose page frame is stored with the change; the rest by a task."""
        return []


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
class ArticleAdmin(ChangesPublicPages, admin.ModelAdmin):
    list_display = [
        "title",
        "topic",
        "status",
        "publish_at",
        "review_due",
        "approved_comment_count",
        "helpful",
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

    def get_queryset(self, request):
        return super().get_queryset(request).with_feedback_counts()

    @admin.display(description="Helpful (yes / no)", ordering="helpful_yes")
    def helpful(self, article):
        answers = article.helpful_yes + article.helpful_no
        if not answers:
            return "–"
        url = reverse("admin:articles_feedback_changelist") + f"?article__id__exact={article.pk}"
        share = round(100 * article.helpful_yes / answers)
        return format_html(
            '<a href="{}">{} / {} ({}% helpful)</a>',
            url,
            article.helpful_yes,
            article.helpful_no,
            share,
        )

    def save_model(self, request, obj, form, change):
        if not change or Article.objects.get(pk=obj.pk).wording() != obj.wording():
            obj.content_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def changed_articles(self, obj) -> list[Article]:
        return [obj]  # its first reader after the save reads its frame stored

    def save_formset(self, request, form, formset, change):
        """Changed references change what readers see too."""
        super().save_formset(request, form, formset, change)
        if change and formset.has_changed():
            obj = form.instance
            obj.content_changed_at = timezone.now()
            Article.objects.filter(pk=obj.pk).update(content_changed_at=obj.content_changed_at)

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


class HasNoteFilter(admin.SimpleListFilter):
    title = "note"
    parameter_name = "note"

    def lookups(self, request, model_admin):
        return [("yes", "With a note")]

    def queryset(self, request, queryset):
        return queryset.with_notes() if self.value() == "yes" else queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """What readers said, read-only: answers are kept as given."""

    list_display = ["created_at", "article", "helpful", "note"]
    list_filter = ["helpful", HasNoteFilter, "article"]
    list_select_related = ["article"]
    search_fields = ["note", "article__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(ChangesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(ChangesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(ChangesPublicPages, admin.ModelAdmin):
    list_display = ["name", "credentials", "slug"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Synonym)
class SynonymAdmin(ChangesPublicPages, admin.ModelAdmin):
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]
