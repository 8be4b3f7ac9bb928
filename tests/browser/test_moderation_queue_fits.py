"""The moderation queue fits a laptop screen: why a comment waits is in view without scrolling."""

import pytest
from browser_steps import log_in_to_admin
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from comments import decisions
from comments.models import Comment

pytestmark = pytest.mark.browser

LONG_REASON = "Medical safety: red-flag symptom ('my calf is swollen red and hot after the flight')"


@pytest.fixture
def a_held_comment_with_a_long_reason(live_site):
    """A queue of demo comments and a held one whose reason is as long as real ones get."""
    call_command("seed_demo_comments", per_article=3, seed=12, stdout=None)
    article = Article.objects.published().first()
    comment = Comment(
        article=article,
        body="My left calf has been swollen, red and hot since the long flight home last week " * 3,
        author_name="A reader with a rather long display name",
        moderation_rule="red_flag_symptom",
        moderation_reason=LONG_REASON,
    )
    return decisions.add(comment)


@pytest.mark.parametrize("width", [1280, 1440])
def test_every_queue_column_is_in_view(
    new_context, a_moderator, a_held_comment_with_a_long_reason, width
):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in_to_admin(page)
    page.goto("/admin/comments/comment/")

    held = page.locator("#result_list tbody tr").filter(has_text="red flag symptom")
    why = held.locator("td.field-why")
    # A safety hold shows what the detector found, the words marked in their context.
    expect(why).to_contain_text("Red-flag symptom: possible clot in the leg")
    expect(why.locator("mark").first).to_be_visible()
    results = page.locator("#changelist .results")
    # The list scrolls sideways inside its own box when too wide: it must not need to.
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth")
    cell, shown = why.bounding_box(), results.bounding_box()
    assert cell["x"] + cell["width"] <= min(shown["x"] + shown["width"], width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
