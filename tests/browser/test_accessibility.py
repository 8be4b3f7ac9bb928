"""axe-core finds nothing at WCAG 2.2 AA on the public pages, light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_steps import ARTICLE_URL, comment_form, post_comment
from django.core.management import call_command

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def axe():
    """axe-core, read from the package once."""
    return Axe()


@pytest.fixture
def approved_comments(live_site):
    """A few approved comments, with replies, on every article."""
    call_command("seed_demo_comments", per_article=6, status="approved", seed=6, stdout=None)


def violations(axe, page) -> list[str]:
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        f"\n    {v['nodes'][0]['failureSummary']}"
        for v in found
    ]


def check_in_both_schemes(new_context, axe, visit) -> None:
    """Run visit(page), then axe the page it ends on in light and in dark mode."""
    page = new_context(color_scheme="light").new_page()
    visit(page)
    report = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        report += [f"[{scheme}] {line}" for line in violations(axe, page)]
    assert not report, "\n".join(report)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/topics/",
        "/topics/leg-cramps/",
        "/search/?q=cramps+at+night",
        "/search/?q=zebrafish",
        "/search/",
        "/no-such-page/",
    ],
    ids=["home", "list", "topics", "topic", "results", "no-results", "empty-search", "404"],
)
def test_page_has_no_accessibility_violations(new_context, axe, url):
    check_in_both_schemes(new_context, axe, lambda page: page.goto(url))


def test_article_with_comments_and_own_pending_comment_has_no_violations(
    new_context, axe, approved_comments
):
    def visit(page):
        page.goto(ARTICLE_URL)
        post_comment(page, "Magnesium did nothing for me, but stretching did.")
        page.locator(".comment-pending").wait_for()

    check_in_both_schemes(new_context, axe, visit)


def test_article_replying_to_a_comment_has_no_violations(new_context, axe, approved_comments):
    def visit(page):
        page.goto(ARTICLE_URL)
        page.locator(".comment-reply").first.click()
        page.locator(".comment-replying").wait_for()

    check_in_both_schemes(new_context, axe, visit)


def test_article_with_form_errors_has_no_violations(new_context, axe, approved_comments):
    def visit(page):
        page.goto(ARTICLE_URL)
        form = comment_form(page)
        form.get_by_label("Your comment").fill("Does quinine still get prescribed?")
        form.get_by_label("Email (optional)").fill("sam@example")
        form.get_by_role("button", name="Post comment").click()
        comment_form(page).locator(".invalid-feedback").first.wait_for()

    check_in_both_schemes(new_context, axe, visit)
