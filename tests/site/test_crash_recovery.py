"""A crash while 20 readers post loses nothing acknowledged and leaves nothing half-saved.

gunicorn with 4 workers takes comment posts from 20 concurrent clients and
is killed with SIGKILL (master and workers at once) in the middle, then
restarted on the same database while the clients carry on. On SQLite in the
first CI pass; on a PostgreSQL database of its own in the second.
"""

import http.client
import os
import threading
import time
from dataclasses import dataclass

import pytest
from app_servers import PERMALINK, AppServer, Reader, fresh_postgres_database, query

pytestmark = pytest.mark.slow

CLIENTS = 20
POSTS_EACH = 10  # 200 posts in all
KILL_AFTER = 70  # acknowledged posts: about a third of the way through
SLUG = "leg-cramps-at-night"
MARK = "Crash test"
GIVE_UP_AFTER = 240  # seconds: the test always stops by itself
SERVER_DOWN = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Outcome:
    body: str
    status: int | None  # None: the connection died before an answer came
    location: str = ""

    @property
    def acknowledged_id(self) -> int | None:
        """The new comment's id, when the answer was a redirect to its permalink."""
        match = PERMALINK.search(self.location)
        return int(match[1]) if self.status == 303 and match else None


@pytest.fixture
def site_database_url(tmp_path):
    """SQLite in the first pass; on PostgreSQL (CI's second pass), a database of its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/site.sqlite3"
        return
    with fresh_postgres_database(url, "h_crash") as fresh:
        yield fresh


class Crowd:
    """Readers posting at once; each waits out the crash and carries on."""

    def __init__(self, base: str):
        self.base = base
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()
        self.stop_at = time.monotonic() + GIVE_UP_AFTER

    def acknowledged(self) -> int:
        with self.lock:
            return sum(1 for outcome in self.outcomes if outcome.acknowledged_id)

    def reader(self, number: int) -> None:
        reader = Reader(follow_redirects=False)
        for post in range(POSTS_EACH):
            body = f"{MARK} {number}-{post}: warm socks at night help my calves."
            fields = self.form_when_up(reader)
            if fields is None:
                return
            try:
                status, location = reader.send(self.base, SLUG, fields | {"body": body})
                outcome = Outcome(body, status, location)
            except SERVER_DOWN:  # sent, but was it saved? The database says.
                outcome = Outcome(body, None)
            with self.lock:
                self.outcomes.append(outcome)

    def form_when_up(self, reader) -> dict | None:
        while time.monotonic() < self.stop_at:
            try:
                return reader.read_form(self.base, SLUG)
            except SERVER_DOWN:
                time.sleep(0.05)
        return None


def run_with_a_crash(server: AppServer) -> list[Outcome]:
    crowd = Crowd(server.start())
    threads = [threading.Thread(target=crowd.reader, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    while crowd.acknowledged() < KILL_AFTER and time.monotonic() < crowd.stop_at:
        time.sleep(0.02)
    server.kill()
    acknowledged_before = crowd.acknowledged()
    server.start()
    for thread in threads:
        thread.join(timeout=max(1, crowd.stop_at - time.monotonic()))
    server.stop()
    assert not any(thread.is_alive() for thread in threads), "clients did not finish in time"
    assert KILL_AFTER <= acknowledged_before < crowd.acknowledged(), "no crash in the middle"
    return crowd.outcomes


def test_sigkill_mid_posting_loses_no_acknowledged_comment_and_half_saves_none(
    production_env, site_database_url
):
    env = production_env | {"COMMENT_RATE_LIMITS": "off"}
    outcomes = run_with_a_crash(AppServer(env, workers=4))

    assert len(outcomes) >= 200
    answered = [outcome for outcome in outcomes if outcome.status is not None]
    assert {outcome.status for outcome in answered} == {303}, "every answer is a redirect"
    if site_database_url.startswith("sqlite"):
        assert query(site_database_url, "PRAGMA integrity_check") == [("ok",)]
        assert query(site_database_url, "PRAGMA foreign_key_check") == []

    [(article_id, count)] = query(
        site_database_url,
        f"SELECT id, approved_comment_count FROM articles_article WHERE slug = '{SLUG}'",
    )
    rows = query(
        site_database_url,
        "SELECT c.id, c.body, c.article_id, c.parent_id, c.root_id, c.depth, c.status,"
        " c.moderation_rule, c.ip_hash, c.email_token, c.deleted_at,"
        " (SELECT COUNT(*) FROM comments_moderationevent e"
        "  WHERE e.comment_id = c.id AND e.from_status = '' AND e.to_status = c.status)"
        f" FROM comments_comment c WHERE c.body LIKE '{MARK} %'",
    )
    saved = {}
    for (
        pk,
        body,
        article,
        parent,
        root,
        depth,
        status,
        rule,
        ip_hash,
        token,
        deleted,
        events,
    ) in rows:
        assert body not in saved, f"saved twice: {body!r}"
        saved[body] = pk
        # Whole: threaded, moderated, hashed and logged, as a post that ran to the end.
        assert (article, parent, root, depth, deleted, token) == (
            article_id,
            None,
            None,
            0,
            None,
            "",
        )
        assert status in {"pending", "approved", "spam"} and rule and len(ip_hash) == 64
        assert events == 1, f"comment {pk} has no creation event"

    for outcome in outcomes:
        if outcome.acknowledged_id is not None:
            assert saved.get(outcome.body) == outcome.acknowledged_id, outcome
    sent = {outcome.body for outcome in outcomes}
    assert set(saved) <= sent

    [(approved,)] = query(
        site_database_url,
        "SELECT COUNT(*) FROM comments_comment WHERE status = 'approved'"
        f" AND deleted_at IS NULL AND article_id = {article_id}",
    )
    assert count == approved
