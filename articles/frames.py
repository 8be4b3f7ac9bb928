"""The article page's frame: everything on it but what other apps add under it.

The frame is the same for every reader, so it is rendered for a reader with
nothing of their own (reader_request()) and cut into pieces (Frame): the
text, a slot for each related card's comment count, and one place for the
sections. articles/pages.py keeps frames in each process and puts the
sections in; articles/stored_frames.py stores them for every process.

Comments touch the frame only through the related cards' comment counts:
they are filled in once per site version with one query, so a comment
decision (which moves the site version, not the articles') re-renders no
article template.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache, cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from articles import feedback
from articles.forms import FeedbackForm
from articles.models import Article
from cramps_site.prepared_queries import Prepared, Slot

TEMPLATE = "articles/article_detail.html"
# Markers in the rendered page where the sections and the related cards' counts
# go, cut out by pieces(): no template or article text can hold these.
SECTIONS_MARK = "\x00sections\x00"
COUNT_MARK = "\x00count {}\x00"
COUNT_MARK_START = "\x00count "


def article_context(request, article: Article) -> dict:
    """What the article itself shows: its text, tags, related reading and "Was this helpful?"."""
    prefetch_related_objects([article], "tags", "references")
    tags = list(article.tags.all())
    related = Article.objects.published().related_to(article, [t.pk for t in tags])
    return {
        "article": article,
        "tags": tags,
        "related": related,
        "feedback_form": FeedbackForm(article=article),
        "feedback_thanks": request.GET.get("helpful") == feedback.THANKS,
    }


def comment_count(count: int) -> str:
    """What an article card says of its comments (templates/includes/_article_card.html)."""
    return f"{count} comment{pluralize(count)}"


@dataclass
class Frame:
    """The page around the sections, in pieces: text (str), a related article's
    comment count (its pk, int) and, once, the sections (None).

    filled is the page with counts put in, and the site version they were read under.
    """

    version: str
    expires: float
    pieces: list
    filled: tuple = field(default=(None, "", ""))

    @cached_property
    def related_ids(self) -> list[int]:
        return [piece for piece in self.pieces if isinstance(piece, int)]

    def counts(self) -> dict[int, int]:
        """The related articles' comment counts, now: one query."""
        return dict(related_counts(len(self.related_ids)).bind(**self._ids).rows())

    @cached_property
    def _ids(self) -> dict[str, int]:
        return {related_slot(i).name: pk for i, pk in enumerate(self.related_ids)}

    def fill(self, site_version, counts: dict[int, int]) -> tuple[str, str]:
        before, after = [], []
        into = before
        for piece in self.pieces:
            if piece is None:
                into = after
            elif isinstance(piece, int):
                into.append(comment_count(counts[piece]))
            else:
                into.append(piece)
        self.filled = (site_version, "".join(before), "".join(after))
        return self.filled[1:]


def render_frame(article: Article, thanks: bool, version: str) -> tuple[Frame, dict[int, int]]:
    """The frame, rendered for a reader with nothing of their own; and its related
    cards' comment counts as read with them."""
    request = reader_request(article, thanks)
    context = article_context(request, article)
    related = list(context["related"])
    for card in related:
        card.comment_count_slot = COUNT_MARK.format(card.pk)
    context |= {"related": related, "sections": [SECTIONS_MARK], "preview": False}
    page = render(request, TEMPLATE, context).content.decode()
    made = Frame(version, frame_expiry().timestamp(), pieces(page))
    return made, {card.pk: card.approved_comment_count for card in related}


def reader_request(article: Article, thanks: bool = False) -> HttpRequest:
    """A reader with no cookie, message or login asking for the article: whom a frame is for."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = article.get_absolute_url()
    site = urlsplit(settings.SITE_URL)
    request.META = {
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
    }
    if thanks:
        request.GET = QueryDict(f"helpful={feedback.THANKS}")
    return request


def pieces(page: str) -> list:
    """The page cut at the sections and the count slots (see Frame)."""
    cut = []
    for i, part in enumerate(page.split(COUNT_MARK_START)):
        if i:
            pk, part = part.split("\x00", 1)
            cut.append(int(pk))
        text, *rest = part.split(SECTIONS_MARK)
        cut.append(text)
        for text in rest:
            cut += [None, text]
    if cut.count(None) != 1:
        raise ValueError(f"{TEMPLATE} must show the sections once.")
    return cut


def frame_expiry() -> datetime.datetime:
    """When a frame rendered now must be rendered again, even if no article changes."""
    now = timezone.localtime()
    new_year = now.replace(
        year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    next_publication = Article.objects.next_publication_time()
    return min(new_year, next_publication or new_year)


# The related cards' counts, in SQL built once per process (cramps_site/prepared_queries.py).


def related_slot(i: int) -> Slot:
    """The i-th related article's pk, in related_counts()'s SQL."""
    return Slot(f"related_{i}")


@cache
def related_counts(how_many: int) -> Prepared:
    """The comment counts of that many articles, by pk: bind(related_0=..., ...)."""
    slots = [related_slot(i) for i in range(how_many)]
    return Prepared.of(
        Article.objects.filter(pk__in=slots).values_list("pk", "approved_comment_count"), *slots
    )
