"""Every page a reader can reach, as a visit that ends on it.

The accessibility and phone checks run on each, so a page added to the site
is checked once it is added here. Visits that post go through the form, as a
reader would; the poster's own pages (edit, delete) through the signed links
their comment shows them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from browser_steps import ARTICLE_URL, comment_form, post_comment
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.models import Article
from comments import subscriptions
from comments.models import email_token_for

URGENT_TEXT = "I have chest pain and a swollen calf"
SELF_HARM_TEXT = "some nights i go to sleep hoping i dont wake up"
MEDICINE_TEXT = "if the cramps wake you just double the dose of your quinine"
OWN_COMMENT = "Magnesium did nothing for me, but stretching did."


@dataclass(frozen=True)
class PublicPage:
    name: str
    visit: Callable[[Page], None]
    status: int = 200  # what the page itself answers

    def __str__(self):
        return self.name

    def open(self, page: Page) -> None:
        """Visit, then wait for the stylesheets: a form's answer shows before they load."""
        self.visit(page)
        page.wait_for_load_state("load")


def at(url: str) -> Callable[[Page], None]:
    return lambda page: page.goto(url)


def with_own_pending_comment(page: Page) -> None:
    page.goto(ARTICLE_URL)
    post_comment(page, OWN_COMMENT)
    page.locator(".comment-pending").wait_for()


def replying(page: Page) -> None:
    page.goto(ARTICLE_URL)
    page.locator(".comment-reply").first.click()
    page.locator(".comment-replying").wait_for()


def with_form_errors(page: Page) -> None:
    page.goto(ARTICLE_URL)
    form = comment_form(page)
    form.get_by_label("Your comment").fill("Does quinine still get prescribed?")
    form.get_by_label("Email (optional)").fill("sam@example")
    form.get_by_role("button", name="Post comment").click()
    comment_form(page).locator(".invalid-feedback").first.wait_for()


def with_urgent_help(page: Page) -> None:
    page.goto(ARTICLE_URL)
    post_comment(page, URGENT_TEXT)
    expect(page.locator("#urgent-help")).to_be_in_viewport()


def with_medicine_help(page: Page) -> None:
    page.goto(ARTICLE_URL)
    post_comment(page, MEDICINE_TEXT)
    expect(page.locator("#medicine-help")).to_be_in_viewport()


def comments_closed(page: Page) -> None:
    Article.objects.filter(slug=ARTICLE_URL.strip("/").rpartition("/")[2]).update(
        allow_comments=False
    )
    page.goto(ARTICLE_URL)
    page.locator(".comments-closed").wait_for()


def reporting(page: Page) -> None:
    page.goto(ARTICLE_URL)
    page.locator(".comment-report").first.click()
    page.wait_for_url("**/report/")


def answered_helpful(page: Page) -> None:
    """Answer "Was this page helpful?" with a note, as a reader without JS would."""
    page.goto(ARTICLE_URL)
    feedback = page.locator("#helpful")
    feedback.get_by_label("Anything we could do better? (optional)").fill("More on magnesium.")
    feedback.get_by_role("button", name="Yes").click()
    page.locator(".feedback__thanks").wait_for()


def own_comment_link(name: str) -> Callable[[Page], None]:
    """Post a comment, then follow its Edit or Delete link (signed for its poster)."""

    def visit(page: Page) -> None:
        with_own_pending_comment(page)
        page.locator(".comment-pending").get_by_role("link", name=name).click()
        page.wait_for_url(re.compile(rf"/{name.lower()}/\?token="))

    return visit


def subscription_link(kind: str) -> Callable[[Page], None]:
    """The confirm or unsubscribe link of a reply email, made as the email makes it."""

    def visit(page: Page) -> None:
        email_token = email_token_for("sam@example.com")
        make_token = {
            "confirm": subscriptions.confirm_link_token,
            "unsubscribe": subscriptions.unsubscribe_link_token,
        }[kind]
        page.goto(reverse(f"comments:{kind}", args=[make_token(email_token)]))

    return visit


PUBLIC_PAGES = [
    PublicPage("home", at("/")),
    PublicPage("list", at("/articles/")),
    PublicPage("topics", at("/topics/")),
    PublicPage("topic", at("/topics/leg-cramps/")),
    PublicPage("tags", at("/tags/")),
    PublicPage("tag", at("/tags/night-cramps/")),
    PublicPage("author", at("/people/dr-amelia-hart/")),
    PublicPage("reviewer", at("/people/dr-samuel-okafor/")),
    PublicPage("results", at("/search/?q=cramps+at+night")),
    PublicPage("no-results", at("/search/?q=zebrafish")),
    PublicPage("empty-search", at("/search/")),
    PublicPage("404", at("/no-such-page/"), status=404),
    PublicPage("article-own-pending-comment", with_own_pending_comment),
    PublicPage("article-replying", replying),
    PublicPage("article-form-errors", with_form_errors, status=400),
    PublicPage("article-urgent-help", with_urgent_help),
    PublicPage("article-medicine-help", with_medicine_help),
    PublicPage("article-comments-closed", comments_closed),
    PublicPage("article-helpful-thanks", answered_helpful),
    PublicPage("report", reporting),
    PublicPage("edit", own_comment_link("Edit")),
    PublicPage("delete", own_comment_link("Delete")),
    PublicPage("subscription-confirm", subscription_link("confirm")),
    PublicPage("subscription-unsubscribe", subscription_link("unsubscribe")),
]
