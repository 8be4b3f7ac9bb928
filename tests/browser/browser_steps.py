"""What readers and moderators do, as small steps the journeys share."""

from playwright.sync_api import Locator, Page, expect

ARTICLE_URL = "/articles/leg-cramps-at-night/"
AWAITING = "Thanks! Your comment is awaiting moderation."
MODERATOR_USERNAME = "moderator"
MODERATOR_PASSWORD = "a-long-test-only-password"  # noqa: S105
# Enough presses of Tab to cross the longest article page.
MAX_TABS = 120


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, locator: Locator, limit: int = MAX_TABS) -> None:
    """Press Tab until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return
    raise AssertionError(f"{locator} never received focus in {limit} presses of Tab")


def comment_form(page: Page) -> Locator:
    return page.locator("#comment-form")


def post_comment(page: Page, text: str, name: str = "") -> None:
    """Fill in the comment form (on the current article page) and post it."""
    form = comment_form(page)
    form.get_by_label("Your comment").fill(text)
    form.get_by_label("Name (optional)").fill(name)
    form.get_by_role("button", name="Post comment").click()


def comment_item(page: Page, text: str) -> Locator:
    """The comment (its own card, not its thread) that shows this text."""
    return page.locator("#comments .comment-card").filter(has_text=text)


def expect_awaiting_moderation(page: Page, text: str) -> None:
    """The thanks shows once, in the comment section, beside the comment it is about."""
    expect(page.locator(".site-messages")).to_have_count(1)
    expect(page.locator("#comments .site-messages")).to_contain_text(AWAITING)
    expect(page.locator("#comments .site-messages")).to_be_in_viewport()
    mine = comment_item(page, text)
    expect(mine).to_be_visible()
    expect(mine).to_contain_text("Awaiting moderation")
    expect(mine.locator(".comment-author")).to_have_text("Guest")


def log_in_to_admin(page: Page) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(MODERATOR_USERNAME)
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def pending_queue(page: Page) -> Locator:
    """Open the moderation queue (pending comments, oldest first); its rows."""
    page.goto("/admin/comments/comment/")
    page.locator("#changelist-filter").get_by_role("link", name="Pending", exact=True).click()
    return page.locator("#result_list tbody tr")


def decide_in_queue(page: Page, text: str, action: str, reason: str = "") -> None:
    """Tick the pending comment showing text, apply the bulk action and confirm it.

    action is how the action's label starts: "Approve", "Reject" or "Mark as spam".
    """
    row = pending_queue(page).filter(has_text=text[:40])
    row.locator("input.action-select").check()
    select = page.locator("select[name=action]")
    label = next(
        option.strip()
        for option in select.locator("option").all_inner_texts()
        if option.strip().startswith(action)
    )
    select.select_option(label=label)
    page.locator(".actions").get_by_role("button", name="Run").click()
    # Every decision is confirmed on a page of its own, with an optional reason.
    confirmation = page.locator("#content form")
    expect(page.locator("#content")).to_contain_text(text[:40])
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumbs").locator("ol.breadcrumbs > li")
    expect(breadcrumbs).to_have_count(4)
    confirmation.get_by_label("Reason (optional)").fill(reason)
    confirmation.locator("[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment")
