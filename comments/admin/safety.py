"""What the detector found in a comment, shown to moderators: category, concept, words.

The words are marked (<mark>) in the comment's own text, escaped. The queue
shows each marked passage with a little text either side; the comment's page
shows the whole text.
"""

from django.utils.html import format_html, format_html_join

from comments.models import Comment
from comments.moderation.safety_holds import category_label, findings_for
from comments.safety import URGENT, Finding, segments

# Characters of unmarked text kept either side of a marked passage in the queue.
CONTEXT = 40


def summary(findings: list[Finding]) -> str:
    """ "Red-flag symptom: possible clot in the leg": one line per finding, most urgent first."""
    return format_html_join(
        "",
        '<span class="safety-finding safety-{}"><strong>{}:</strong> {}</span>',
        (
            ("urgent" if f.priority == URGENT else "review", category_label(f.category), f.concept)
            for f in findings
        ),
    )


def highlighted(text: str, findings: list[Finding], *, context: int | None = None) -> str:
    """text, escaped, with the findings' words in <mark>; cut to context around them if given."""
    pieces = segments(text, findings)
    html = []
    for index, (piece, marked) in enumerate(pieces):
        if marked:
            html.append(format_html("<mark>{}</mark>", piece))
            continue
        if context is not None:
            piece = _trimmed(piece, context, first=index == 0, last=index == len(pieces) - 1)
        html.append(format_html("{}", piece))
    return format_html_join("", "{}", ((part,) for part in html))


def _trimmed(piece: str, context: int, *, first: bool, last: bool) -> str:
    """An unmarked piece cut to about context characters beside each mark, at a word's edge."""
    if first and len(piece) > context:
        return "…" + _tail(piece, context)
    if last and len(piece) > context:
        return _head(piece, context) + "…"
    if not first and not last and len(piece) > 2 * context:
        return _head(piece, context) + " … " + _tail(piece, context)
    return piece


def _head(piece: str, context: int) -> str:
    cut = piece.rfind(" ", 0, context)
    return piece[: cut if cut > 0 else context]


def _tail(piece: str, context: int) -> str:
    cut = piece.find(" ", len(piece) - context)
    return piece[cut if cut >= 0 else len(piece) - context :]


def for_queue(comment: Comment, findings: list[Finding] | None = None) -> str:
    """The queue's "why" for a safety finding: what, and the words in a little context."""
    findings = findings_for(comment) if findings is None else findings
    if not findings:
        return ""
    return format_html(
        '{}<span class="safety-words">{}</span>',
        summary(findings),
        highlighted(comment.body, findings, context=CONTEXT),
    )


def for_page(comment: Comment, findings: list[Finding]) -> str:
    """The comment's admin page: what the detector found, and the whole text marked."""
    if not findings:
        return "Nothing found by the medical-safety detector."
    return format_html(
        '{}<div class="safety-text">{}</div>',
        summary(findings),
        highlighted(comment.body, findings),
    )
