"""A comment and the queries that shape it; data only.

Every change of a comment's fate (posting, editing, deciding, deleting,
erasing) and what follows it lives in comments/decisions.py. Nothing here
saves more than the row it is called on.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article
from comments.avatars import hash_for_avatar

MAX_DEPTH = 2
# A comment's length in characters, for the readers' form and the admin's.
BODY_MIN = 2
BODY_MAX = 3000
# Shown, and stored, in place of the text of a deleted comment kept for its replies.
DELETED_TEXT = "This comment was deleted by its author."


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Approved, and so is every ancestor: rejecting a parent hides its replies.

        Depth is capped at 2, so the parent and the thread's root are the only
        ancestors to check. Ignores the article's own state; see published().
        """
        approved = Comment.Status.APPROVED
        return self.filter(
            Q(parent__isnull=True) | Q(parent__status=approved),
            Q(root__isnull=True) | Q(root__status=approved),
            status=approved,
        )

    def published(self):
        """The single gate: what readers may see, anywhere on the site."""
        return self.approved().filter(article__in=Article.objects.published())

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def awaiting_for_author(self):
        """Unpublished, as its author sees it: spam looks just like pending,
        so a bot reading its own comments learns nothing."""
        return self.filter(status__in=[Comment.Status.PENDING, Comment.Status.SPAM])

    def not_deleted(self):
        """Without the placeholders left when an author deletes a comment with replies."""
        return self.filter(deleted_at__isnull=True)

    def by_commenter(self, email: str):
        """Everything posted with this email address, for erasure requests."""
        email = email.strip()
        return self.filter(Q(author_email__iexact=email) | Q(email_token=email_token_for(email)))

    def oldest_first(self):
        return self.order_by("created_at", "pk")

    def newest_first(self):
        return self.order_by("-created_at", "-pk")

    def for_article_page(self):
        """Only the columns a comment shows, plus the staff author for the badge: rows of
        values for ShownComment(*row), as hundreds of model instances cost too much."""
        return self.values_list(*PUBLIC_FIELDS, "user__is_staff").oldest_first()

    def for_moderation_queue(self):
        """Everything the admin list shows, in a fixed number of queries."""
        return (
            self.select_related("article", "user", "decided_by")
            .defer(*(f"article__{name}" for name in ARTICLE_TEXT_FIELDS))
            .annotate(earlier_comments=earlier_comments_by_poster())
        )


# Columns the public page reads; the email is left out on purpose.
PUBLIC_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "root_id",
    "depth",
    "replying_to_id",
    "body_html",
    "card_html",
    "author_name",
    "email_token",
    "user_id",
    "status",
    "created_at",
    "edited_by_moderator_at",
    "deleted_at",
)


class ShownComment:
    """A comment as the article page shows it, from CommentQuerySet.for_article_page().

    The same names the page would read of a Comment; building hundreds of
    model instances was a fifth of a cold render (docs/performance.md).
    """

    __slots__ = (
        *("pk", *PUBLIC_FIELDS[1:], "is_staff"),
        "thread_replies",
        "answers",
        "is_mine",
        "edit_until",
        "awaiting_moderation",
    )

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=False):
            setattr(self, name, value)

    @property
    def display_name(self) -> str:
        return self.author_name or "Guest"

    @property
    def avatar_token(self) -> str:
        return self.email_token or hash_for_avatar(f"comment:{self.pk}")

    @property
    def by_moderator(self) -> bool:
        return bool(self.is_staff)


