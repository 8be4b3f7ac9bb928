"""Filters for comment templates; the article page's comments come from comments/readers/."""

from django import template

from comments.text import comment_html

register = template.Library()


@register.filter
def comment_text(text: str) -> str:
    """For pages that show a comment's text from its body (edit, delete, report)."""
    return comment_html(text)
