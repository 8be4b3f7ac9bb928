"""Journeys 2-5: guests comment, moderators decide, mistakes cost nothing typed.

Every journey runs twice: with JavaScript and without it (journey 6), since the
no-JavaScript path is the reference.
"""

import datetime
import re

import pytest
from browser_steps import (
    ARTICLE_URL,
    comment_form,
    comment_item,
    decide_in_queue,
    expect_awaiting_moderation,
    log_in_to_admin,
    pending_queue,
    post_comment,
    tab_to,
)
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments import decisions
from comments.models import Comment

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
COMMENT = "Stretching my calves before bed stopped my cramps within a week."
REPLY = "Same here, though it took me closer to a month."
EARLIER = "Does tonic water really help? Mine seem worse after it."


@pytest.fixture
def open_context(new_context):
    """Opens a context with or without JavaScript: one per person in a journey."""
    return lambda javascript: new_context(java_script_enabled=javascript)


@pytest.fixture
def an_earlier_pending_comment(live_site):
    """Another reader's comment, waiting in the queue since two hours ago."""
    article = Article.objects.get(slug=ARTICLE_URL.strip("/").rpartition("/")[2])
    return decisions.add(
        Comment(
            article=article,
            body=EARLIER,
            author_name="Pat",
            created_at=timezone.now() - datetime.timedelta(hours=2),
        )
    )


@JS
def test_guest_comment_waits_for_moderation_and_only_its_author_sees_it(open_context, javascript):
    guest = open_context(javascript).new_page()
    guest.goto(ARTICLE_URL)
    post_comment(guest, COMMENT)

    expect_awaiting_moderation(guest, COMMENT)
    expect(guest).to_have_url(f"{guest.url.split('#')[0]}#comment-{_id_of(guest, COMMENT)}")

    stranger = open_context(javascript).new_page()
    stranger.goto(ARTICLE_URL)
    expect(stranger.locator("#comments")).to_be_visible()
    expect(comment_item(stranger, COMMENT)).to_have_count(0)
    # Issue 10: the form is checked by Fetch metadata, so reading sets no cookie,
    # and the poster keeps only what shows them their own comment.
    assert stranger.context.cookies() == []
    assert {c["name"] for c in guest.context.cookies()} == {"comments_mine"}


@JS
def test_moderator_approves_a_guest_comment_and_it_shows_as_guest_with_avatar(
    open_context, a_moderator, an_earlier_pending_comment, javascript
):
    """The queue is oldest first, so nobody waits longest: the guest's is second."""
    guest = open_context(javascript).new_page()
    guest.goto(ARTICLE_URL)
    post_comment(guest, COMMENT)
    expect_awaiting_moderation(guest, COMMENT)

    moderator = open_context(javascript).new_page()
    log_in_to_admin(moderator)
    queue = pending_queue(moderator)
    expect(queue).to_have_count(2)
    expect(queue.nth(0)).to_contain_text(EARLIER[:40])
    expect(queue.nth(1)).to_contain_text(COMMENT[:40])
    decide_in_queue(moderator, COMMENT, "Approve")
    remaining = pending_queue(moderator)
    expect(remaining).to_have_count(1)
    expect(remaining).to_contain_text(EARLIER[:40])
    moderator.locator(".object-tools").get_by_role("link", name="Moderation dashboard").click()
    expect(moderator.locator("#pending-count")).to_have_text("1")
    breadcrumbs = moderator.get_by_role("navigation", name="Breadcrumbs")
    expect(breadcrumbs.locator("ol.breadcrumbs > li")).to_have_count(3)
    expect(breadcrumbs.locator("li[aria-current=page]")).to_have_text("Moderation dashboard")

    guest.goto(ARTICLE_URL)
    approved = comment_item(guest, COMMENT)
    expect(approved).not_to_contain_text("Awaiting moderation")
    expect(approved.locator(".comment-author")).to_have_text("Guest")
    avatar = approved.get_by_role("img", name="User avatar")
    avatar.scroll_into_view_if_needed()  # it loads lazily
    expect(avatar).to_have_js_property("complete", True)
    assert avatar.evaluate("img => img.naturalWidth") > 0

    stranger = open_context(javascript).new_page()
    stranger.goto(ARTICLE_URL)
    expect(comment_item(stranger, COMMENT)).to_be_visible()


@JS
def test_rejected_reply_is_gone_for_everyone(open_context, a_moderator, javascript):
    guest = open_context(javascript).new_page()
    moderator = open_context(javascript).new_page()
    guest.goto(ARTICLE_URL)
    post_comment(guest, COMMENT)
    log_in_to_admin(moderator)
    decide_in_queue(moderator, COMMENT, "Approve")

    guest.goto(ARTICLE_URL)
    comment_item(guest, COMMENT).get_by_role("link", name="Reply").click()
    expect(comment_form(guest).locator("..")).to_contain_text("Reply to Guest")
    post_comment(guest, REPLY)
    expect_awaiting_moderation(guest, REPLY)
    thread = guest.locator(f"#comment-{_id_of(guest, COMMENT)}")
    expect(thread.locator(".comment-replies")).to_contain_text(REPLY)

    decide_in_queue(moderator, REPLY, "Reject")

    stranger = open_context(javascript).new_page()
    for reader in (guest, stranger):
        reader.goto(ARTICLE_URL)
        expect(comment_item(reader, COMMENT)).to_be_visible()
        expect(comment_item(reader, REPLY)).to_have_count(0)


