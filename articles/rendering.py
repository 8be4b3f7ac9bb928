"""Article Markdown to safe HTML, a table of contents and plain text.

Runs once per save (the result is stored on the article), never per request.
Triage callouts are fenced blocks:

    ::: see-a-doctor When to see a doctor
    - advice in Markdown
    :::
"""

import html
import math
import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.text import slugify

CALLOUT_LEVELS = {
    "self-care": "Self-care",
    "see-a-doctor": "See a doctor",
    "urgent": "Urgent advice",
    "emergency": "Emergency",
}
CALLOUT = re.compile(
    r"^:::[ \t]*(?P<level>[a-z-]+)[ \t]*(?P<title>[^\n]*)\n(?P<body>.*?)^:::[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
HEADING = re.compile(r"<h(?P<level>[23])(?P<attrs>[^>]*)>(?P<inner>.*?)</h(?P=level)>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
HEADING_END = re.compile(r"(.)(?=</h[2-4]>)")
WORDS_PER_MINUTE = 200
# Ids the page around the article already uses; a heading never takes them.
RESERVED_IDS = {
    "main", "article-title", "toc-heading", "references-heading", "tags-heading",
    "related-heading", "comments", "comment-form", "site-search-heading", "site-search-q",
}  # fmt: skip

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a",
    "blockquote", "code", "pre", "br", "hr", "table", "thead", "tbody", "tr",
    "th", "td", "aside", "abbr", "sup", "sub", "dl", "dt", "dd", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "aside": {"callout"} | {f"callout-{level}" for level in CALLOUT_LEVELS},
    "h3": {"callout-title"},
    "p": {"callout-kind"},
}


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str
    toc: list[dict]
    reading_minutes: int


def _markdown(source: str) -> str:
    return markdown.markdown(source, extensions=["sane_lists", "tables", "smarty"])


def _callout_html(match: re.Match) -> str:
    level = match["level"] if match["level"] in CALLOUT_LEVELS else "self-care"
    title = match["title"].strip() or CALLOUT_LEVELS[level]
    return (
        f'\n<aside class="callout callout-{level}">'
        f'<p class="callout-kind">{CALLOUT_LEVELS[level]}</p>'
        f'<h3 class="callout-title">{html.escape(title)}</h3>'
        f"{_markdown(match['body'])}</aside>\n"
    )


def _render_parts(source: str) -> str:
    """Markdown outside callouts and inside each callout, joined in order."""
    parts, position = [], 0
    for match in CALLOUT.finditer(source):
        parts.append(_markdown(source[position : match.start()]))
        parts.append(_callout_html(match))
        position = match.end()
    parts.append(_markdown(source[position:]))
    return "\n".join(parts)


def sanitize(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _anchor_headings(safe_html: str) -> tuple[str, list[dict]]:
    toc, seen = [], set(RESERVED_IDS)

    def add_id(match: re.Match) -> str:
        text = html.unescape(TAG.sub("", match["inner"])).strip()
        base = slugify(text) or "section"
        if base.startswith("comment-"):  # comment permalinks are #comment-<id>
            base = f"section-{base}"
        anchor = base
        counter = 2
        while anchor in seen:
            anchor, counter = f"{base}-{counter}", counter + 1
        seen.add(anchor)
        toc.append({"level": int(match["level"]), "id": anchor, "title": text})
        level = match["level"]
        return f'<h{level} id="{anchor}"{match["attrs"]}>{match["inner"]}</h{level}>'

    return HEADING.sub(add_id, safe_html), toc


def render_markdown(source: str) -> Rendered:
    safe_html, toc = _anchor_headings(sanitize(_render_parts(source.replace("\r\n", "\n"))))
    # A heading ends its sentence, so snippets never read "Statins Statins are".
    sentences = HEADING_END.sub(lambda m: m[0] if m[1] in ".?!:" else f"{m[0]}.", safe_html)
    text = re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", sentences))).strip()
    minutes = max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))
    return Rendered(html=safe_html, text=text, toc=toc, reading_minutes=minutes)
