"""On a phone and a small tablet: no sideways scrolling, big enough targets and text."""

import pytest
from public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 360, "height": 740}, {"width": 768, "height": 1024}]
MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8 (AA)
MIN_TEXT = 16  # CSS px

# Links in running text are exempt from 2.5.8 (their size is set by the line);
# everything else a finger must hit is measured, over the whole document (some
# visits end scrolled down), except what sits above it (the skip link).
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
    if (!el.checkVisibility() || box.width <= 1 || box.height <= 1) continue;
    if (box.bottom + scrollY < 0) continue;
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
    if (box.width <= 1 || box.height <= 1 || box.bottom + scrollY < 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minimum) small.set(el, `${el.outerHTML.slice(0, 90)} is ${size}px`);
  }
  return [...small.values()];
}"""

NO_SIDEWAYS_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=str)
def test_page_fits_phones_and_tablets(new_context, watch, approved_comments, public_page):
    """Visited once on the phone, then measured at each size (a post is not sent twice)."""
    watch.expect_page_status(public_page.status)
    page = new_context(viewport=VIEWPORTS[0], is_mobile=True, has_touch=True).new_page()
    public_page.open(page)
    problems = []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        size = f"{viewport['width']}x{viewport['height']}"
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            problems.append(f"{size}: the page scrolls sideways")
        problems += [f"{size}: small target {t}" for t in page.evaluate(SMALL_TARGETS, MIN_TARGET)]
        problems += [f"{size}: small text {t}" for t in page.evaluate(SMALL_TEXT, MIN_TEXT)]
    assert not problems, "\n".join(problems)
