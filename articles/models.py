from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from articles.images import delete_renditions, make_renditions, validate_hero_image
from articles.rendering import render_markdown


class LabelQuerySet(models.QuerySet):
    """Topics and tags as readers meet them: only those on published articles."""

    def in_use(self):
        return self.filter(articles__in=Article.objects.published()).distinct()

    def with_article_counts(self):
        published = Article.objects.published()
        return self.annotate(
            article_count=Count("articles", filter=Q(articles__in=published))
        ).filter(article_count__gt=0)


class Label(models.Model):
    """What topics and tags share: a name, a slug, and readers see only those in use."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    objects = LabelQuerySet.as_manager()
    # The URL name of the label's page, set by each kind.
    url_name = ""

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(self.url_name, args=[self.slug])


class Topic(Label):
    description = models.TextField(blank=True)
    url_name = "articles:topic"


class Tag(Label):
    url_name = "articles:tag"


class PersonQuerySet(models.QuerySet):
    def credited(self):
        """People readers can look up: credited on a published article."""
        published = Article.objects.published()
        return self.filter(
            Q(articles_written__in=published) | Q(articles_reviewed__in=published)
        ).distinct()


class Person(models.Model):
    """An author or a medical reviewer, as credited in the byline."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    credentials = models.CharField(max_length=160, blank=True)
    bio = models.TextField(
        blank=True, help_text="A few plain sentences: training, work, what they write about."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("articles:person", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The single gate: what readers may see, anywhere on the site."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def next_publication_time(self):
        """When the next scheduled article goes public, or None: cached pages end then."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
        return scheduled.order_by("publish_at").values_list("publish_at", flat=True).first()

    def for_listing(self):
        return self.select_related("topic").order_by("-publish_at", "-pk")

    def for_article_page(self):
        """Tags and references are read when the page's frame is rendered (articles/frames.py),
        not on every request: most requests reuse the frame. The discussion's version
        (DiscussionVersion) comes with the article, for what is kept of its comments."""
        return self.select_related("topic", "author", "reviewer", "discussion")

    def related_to(self, article, tag_ids, limit=4):
        """Articles sharing the topic and tags, most shared first, then newest."""
        return (
            self.exclude(pk=article.pk)
            .annotate(
                same_topic=Case(
                    When(topic_id=article.topic_id, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            )
            .select_related("topic")
            .order_by("-shared_tags", "-same_topic", "-publish_at", "-pk")[:limit]
        )

    def with_feedback_counts(self):
        """How many readers answered yes and no to "Was this page helpful?"."""
        return self.annotate(
            helpful_yes=Count("feedback", filter=Q(feedback__helpful=True)),
            helpful_no=Count("feedback", filter=Q(feedback__helpful=False)),
        )

    def review_overdue(self, today=None):
        return self.filter(next_review_due__lt=today or timezone.localdate())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences; used as the meta description."
    )
    body = models.TextField(
        help_text=(
            "Markdown. Callouts: a line '::: see-a-doctor When to see a doctor', "
            "the advice, then a line ':::'. Levels: self-care, see-a-doctor, "
            "urgent, emergency."
        )
    )
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    search_keywords = models.CharField(
        max_length=500, editable=False, default="", help_text="Topic and tag names, for search."
    )
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="articles_written")
    reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="articles_reviewed",
        null=True,
        blank=True,
        verbose_name="medical reviewer",
    )
    hero_image = models.ImageField(
        upload_to="articles/heroes/", blank=True, validators=[validate_hero_image]
    )
    hero_alt = models.CharField("hero image description", max_length=200, blank=True)
    hero_renditions = models.JSONField(editable=False, default=dict)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish date",
        default=timezone.now,
        help_text="A future date schedules the article.",
    )
    last_reviewed = models.DateField()
    next_review_due = models.DateField()
    allow_comments = models.BooleanField(default=True)
    featured = models.BooleanField(default=False, help_text="Shown first on the home page.")
    approved_comment_count = models.PositiveIntegerField(default=0, editable=False)
    content_changed_at = models.DateTimeField(
        "content last changed",
        default=timezone.now,
        editable=False,
        help_text="When readers last saw different words or pictures: dateModified and lastmod.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        super().save(*args, **kwargs)
        self._refresh_renditions()

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Describe the image for readers who cannot see it."})

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    def wording(self) -> tuple:
        """What readers read and see, blind to line endings and trailing spaces.

        Writers compare it before and after an edit to know whether to move
        content_changed_at (a browser posts CRLF; a re-save is not a change).
        """
        body = "\n".join(line.rstrip() for line in self.body.strip().splitlines())
        name = self.hero_image.name if self.hero_image else ""
        return (self.title.strip(), self.summary.strip(), body, name, self.hero_alt.strip())

    def _refresh_renditions(self):
        """Make renditions when the hero image is new or changed."""
        name = self.hero_image.name if self.hero_image else ""
        if name == self.hero_renditions.get("source", ""):
            return
        delete_renditions(self.hero_renditions)
        self.hero_renditions = make_renditions(name) if name else {}
        Article.objects.filter(pk=self.pk).update(hero_renditions=self.hero_renditions)


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class FeedbackQuerySet(models.QuerySet):
    def with_notes(self):
        return self.exclude(note="")


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?"; the note is for editors only."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"

    def __str__(self):
        answer = "Helpful" if self.helpful else "Not helpful"
        return f"{answer}: {self.article.title}"


class Synonym(models.Model):
    """Lay and medical words that should find each other in search."""

    term = models.CharField(
        max_length=80, unique=True, help_text="What a reader may type, e.g. 'charley horse'."
    )
    expansion = models.CharField(
        max_length=200,
        help_text="What articles say instead, e.g. 'nocturnal leg cramps'.",
    )

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.expansion}"


class ShippedContent(models.Model):
    """A shipped article or synonym that load_site_content has loaded once.

    Loading is keyed on this record, not on what the tables hold now, so an
    article an editor renamed or a synonym they deleted never comes back.
    """

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "shipped content"

    def __str__(self):
        return self.key


class PageVersion(models.Model):
    """The public pages' content version: two rows, read together once per cached page served.

    Row 1, the site's: a new random value whenever something readers see
    changes. Row 2, the articles' own: only when articles, topics, tags or
    people change, not comments (articles/page_cache.py). They live in the
    database every worker and server shares, and are written in the same
    transaction as the change itself.
    """

    value = models.CharField(max_length=32)

    def __str__(self):
        return self.value


class PageFrame(models.Model):
    """An article page around what other apps add under it, rendered for every reader.

    Rendered when articles change (articles/stored_frames.py), so that no
    reader pays for it; read only under the articles' version and the code
    stamp it was rendered with, and not past `expires`.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The articles' version (PageVersion row 2) it was rendered under.
    version = models.CharField(max_length=32)
    # What rendered it besides the content: code, templates, static files' names, settings.
    stamp = models.CharField(max_length=64)
    # The next scheduled publication or new year when rendered: its related cards
    # and footer move on then.
    expires = models.DateTimeField()
    # The page's text, with a related article's pk (int) where its comment count
    # goes and null where the sections go.
    pieces = models.JSONField()

    def __str__(self):
        return f"Page frame of article {self.article_id}"


class DiscussionVersion(models.Model):
    """What is under an article (its comments) changed: a new value, written in the
    change's transaction (articles/page_cache.py: invalidate_articles).

    Read with the article itself (ArticleQuerySet.for_article_page), so what a
    process keeps of an article's comments is checked at no extra query, and
    a change to one article's comments, or to the articles themselves, leaves
    the other articles' comments kept. No row: nothing has changed since the
    article was created, or since the rows were cleared.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="discussion"
    )
    value = models.CharField(max_length=32)

    def __str__(self):
        return self.value
