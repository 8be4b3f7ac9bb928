"""Issue 9: a red-flag post and a self-harm post, from the poster to the moderator.

The poster lands on the urgent-help note; the moderator finds the comment
first in the queue, above an older ordinary comment, with the category, the
concept and the worrying words marked.
"""

import datetime

import pytest
from browser_steps import ARTICLE_URL, log_in_to_admin, pending_queue, post_comment
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments import decisions
from comments.models import Comment

pytestmark = pytest.mark.browser

ORDINARY = "Does tonic water really help? Mine seem worse after it."
RED_FLAG = "Since my flight on Monday my left calf is swollen and hot, is that just a cramp?"
SELF_HARM = "honestly the cramps wear me down so much i dont want to wake up anymore"
RISKY = pytest.mark.parametrize(
    ("text", "category", "concept", "words"),
    [
        (RED_FLAG, "Red-flag symptom", "possible clot in the leg", "swollen"),
        (SELF_HARM, "Self-harm", "", "want to wake up"),
    ],
    ids=["red-flag", "self-harm"],
)


@pytest.fixture
def an_older_ordinary_comment(live_site):
    """Another reader's ordinary question, waiting in the queue since yesterday."""
    article = Article.objects.get(slug=ARTICLE_URL.strip("/").rpartition("/")[2])
    return decisions.add(
        Comment(
            article=article,
            body=ORDINARY,
            author_name="Pat",
            moderation_rule="first_comment",
            created_at=timezone.now() - datetime.timedelta(days=1),
        )
    )


@RISKY
def test_a_risky_post_shows_urgent_help_and_reaches_a_moderator_first_marked(
    new_context, a_moderator, an_older_ordinary_comment, text, category, concept, words
):
    poster = new_context().new_page()
    poster.goto(ARTICLE_URL)
    post_comment(poster, text)

    expect(poster).to_have_url(f"{poster.url.split('#')[0]}#urgent-help")
    note = poster.locator("#urgent-help .urgent-help")
    expect(note).to_be_in_viewport()
    for number in ("999", "NHS 111", "116 123"):
        expect(note).to_contain_text(number)
    expect(note).not_to_contain_text(text)

    moderator = new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in_to_admin(moderator)
    rows = pending_queue(moderator)
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first).to_contain_text(text[:40])
    expect(rows.nth(1)).to_contain_text(ORDINARY[:40])
    why = first.locator("td.field-why")
    expect(why.locator(".safety-urgent").first).to_contain_text(f"{category}: {concept}")
    expect(why.locator("mark").first).to_be_visible()
    expect(why.locator("mark")).to_contain_text([words])
    assert why.bounding_box()["x"] + why.bounding_box()["width"] <= 1280, "why is in view"

    first.locator("th a, td a").first.click()
    field = moderator.locator(".field-medical_safety")
    expect(field.locator("mark").first).to_be_visible()
    expect(field).to_contain_text(category)
