"""The layout promises a reader can see: one reading column, comments in line."""

import pytest
from browser_steps import ARTICLE_URL, comment_item, post_comment
from playwright.sync_api import expect
from public_pages import MEDICINE_TEXT, SELF_HARM_TEXT, URGENT_TEXT

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# The parts of an article page that make up its reading column.
COLUMN = [".article__header .lead", ".byline", ".article__body", ".related", "#comments"]
MINE = "Magnesium did nothing for me, but stretching did."


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_article_page_reads_in_one_column_beside_its_contents(new_context, approved_comments):
    """Header, body, related articles and comments share both edges, right of the contents."""
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(ARTICLE_URL)
    edges = {
        s: (round(box(page, s)["x"]), round(box(page, s)["x"] + box(page, s)["width"]))
        for s in COLUMN
    }
    assert len(set(edges.values())) == 1, edges
    left, right = edges["#comments"]
    toc = box(page, ".article-toc")
    assert toc["x"] + toc["width"] < left
    # About 70 characters a line: 38rem at 16px.
    assert right - left == 38 * 16


def test_own_pending_comment_lines_up_with_the_others_and_lands_below_the_edge(
    new_context, approved_comments
):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(ARTICLE_URL)
    post_comment(page, MINE)
    mine = comment_item(page, MINE)
    expect(mine).to_be_in_viewport()
    others = page.locator(
        "#comments .comment-list > .comment:not(.comment-pending) > .comment-card"
    )
    for part in (".comment-avatar", ".comment-author", ".comment-text"):
        assert (
            mine.locator(part).bounding_box()["x"] == others.first.locator(part).bounding_box()["x"]
        ), part
    assert mine.bounding_box()["y"] >= 16, "the landing comment sits flush with the top edge"
    expect(mine.locator(".comment-avatar")).to_have_css("border-radius", "8px")


def test_urgent_help_shows_with_its_message_where_the_poster_lands(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(ARTICLE_URL)
    post_comment(page, URGENT_TEXT)

    expect(page).to_have_url(f"{page.url.split('#')[0]}#urgent-help")
    landing = page.locator("#urgent-help")
    message = landing.locator(".site-messages")
    expect(message).to_contain_text("please read the note below")
    expect(message).to_be_in_viewport()
    expect(page.locator(".site-messages")).to_have_count(1)
    assert landing.bounding_box()["y"] >= 16
    note = landing.locator(".urgent-help")
    for number in ("999", "112", "911", "your local emergency number"):
        expect(note).to_contain_text(number)


def test_a_self_harm_post_lands_on_the_urgent_note_with_samaritans(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(ARTICLE_URL)
    post_comment(page, SELF_HARM_TEXT)

    expect(page).to_have_url(f"{page.url.split('#')[0]}#urgent-help")
    note = page.locator("#urgent-help .urgent-help")
    expect(note).to_be_in_viewport()
    for words in ("Samaritans", "116 123", "988", "NHS 111"):
        expect(note).to_contain_text(words)
    expect(note).not_to_contain_text(SELF_HARM_TEXT)


def test_a_dosing_post_lands_on_the_medicine_note(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(ARTICLE_URL)
    post_comment(page, MEDICINE_TEXT)

    expect(page).to_have_url(f"{page.url.split('#')[0]}#medicine-help")
    note = page.locator("#medicine-help .urgent-help")
    expect(note).to_be_in_viewport()
    expect(note).to_contain_text("doctor or pharmacist")
    expect(note).to_contain_text("taken too much of a medicine")
    expect(page.locator("#urgent-help")).to_have_count(0)


def test_comment_form_uses_the_width_of_a_phone(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(ARTICLE_URL)
    textarea = box(page, "#comment-form textarea")
    assert textarea["width"] >= 0.8 * PHONE["width"], textarea
