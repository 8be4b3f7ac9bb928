"""Issue 12, item 17: the newest-first link works without JavaScript and stays in the URL."""

import datetime

import pytest
from browser_steps import ARTICLE_URL
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments import decisions
from comments.models import Comment

pytestmark = pytest.mark.browser

OLDER = "Calf stretches helped me within a fortnight."
NEWER = "Tonic water did nothing for my cramps."


@pytest.fixture
def two_threads(live_site):
    """Two approved comments on the article, a day apart."""
    article = Article.objects.get(slug=ARTICLE_URL.strip("/").rpartition("/")[2])
    for days, body in ((2, OLDER), (1, NEWER)):
        comment = Comment(
            article=article,
            body=body,
            status=Comment.Status.APPROVED,
            created_at=timezone.now() - datetime.timedelta(days=days),
        )
        comment.attach_to(None)
        decisions.add(comment)


def test_newest_first_link_reorders_the_comments_without_javascript(new_context, two_threads):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(ARTICLE_URL)
    threads = page.locator(".comment-list > .comment .comment-text")
    expect(threads.first).to_have_text(OLDER)
    order = page.get_by_role("navigation", name="Order of comments")
    expect(order.get_by_role("link", name="Oldest first")).to_have_attribute("aria-current", "true")

    order.get_by_role("link", name="Newest first").click()

    expect(page).to_have_url(f"{page.url.split('?')[0]}?comments_order=newest#comments")
    expect(threads.first).to_have_text(NEWER)
    expect(threads.nth(1)).to_have_text(OLDER)
    newest = page.get_by_role("navigation", name="Order of comments").get_by_role(
        "link", name="Newest first"
    )
    expect(newest).to_have_attribute("aria-current", "true")
