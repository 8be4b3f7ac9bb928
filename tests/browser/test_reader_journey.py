"""Journey 1: a reader searches, reads an article, uses its contents and moves on."""

import pytest
from browser_steps import tab_to
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

QUERY = "cramps at night"
ARTICLE = "Leg cramps at night"
SECTION = "Treatment of leg cramps at night"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reader_finds_an_article_by_search_and_follows_it_through(new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto("/")
    page.get_by_role("searchbox", name="Search articles").fill(QUERY)
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(QUERY)
    page.locator(".search-results").get_by_role("link", name=ARTICLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE)
    toc_link = page.locator(".article-toc").get_by_role("link", name=SECTION)
    target = toc_link.get_attribute("href")
    toc_link.click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}{target}")
    expect(page.locator(target)).to_be_in_viewport()

    related = page.locator(".related .article-card__title a").first
    title = related.inner_text()
    related.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reader_journey_works_with_the_keyboard_alone(new_context, javascript):
    """Tab and Enter reach every step: search, result, contents link, related article."""
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto("/")

    search = page.get_by_role("searchbox", name="Search articles")
    tab_to(page, search)
    page.keyboard.type(QUERY)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(QUERY)

    tab_to(page, page.locator(".search-results").get_by_role("link", name=ARTICLE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE)

    toc_link = page.locator(".article-toc").get_by_role("link", name=SECTION)
    tab_to(page, toc_link)
    page.keyboard.press("Enter")
    target = page.locator(toc_link.get_attribute("href"))
    expect(target).to_be_in_viewport()

    related = page.locator(".related .article-card__title a").first
    title = related.inner_text()
    tab_to(page, related)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