# Large article columns the moderation list never shows.
ARTICLE_TEXT_FIELDS = ("body", "body_html", "body_text", "toc", "hero_renditions")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers; empty for a new thread.",
    )
    root = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The thread's first comment, so a page of threads loads in one query.",
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    replying_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=(
            "The deepest-level comment this reply answers; the reply sits beside it, "
            "under the same parent, and says whom it answers."
        ),
    )
    body = models.TextField("comment")
    body_html = models.TextField(
        blank=True,
        editable=False,
        help_text="The text as safe HTML, rendered once whenever the text is saved.",
    )
    card_html = models.TextField(
        blank=True,
        editable=False,
        default="",
        db_default="",  # the release before this one inserts rows without it
        help_text=(
            "The card's head (label, avatar, name) as safe HTML, rendered once whenever "
            "one of them changes (comments/cards.py)."
        ),
    )
    author_name = models.CharField("name", max_length=80, blank=True)
    author_email = models.EmailField("email", blank=True)
    email_token = models.CharField(
        max_length=32,
        editable=False,
        blank=True,
        help_text="A salted hash of the email, for the avatar; the email stays private.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="Set when a signed-in member of staff wrote it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the comment has its status, e.g. the rule that held it.",
    )
    moderation_rule = models.CharField(
        max_length=60,
        blank=True,
        help_text="The name of the rule that decided, e.g. too_many_links.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_by_moderator_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a moderator last changed the text; readers see a small mark.",
    )
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "Set when the author deleted it or a moderator removed it: a placeholder kept "
            "for the replies under it."
        ),
    )
    ip_hash = models.CharField("IP hash", max_length=64, blank=True, editable=False)
    notify_replies = models.BooleanField(
        "email the poster",
        default=False,
        help_text=(
            "The poster asked to be emailed when the comment is published and when a reply "
            "is approved (once the address is confirmed)."
        ),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["article", "status", "depth", "created_at"],
                name="comment_page_idx",
            ),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            # A poster's earlier comments, counted in the moderation queue.
            models.Index(fields=["email_token", "created_at"], name="comment_email_history_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="comment_ip_history_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=MAX_DEPTH), name="comment_depth_max_2"),
        ]

    def __str__(self):
        return f"{self.display_name} on “{self.article.title}”: {self.excerpt}"

    @property
    def display_name(self) -> str:
        return self.author_name or "Guest"

    @property
    def excerpt(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else text[:59] + "…"

    @property
    def avatar_token(self) -> str:
        """The avatar's key: the email's hash, or the comment id's for guests."""
        return self.email_token or hash_for_avatar(f"comment:{self.pk}")

    @property
    def by_moderator(self) -> bool:
        return self.user_id is not None and self.user.is_staff

    def is_published(self) -> bool:
        return type(self).objects.published().filter(pk=self.pk).exists()

    def attach_to(self, parent: "Comment | None") -> None:
        """Thread this comment under parent, no deeper than MAX_DEPTH.

        A reply to a comment at the deepest level joins that comment's level,
        as a sibling, so threads stay readable on a phone; replying_to keeps
        whom it answers.
        """
        self.replying_to = None
        if parent is None:
            self.parent, self.root_id, self.depth = None, None, 0
            return
        if parent.depth >= MAX_DEPTH:
            self.replying_to = parent
            parent = parent.parent
        self.parent = parent
        self.root_id = parent.root_id or parent.pk
        self.depth = parent.depth + 1


def email_token_for(email: str) -> str:
    """Kept on the comment so public pages never load the email at all."""
    email = email.strip().lower()
    return hash_for_avatar(f"email:{email}") if email else ""


def earlier_comments_by_poster() -> Subquery:
    """How many comments the same email or network posted before this one.

    A correlated subquery, so a page of the queue costs one query however
    long each poster's history is.
    """
    earlier = (
        Comment.objects.filter(created_at__lt=OuterRef("created_at"))
        .filter(
            (Q(email_token=OuterRef("email_token")) & ~Q(email_token=""))
            | (Q(ip_hash=OuterRef("ip_hash")) & ~Q(ip_hash=""))
        )
        .order_by()
        .annotate(total=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("total")
    )
    return Subquery(earlier, output_field=IntegerField())


class Dashboard(Comment):
    """No table of its own: gives the admin /admin/comments/dashboard/ and its index link."""

    class Meta:
        proxy = True
        verbose_name = "moderation dashboard"
        verbose_name_plural = "moderation dashboard"
