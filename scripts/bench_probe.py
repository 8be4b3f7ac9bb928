"""Run by scripts/bench.py inside the benchmark's environment (its database and settings).

    probe.py copy PATH STATIC_DIR   write the page's bytes as a static file (+ .gz)
    probe.py queries PATH           SQL queries of a warm hit and of a cold render
    probe.py form SLUG              a valid comment form submission, URL-encoded
    probe.py count                  how many comments are stored

Prints one JSON object.
"""

import gzip
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def client():
    from django.test import Client

    return Client(SERVER_NAME="127.0.0.1")


def copy(path: str, static_dir: str) -> dict:
    body = client().get(path).content
    out = Path(static_dir) / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "article.html").write_bytes(body)
    (out / "article.html.gz").write_bytes(gzip.compress(body, 6))
    return {"bytes": len(body)}


def queries(path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles import stored_frames

    reader = client()
    stored_frames.articles_changed()  # an article change: the admin's save...
    stored_frames.store_frames.call()  # ...and the task the worker then runs
    with CaptureQueriesContext(connection) as cold:
        reader.get(path)
    with CaptureQueriesContext(connection) as warm:
        reader.get(path)
    own = client()
    own.cookies["comments_mine"] = "none"
    with CaptureQueriesContext(connection) as private:
        own.get(path)
    return {"warm": len(warm), "cold_stored": len(cold), "cold_private": len(private)}


def form(slug: str) -> dict:
    import time
    from urllib.parse import urlencode

    from articles.models import Article
    from comments.readers.forms import form_token

    article = Article.objects.get(slug=slug)
    # Shown a minute ago, as a person would have: the "too fast" rule stays quiet.
    token = form_token(article, rendered_at=time.time() - 60)
    fields = {"token": token, "reply_to": "", "homepage": "", "author_name": "Bench"}
    fields["body"] = "Benchmark comment: stretching before bed helps my cramps."
    return {"body": urlencode(fields)}


def count() -> dict:
    from comments.models import Comment

    return {"comments": Comment.objects.count()}


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cramps_site.settings")
    django.setup()
    command, *args = sys.argv[1:]
    print(
        json.dumps({"copy": copy, "queries": queries, "form": form, "count": count}[command](*args))
    )


if __name__ == "__main__":
    main()
