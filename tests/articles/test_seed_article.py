"""The seed page's article is served whole, with real headings."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "leg-cramps-at-night.txt"
SEED_COPY = Path(__file__).resolve().parents[2] / "articles" / "content" / "leg-cramps-at-night.md"
HEADINGS = ["Causes of leg cramps at night", "Treatment of leg cramps at night"]


def seed_paragraphs() -> list[str]:
    """The article's paragraphs from the seed page, without the page chrome."""
    if SEED.exists():
        text = SEED.read_text(encoding="utf-8")
        body = text.split("Leg cramps are sudden", 1)[1].split("Your thoughts on this", 1)[0]
        body = "Leg cramps are sudden" + body
    else:  # a checkout without ../shared: the article file quotes the seed verbatim
        body = SEED_COPY.read_text(encoding="utf-8").split("---\n", 2)[2]
        body = re.sub(r"^(:::.*|## .*)$", "", body, flags=re.MULTILINE)
    return [p.strip() for p in body.split("\n\n") if p.strip() and p.strip() not in HEADINGS]


@pytest.fixture
def seed_page(client, site_content):
    """The rendered page of the seed article."""
    response = client.get(reverse("articles:detail", args=["leg-cramps-at-night"]))
    assert response.status_code == 200
    return response.content.decode()


def test_seed_article_headings_are_real_h2_with_anchors(seed_page):
    for heading in HEADINGS:
        assert re.search(rf'<h2 id="[a-z-]+">{heading}</h2>', seed_page), heading
    assert '<h1 id="article-title" class="page-title">Leg cramps at night</h1>' in seed_page


def test_every_seed_paragraph_is_on_the_page(seed_page):
    paragraphs = seed_paragraphs()
    assert len(paragraphs) == 12
    for paragraph in paragraphs:
        assert escape(paragraph).replace("&#x27;", "’") in seed_page.replace("&#x27;", "’") or (
            paragraph in seed_page
        ), paragraph[:60]


def test_seed_article_has_see_a_doctor_callout_and_toc(seed_page):
    assert 'class="callout callout-see-a-doctor"' in seed_page
    assert 'href="#causes-of-leg-cramps-at-night"' in seed_page
    assert 'href="#when-to-see-a-doctor"' in seed_page