@JS
def test_empty_comment_is_stopped_with_focus_on_the_comment_box(open_context, javascript):
    """The browser's own required check stops it before anything is sent."""
    page = open_context(javascript).new_page()
    page.goto(ARTICLE_URL)
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    form = comment_form(page)
    form.get_by_label("Name (optional)").fill("Sam")
    form.get_by_role("button", name="Post comment").click()

    expect(form.get_by_label("Your comment")).to_be_focused()
    expect(form.get_by_label("Name (optional)")).to_have_value("Sam")
    assert not posts


@JS
def test_comment_of_only_spaces_is_rejected_by_the_server_and_kept(open_context, watch, javascript):
    """Spaces pass the browser's required check; the server says no, keeping what was typed."""
    watch.expect_page_status(400)
    page = open_context(javascript).new_page()
    page.goto(ARTICLE_URL)
    form = comment_form(page)
    form.get_by_label("Your comment").fill("   ")
    form.get_by_label("Name (optional)").fill("Sam")
    form.get_by_role("button", name="Post comment").click()

    form = comment_form(page)
    body = form.get_by_label("Your comment")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_be_focused()
    expect(body).to_be_in_viewport()
    # Kept as spaces, though not three: crispy-forms collapses a run of three or
    # more spaces between two tags, and an all-space textarea is just that.
    expect(body).to_have_value(re.compile(r"^ +$"))
    expect(form.get_by_label("Name (optional)")).to_have_value("Sam")
    expect(page.locator("#comments .site-messages")).to_contain_text("not posted")
    assert not Comment.objects.filter(author_name="Sam").exists()


TOO_LONG = "Cramps again. " * 215


@JS
@pytest.mark.parametrize(
    ("fields", "first_error", "message"),
    [
        ({"Your comment": TOO_LONG}, "Your comment", "Your comment is too long"),
        (
            {"Your comment": COMMENT, "Email (optional)": "sam@example"},
            "Email (optional)",
            "Enter a valid email address",
        ),
    ],
    ids=["too-long", "bad-email"],
)
def test_rejected_comment_keeps_the_typed_text_and_focuses_the_first_error(
    open_context, watch, javascript, fields, first_error, message
):
    """What only the server catches: the browser passed both of these.

    The re-rendered form autofocuses its first invalid field, with or without
    JavaScript, which also scrolls it into view.
    """
    watch.expect_page_status(400)
    page = open_context(javascript).new_page()
    page.goto(ARTICLE_URL)
    form = comment_form(page)
    # Browsers stop typing at maxlength; a pasted or scripted value still arrives.
    form.get_by_label("Your comment").evaluate("el => el.removeAttribute('maxlength')")
    typed = {"Name (optional)": "Sam"} | fields
    for label, value in typed.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="Post comment").click()

    form = comment_form(page)
    expect(form).to_contain_text(message)
    invalid = form.get_by_label(first_error)
    expect(invalid).to_have_attribute("aria-invalid", "true")
    expect(invalid).to_be_focused()
    expect(invalid).to_be_in_viewport()
    for label, value in typed.items():
        expect(form.get_by_label(label)).to_have_value(value)


@JS
def test_guest_posts_a_comment_with_the_keyboard_alone(open_context, javascript):
    page = open_context(javascript).new_page()
    page.goto(ARTICLE_URL)
    tab_to(page, comment_form(page).get_by_label("Your comment"))
    page.keyboard.type(COMMENT)
    tab_to(page, comment_form(page).get_by_role("button", name="Post comment"))
    page.keyboard.press("Enter")
    expect_awaiting_moderation(page, COMMENT)


@JS
def test_invalid_comment_is_corrected_with_the_keyboard_alone(open_context, watch, javascript):
    """Stopped by the browser (empty, too short), then by the server (email); fixed by keys."""
    watch.expect_page_status(400)
    page = open_context(javascript).new_page()
    page.goto(ARTICLE_URL)
    form = comment_form(page)
    body = form.get_by_label("Your comment")
    post = form.get_by_role("button", name="Post comment")

    tab_to(page, post)
    page.keyboard.press("Enter")
    expect(body).to_be_focused()
    page.keyboard.type("I")
    tab_to(page, post)
    page.keyboard.press("Enter")
    expect(body).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" get cramps in both feet.")
    tab_to(page, form.get_by_label("Email (optional)"))
    page.keyboard.type("sam@example")
    tab_to(page, post)
    page.keyboard.press("Enter")

    form = comment_form(page)
    email = form.get_by_label("Email (optional)")
    expect(form).to_contain_text("Enter a valid email address")
    expect(email).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(".com")
    tab_to(page, form.get_by_role("button", name="Post comment"))
    page.keyboard.press("Enter")
    expect_awaiting_moderation(page, "I get cramps in both feet.")


def _id_of(page, text: str) -> str:
    """The database id in the permalink of the comment showing text."""
    return comment_item(page, text).locator("xpath=..").get_attribute("id").removeprefix("comment-")
