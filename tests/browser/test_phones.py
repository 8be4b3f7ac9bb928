"""On a phone and a small tablet: no sideways scrolling, big enough targets and text."""

import pytest
from browser_steps import ARTICLE_URL
from django.core.management import call_command

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 768, "height": 1024}]
MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8 (AA)
MIN_TEXT = 16  # CSS px

# Links in running text are exempt from 2.5.8 (their size is set by the line);
# everything else a finger must hit is measured.
SMALL_TARGETS = """(minimum) => {
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]");
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    return block.textContent.trim().length > el.textContent.trim().length;
  };
  const small = [];
  for (const el of targets) {
    const box = el.getBoundingClientRect();
    if (!el.checkVisibility() || box.width <= 1 || box.height <= 1 || box.bottom < 0) continue;
    if (el.tagName === "A" && inSentence(el)) continue;
    if (box.width < minimum || box.height < minimum) {
      const size = `${box.width.toFixed(1)}x${box.height.toFixed(1)}`;
      small.push(`${el.outerHTML.slice(0, 90)} is ${size}`);
    }
  }
  return small;
}"""

# Every visible run of text, except visually hidden text for screen readers.
SMALL_TEXT = """(minimum) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Map();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.bottom < 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minimum) small.set(el, `${el.outerHTML.slice(0, 90)} is ${size}px`);
  }
  return [...small.values()];
}"""

NO_SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


@pytest.fixture
def approved_comments(live_site):
    """A few approved comments, with replies, on every article."""
    call_command("seed_demo_comments", per_article=6, status="approved", seed=6, stdout=None)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        ARTICLE_URL,
        f"{ARTICLE_URL}?reply_to=1",
        "/search/?q=cramps+at+night",
        "/search/?q=zebrafish",
        "/topics/leg-cramps/",
        "/articles/",
    ],
    ids=["home", "article", "article-reply", "results", "no-results", "topic", "list"],
)
def test_page_fits_phones_and_tablets(new_context, approved_comments, url):
    page = new_context(viewport=VIEWPORTS[0], is_mobile=True, has_touch=True).new_page()
    problems = []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        page.goto(url)
        size = f"{viewport['width']}x{viewport['height']}"
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            problems.append(f"{size}: the page scrolls sideways")
        problems += [f"{size}: small target {t}" for t in page.evaluate(SMALL_TARGETS, MIN_TARGET)]
        problems += [f"{size}: small text {t}" for t in page.evaluate(SMALL_TEXT, MIN_TEXT)]
    assert not problems, "\n".join(problems)
