"""Article Markdown becomes safe HTML with anchors and callouts."""

import pytest

from articles.rendering import render_markdown


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="steal()">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<p style="position:fixed">x</p>',
    ],
)
def test_markdown_is_sanitized(hostile):
    html = render_markdown(f"Text before.\n\n{hostile}\n\nText after.").html
    for forbidden in (
        "<script",
        "javascript:",
        "onerror",
        "onclick",
        "<iframe",
        "<style",
        "style=",
    ):
        assert forbidden not in html.lower()
    assert "Text after." in html


def test_links_get_safe_rel():
    html = render_markdown("[NHS](https://www.nhs.uk/)").html
    assert 'href="https://www.nhs.uk/"' in html and 'rel="noopener noreferrer"' in html


def test_headings_get_unique_anchors_and_a_toc():
    rendered = render_markdown("## Causes\n\ntext\n\n### Detail\n\nx\n\n## Causes\n\ny")
    assert [e["id"] for e in rendered.toc] == ["causes", "detail", "causes-2"]
    assert '<h2 id="causes">Causes</h2>' in rendered.html
    assert '<h3 id="detail">Detail</h3>' in rendered.html


@pytest.mark.parametrize("level", ["self-care", "see-a-doctor", "urgent", "emergency"])
def test_triage_callouts_render_with_their_level_and_markdown_inside(level):
    rendered = render_markdown(f"Intro\n\n::: {level} Get help <now>\n- **one**\n- two\n:::\n\nEnd")
    assert f'<aside class="callout callout-{level}">' in rendered.html
    assert "Get help &lt;now&gt;</h3>" in rendered.html
    assert "<li><strong>one</strong></li>" in rendered.html
    assert (
        rendered.html.index("Intro") < rendered.html.index("callout") < rendered.html.index("End")
    )


def test_unknown_callout_level_falls_back_to_self_care_not_to_raw_text():
    html = render_markdown("::: bogus Title\nbody\n:::").html
    assert 'class="callout callout-self-care"' in html and ":::" not in html


def test_plain_text_and_reading_time():
    rendered = render_markdown("## Heading\n\n" + "word " * 450)
    assert "<" not in rendered.text
    assert rendered.reading_minutes == 3


def test_heading_anchors_never_take_the_pages_own_ids():
    rendered = render_markdown("## Main\n\nx\n\n## Comments\n\ny\n\n## Comment 5\n\nz")
    assert [e["id"] for e in rendered.toc] == ["main-2", "comments-2", "section-comment-5"]


def test_callout_title_is_a_subheading_listed_under_its_section():
    rendered = render_markdown("## Treatment\n\n::: see-a-doctor When to see a doctor\nGo.\n:::")
    assert [(e["level"], e["id"]) for e in rendered.toc] == [
        (2, "treatment"),
        (3, "when-to-see-a-doctor"),
    ]


def test_headings_end_their_sentence_in_the_plain_text():
    text = render_markdown("## Statins\n\nStatins are drugs.\n\n## Why?\n\nBecause.").text
    assert text == "Statins. Statins are drugs. Why? Because."
