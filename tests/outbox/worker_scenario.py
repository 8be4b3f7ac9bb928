"""Steps of the worker tests, run in their own process against a throwaway database.

    python tests/outbox/worker_scenario.py approve-reply   # prints {"reply": id}
    python tests/outbox/worker_scenario.py state           # prints tasks and outbox rows
    python tests/outbox/worker_scenario.py frames          # prints stored frames this process uses

The database, mail folder and settings come from the environment that
tests/outbox/test_worker_crash.py gives it, as a worker's do.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cramps_site.settings")

import django  # noqa: E402

django.setup()

from django_tasks_db.models import DBTaskResult  # noqa: E402

from articles.models import Person, Topic  # noqa: E402
from outbox.models import OutgoingEmail  # noqa: E402
from tests.conftest import make_article  # noqa: E402
from tests.outbox.reply_flow import a_pending_reply_to_a_subscriber, approve  # noqa: E402


def approve_reply() -> dict:
    """The real flow: Margaret asked for replies and confirmed; a reply to her is approved."""
    topic = Topic.objects.create(slug="leg-cramps", name="Leg cramps")
    author = Person.objects.create(name="Dr Test Writer", credentials="MBBS")
    reply = a_pending_reply_to_a_subscriber(make_article(topic, author))
    approve(reply)
    return {"reply": reply.pk}


def state() -> dict:
    return {
        "tasks": [
            {"task": row.task_path.rsplit(".", 1)[1], "status": row.status}
            for row in DBTaskResult.objects.order_by("enqueued_at")
        ],
        "emails": [
            {"key": row.key, "status": row.status, "attempts": row.attempts}
            for row in OutgoingEmail.objects.order_by("pk")
        ],
    }


def frames() -> dict:
    """The article frames the worker stored, and how many this process (a web server's
    settings, code and static files) takes as its own."""
    from articles import page_cache
    from articles.models import Article, PageFrame
    from articles.stored_frames import stored_frame

    version = page_cache.current_version().articles
    published = list(Article.objects.published())
    usable = [article for article in published if stored_frame(article, version) is not None]
    return {"stored": PageFrame.objects.count(), "published": len(published), "usable": len(usable)}


if __name__ == "__main__":
    step = {"approve-reply": approve_reply, "state": state, "frames": frames}[sys.argv[1]]
    print(json.dumps(step()))
