"""Profile the article page with N approved comments, for docs/performance.md.

Builds a throwaway SQLite database (production settings, DEBUG off), loads
the site content and seeds the comments, then renders the article page with
Django's test client under pyinstrument and prints the profile.

    .venv/bin/python scripts/profile_article.py --comments 200 --requests 20
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from throwaway_site import production_env

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/articles/leg-cramps-at-night/"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warm", action="store_true", help="Profile cache hits, not renders.")
    parser.add_argument(
        "--changed",
        action="store_true",
        help="A comment decision on the article before each render, as comments/decisions.py "
        "makes it: no page or comment rows kept serve (the article's frame does).",
    )
    parser.add_argument(
        "--article-changed",
        action="store_true",
        help="An article change before each render (the admin's save): nothing kept serves.",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cramps-profile-"))
    os.environ.update(production_env(workdir, site_url="http://127.0.0.1", purpose="profile"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable")
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_site_content", verbosity=0)
    call_command("seed_demo_comments", per_article=args.comments, status="approved", seed=1)

    client = Client()
    first = client.get(ARTICLE)
    assert first.status_code == 200, first.status_code
    if not args.warm:
        # A reader with an own-comment cookie always gets a fresh render.
        client.cookies["comments_mine"] = "none"
    from articles import stored_frames
    from articles.models import Article
    from articles.page_cache import invalidate_article

    article_id = Article.objects.get(slug=ARTICLE.split("/")[2]).pk
    profiler = Profiler(interval=0.0005)
    for _ in range(args.requests):
        if args.changed:
            invalidate_article(article_id)
        if args.article_changed:
            stored_frames.articles_changed()  # the admin's save
            stored_frames.store_frames.call()  # the task its worker then runs
        profiler.start()
        client.get(ARTICLE)
        profiler.stop()
    each = profiler.last_session.duration / args.requests * 1000
    print(f"{args.requests} requests, {each:.1f} ms each")
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    # The same samples by function, self time first: where the time really goes.
    flat = ConsoleRenderer(unicode=False, color=False, flat=True, time="percent_of_total")
    print("\n".join(profiler.output(flat).splitlines()[:40]))


if __name__ == "__main__":
    main()
