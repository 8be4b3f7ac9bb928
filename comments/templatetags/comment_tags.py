"""Filters for comment templates; the section's data comes from comments/readers/section.py."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from comments.ownership import delete_url, edit_url
from comments.text import comment_html

register = template.Library()


@register.filter
def edit_link(comment) -> str:
    return edit_url(comment)


@register.filter
def delete_link(comment) -> str:
    return delete_url(comment)


@register.filter
def comment_text(text: str) -> str:
    """For pages that show a comment's text from its body (edit, delete, report)."""
    return comment_html(text)


@register.filter
def ago(moment) -> str:
    """ "3 days ago": one unit is enough next to the exact date."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def machine_time(moment) -> str:
    """For <time datetime>: HTML allows at most milliseconds, so whole seconds."""
    return timezone.localtime(moment).isoformat(timespec="seconds")
