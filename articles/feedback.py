"""Readers say whether a page helped: one answer per button press, counted per network."""

from articles.models import Article, Feedback
from cramps_site.client_network import within_limit

# A network may answer this often; enough for a household reading several pages.
LIMIT_COUNT, LIMIT_SECONDS = 10, 60 * 60
THANKS = "thanks"  # ?helpful=thanks: the landing page says thank you, no cookie needed


def allows_feedback(request) -> bool:
    """Staff testing the form are not counted; readers are, per network."""
    return request.user.is_staff or within_limit(
        request, "articles.feedback", LIMIT_COUNT, LIMIT_SECONDS
    )


def record_feedback(article: Article, helpful: bool, note: str) -> Feedback:
    return Feedback.objects.create(article=article, helpful=helpful, note=note.strip())


def thanks_url(article: Article) -> str:
    return f"{article.get_absolute_url()}?helpful={THANKS}#helpful"
