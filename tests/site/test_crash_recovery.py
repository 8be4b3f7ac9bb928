"""A crash while 20 readers post loses nothing acknowledged and leaves nothing half-saved.

gunicorn with 4 workers takes comment posts from 20 concurrent clients and
is killed with SIGKILL (master and workers at once) in the middle, then
restarted on the same database while the clients carry on. On SQLite in the
first CI pass; on a PostgreSQL database of its own in the second.
"""

import os
import time

import pytest
from app_servers import AppServer, Crowd, Outcome, fresh_postgres_database, query

pytestmark = pytest.mark.slow

CLIENTS = 20
POSTS_EACH = 10  # 200 posts in all
KILL_AFTER = 70  # acknowledged posts: about a third of the way through
MARK = "Crash test"
SLUG = Crowd.slug


@pytest.fixture
def site_database_url(tmp_path):
    """SQLite in the first pass; on PostgreSQL (CI's second pass), a database of its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/site.sqlite3"
        return
    with fresh_postgres_database(url, "h_crash") as fresh:
        yield fresh


def run_with_a_crash(server: AppServer) -> list[Outcome]:
    crowd = Crowd(server.start(), MARK, posts_each=POSTS_EACH)
    try:
        threads = crowd.start(CLIENTS)
        while crowd.acknowledged() < KILL_AFTER and time.monotonic() < crowd.give_up_at:
            time.sleep(0.02)
        server.kill()
        acknowledged_before = crowd.acknowledged()
        server.start()
        crowd.finish(threads)
    finally:
        crowd.stop()
        server.stop()
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
