"""Article frames stored in the database, rendered once for every process and server.

An editor's change (the admin, the content loader) calls articles_changed():
the version moves (articles/page_cache.py), the changed article's frame is
rendered and stored in the same transaction, and once it is committed a task
stores every other published article's frame under the new version. So the
first reader after a change, and a new process, read a frame with one
prepared query instead of rendering it (about 8 ms). A process that renders
a frame itself (the task has not reached it yet, or a scheduled publication
ended the stored one) stores it too.

A stored frame is used only under the articles' version and the stamp it was
rendered with (frame_stamp(): the code, the templates, the static files'
hashed names, the settings a page shows and the packages that render it, as
loaded when the process started), so a deploy never serves an old one; and
only until its expiry (articles/frames.py: the next scheduled publication or
the new year).
"""

import datetime
import hashlib
import importlib.metadata
import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from articles import page_cache
from articles.frames import Frame, render_frame
from articles.models import Article, PageFrame
from cramps_site.prepared_queries import Prepared, Slot

logger = logging.getLogger(__name__)

# Any article, in SQL built once per process (cramps_site/prepared_queries.py).
ARTICLE = Slot("article")
# Where the stamp's sources live, and the packages that render a frame.
CODE = ("articles", "cramps_site")
PACKAGES = ("django", "django-crispy-forms", "crispy-bootstrap5")


def articles_changed(articles: Iterable[Article] = ()) -> None:
    """Articles, topics, tags or people changed: every page renders afresh.

    Call it inside the change's transaction. The articles given (the one an
    editor saved) get their frames stored in it too; every other article's
    is stored by a task once the change is committed.
    """
    version = page_cache.bump_site_version()
    changed = [article.pk for article in articles]
    # Read again: what the editor's form holds may predate its tags' save.
    for article in Article.objects.published().for_article_page().filter(pk__in=changed):
        store_frame(article, version)
    transaction.on_commit(store_frames.enqueue, robust=True)


def stored_frame(article: Article, version: str) -> Frame | None:
    """The stored frame of this article for this version and code, if there is one."""
    for stored_version, stamp, expires, cut in _stored_query().bind(article=article.pk).rows():
        if (stored_version, stamp) == (version, frame_stamp()) and expires > timezone.now():
            return Frame(version, expires.timestamp(), cut)
    return None


@cache
def _stored_query() -> Prepared:
    """An article's stored frame, whatever its version: one query, built once."""
    stored = PageFrame.objects.filter(article=ARTICLE)
    return Prepared.of(stored.values_list("version", "stamp", "expires", "pieces"), ARTICLE)


def store_frame(article: Article, version: str, frame: Frame | None = None) -> Frame:
    """Store the article's frame (rendered now if not given) under this version."""
    if frame is None:
        frame, _ = render_frame(article, False, version)
    fields = {
        "version": version,
        "stamp": frame_stamp(),
        "expires": datetime.datetime.fromtimestamp(frame.expires, datetime.UTC),
        "pieces": frame.pieces,
    }
    if not PageFrame.objects.filter(article=article).update(**fields):
        # Another process may store it first: theirs is as good.
        PageFrame.objects.bulk_create([PageFrame(article=article, **fields)], ignore_conflicts=True)
    return frame


def keep_rendered_frame(article: Article, frame: Frame) -> None:
    """A frame a reader's request rendered: stored for every other process too.

    A cache fill, so a failure (a busy database) costs only the next process
    a render, never this reader their page.
    """
    try:
        with transaction.atomic():
            store_frame(article, frame.version, frame)
    except DatabaseError:
        logger.warning("Could not store the frame of article %s", article.pk, exc_info=True)


# Behind email tasks: readers are served meanwhile, by renders of their own.
@task(priority=-10)
def store_frames() -> int:
    """Render and store each published article's frame under the articles' version.

    Skips those stored for it already, and stops when the version moves on
    (a newer change, which queued this again); an article that fails to
    render is logged and left to readers' renders. Returns how many it stored.
    """
    version = page_cache.current_version().articles
    done = PageFrame.objects.filter(
        version=version, stamp=frame_stamp(), expires__gt=timezone.now()
    )
    articles = Article.objects.published().for_article_page().exclude(pk__in=done.values("article"))
    stored = 0
    for article in articles.order_by("pk"):
        if page_cache.current_version().articles != version:
            break
        try:
            store_frame(article, version)
        except Exception:
            logger.exception("Could not render the frame of article %s", article.pk)
            continue
        stored += 1
    return stored


@cache
def frame_stamp() -> str:
    """What renders a frame besides the content, as one value.

    The site's and this app's code, the templates, the static files' hashed
    names, the settings a page shows and the versions of the packages that
    render it. Computed when the process starts (articles/apps.py), so a
    process stamps what it runs, even if the files change under it.
    """
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR).resolve()
    sources = [path for folder in CODE for path in (root / folder).rglob("*.py")]
    sources += (root / "templates").rglob("*.html")
    for path in sorted(sources):
        digest.update(path.resolve().relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    static_names = getattr(staticfiles_storage, "hashed_files", {})
    shown = [settings.SITE_NAME, settings.SITE_URL, settings.STATIC_URL, settings.TIME_ZONE]
    shown += [settings.LANGUAGE_CODE, getattr(settings, "CRISPY_TEMPLATE_PACK", "")]
    packages = [importlib.metadata.version(name) for name in PACKAGES]
    digest.update(repr((sorted(static_names.items()), shown, packages)).encode())
    return digest.hexdigest()[:32]


@receiver(setting_changed)
def forget_the_stamp_of_other_settings(**kwargs):
    frame_stamp.cache_clear()
