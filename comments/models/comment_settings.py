"""Moderation settings that moderators change in the admin, not in code.

One row (pk=1), read through load(): it is kept in the shared cache, so
pages and posts do not pay a query for it, and every worker sees a change
as soon as it is saved.
"""

from django.core.cache import cache
from django.db import models

from comments.models.rate_limits import validate as validate_limits

CACHE_KEY = "comments:settings:v1"


class CommentSettings(models.Model):
    max_links = models.PositiveSmallIntegerField(
        default=1, help_text="Hold a comment with more links than this."
    )
    hold_first_comment = models.BooleanField(
        default=True, help_text="Hold the first comment from an email or network not seen before."
    )
    auto_approve_confirmed_returning = models.BooleanField(
        "auto-approve confirmed returning commenters",
        default=False,
        help_text=(
            "Publish at once when the email has an earlier approved comment and the "
            "commenter confirmed it. Spam, hold and medical-safety rules still apply first."
        ),
    )
    min_seconds_to_submit = models.PositiveSmallIntegerField(
        default=3, help_text="A form posted sooner than this after it was shown is spam."
    )
    max_form_age_hours = models.PositiveSmallIntegerField(
        default=6,
        help_text=(
            "A form posted longer than this after it was shown is stored as spam "
            "(moderators can rescue it); the poster is told it awaits moderation."
        ),
    )
    duplicate_window_hours = models.PositiveSmallIntegerField(
        default=24, help_text="The same author's same text on the same article within this is spam."
    )
    rate_limits = models.CharField(
        max_length=100,
        default="5/m,30/d",
        validators=[validate_limits],
        help_text=(
            "Comments per client network, e.g. “5/m,30/d” (s, m, h, d); “off” for none. "
            "The COMMENT_RATE_LIMITS environment variable wins over this."
        ),
    )
    report_threshold = models.PositiveSmallIntegerField(
        default=3,
        help_text="Reports from this many different people send a comment back to pending.",
    )
    report_rate_limits = models.CharField(
        max_length=100,
        default="10/h",
        validators=[validate_limits],
        help_text="Reports per client network, same format.",
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="How long a commenter may edit their comment (deleting is any time)."
    )
    purge_pending_after_days = models.PositiveSmallIntegerField(
        default=90, help_text="purge_comments removes unmoderated comments older than this."
    )
    purge_spam_after_days = models.PositiveSmallIntegerField(
        default=30, help_text="purge_comments removes spam older than this."
    )
    notify_moderators = models.BooleanField(
        default=True, help_text="Email moderators when a comment is held."
    )
    moderator_email_interval_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="At most one email to moderators per this many minutes."
    )

    class Meta:
        verbose_name = "comment settings"
        verbose_name_plural = "comment settings"

    def __str__(self):
        return "Comment settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)

    def delete(self, *args, **kwargs):
        """The settings are never deleted; reset fields in the admin instead."""
        return 0, {}

    @classmethod
    def load(cls) -> "CommentSettings":
        settings = cache.get(CACHE_KEY)
        if settings is None:
            settings, _ = cls.objects.get_or_create(pk=1)
            cache.set(CACHE_KEY, settings, None)
        return settings
