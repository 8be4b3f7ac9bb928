from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import page_cache
from articles.models import Article
from comments import audit
from comments.audit import ModerationEvent
from comments.avatars import hash_for_avatar

MAX_DEPTH = 2
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

    def oldest_first(self):
        return self.order_by("created_at", "pk")

    def for_article_page(self):
        """Only the columns a comment shows, plus the staff author for the badge."""
        return self.select_related("user").only(*PUBLIC_FIELDS, "user__is_staff").oldest_first()

    def for_moderation_queue(self):
        """Everything the admin list shows, in a fixed number of queries."""
        return (
            self.select_related("article", "user", "decided_by")
            .defer(*(f"article__{name}" for name in ARTICLE_TEXT_FIELDS))
            .annotate(earlier_comments=earlier_comments_by_poster())
        )

    def set_status(self, status: str, by=None, reason: str = "") -> int:
        """Decide many comments at once: counts fixed, every change in the audit log.

        The one way to change statuses in bulk (see comments/audit.py). Comments
        already in this status are left alone; returns how many changed. A
        moderator's approval also resolves the comments' open reports.
        """
        with transaction.atomic():
            rows = list(self.exclude(status=status).values_list("pk", "status", "article_id"))
            if not rows:
                return 0
            now = timezone.now()
            fields = {"status": status, "decided_by": by, "decided_at": now}
            if reason:
                fields["moderation_reason"] = reason[:200]
            Comment.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(**fields)
            refresh_comment_counts(article_id for _, _, article_id in rows)
            after_status_change(
                [
                    ModerationEvent(
                        comment_id=pk,
                        actor=by,
                        from_status=old,
                        to_status=status,
                        reason=reason,
                        created_at=now,
                    )
                    for pk, old, _ in rows
                ]
            )
        return len(rows)

    def delete(self):
        article_ids = set(self.values_list("article_id", flat=True))
        result = super().delete()
        refresh_comment_counts(article_ids)
        return result


# Columns the public page reads; the email is left out on purpose.
PUBLIC_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "root_id",
    "depth",
    "body",
    "author_name",
    "email_token",
    "user_id",
    "status",
    "created_at",
    "deleted_at",
)
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
    body = models.TextField("comment")
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
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the author deleted it: a placeholder kept for the replies under it.",
    )
    ip_hash = models.CharField("IP hash", max_length=64, blank=True, editable=False)
    notify_replies = models.BooleanField(
        "email replies",
        default=False,
        help_text="The poster asked to be emailed when a reply is approved (once confirmed).",
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
        return f"{self.display_name} on {self.article_id}: {self.excerpt}"

    def save(self, *args, **kwargs):
        before = "" if self._state.adding else getattr(self, "_saved_status", None)
        update_fields = kwargs.get("update_fields")
        self.email_token = email_token_for(self.author_email)
        super().save(*args, **kwargs)
        refresh_comment_counts([self.article_id])
        if before is not None and (update_fields is None or "status" in update_fields):
            self._status_changed(before)

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        comment = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        # The status as stored, so save() can log a change (None if deferred).
        comment._saved_status = comment.__dict__.get("status")
        return comment

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            self._saved_status = self.__dict__.get("status")

    def _status_changed(self, before: str) -> None:
        """One comment's change of status, followed up like a bulk one."""
        by, reason = getattr(self, "_decision", None) or (None, "")
        self._decision = None
        if self.status == before:
            return
        self._saved_status = self.status
        if not before:
            reason = reason or self.moderation_reason
        after_status_change(
            [
                ModerationEvent(
                    comment=self, actor=by, from_status=before, to_status=self.status, reason=reason
                )
            ]
        )

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        refresh_comment_counts([self.article_id])
        return result

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
        as a sibling, so threads stay readable on a phone.
        """
        if parent is None:
            self.parent, self.root_id, self.depth = None, None, 0
            return
        if parent.depth >= MAX_DEPTH:
            parent = parent.parent
        self.parent = parent
        self.root_id = parent.root_id or parent.pk
        self.depth = parent.depth + 1

    def decide(self, status: str, by=None, reason: str = "") -> None:
        """A moderator's decision; save() fixes the count and writes the audit log."""
        self.status = status
        self.decided_by = by
        self.decided_at = timezone.now()
        self.explain(reason, by=by)

    def explain(self, reason: str, by=None) -> None:
        """Why the next save() changes the status, for the audit log.

        Not a decision by itself: an author's edit explains the new status
        without looking like a moderator decided it.
        """
        if reason:
            self.moderation_reason = reason[:200]
        self._decision = (by, reason)


def email_token_for(email: str) -> str:
    """Kept on the comment so public pages never load the email at all."""
    email = email.strip().lower()
    return hash_for_avatar(f"email:{email}") if email else ""


def after_status_change(events: list[ModerationEvent]) -> None:
    """What follows every change of status, through either door (see audit.py).

    A moderator's approval deals with the comment's open reports; then the
    events go to the audit log, which sends the emails they call for.
    """
    approved = [
        e.comment_id for e in events if e.to_status == Comment.Status.APPROVED and e.actor_id
    ]
    if approved:
        resolve_reports(approved)
    audit.record(events)


def resolve_reports(comment_ids) -> None:
    """A moderator approved these comments: reports filed before that are dealt with.

    So only reports filed after the approval count towards sending a comment
    back to pending (comments/reports.py).
    """
    Report.objects.filter(comment_id__in=list(comment_ids)).open().update(resolved=True)


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


def refresh_comment_counts(article_ids) -> None:
    """Recount Article.approved_comment_count from the comments, in one UPDATE.

    A recount rather than +1/-1 arithmetic, so it cannot drift: it is called
    on every save, delete and bulk decision. A deleted comment's placeholder
    is not a comment any more, so it is not counted.
    """
    ids = [pk for pk in set(article_ids) if pk is not None]
    if not ids:
        return
    counts = (
        Comment.objects.approved()
        .not_deleted()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Article.objects.filter(pk__in=ids).update(
        approved_comment_count=Coalesce(Subquery(counts), Value(0))
    )
    # Until comments/decisions.py calls it on each visible change (issue 11): every
    # save, delete and decision passes here, so cached pages show it at once.
    page_cache.invalidate_articles(ids)


# Models kept in their own modules, imported so Django registers them.
from comments.config import CommentSettings  # noqa: E402, F401
from comments.phrases import Phrase  # noqa: E402, F401
from comments.reports import Report  # noqa: E402, F401
from comments.subscriptions import Subscriber  # noqa: E402, F401
