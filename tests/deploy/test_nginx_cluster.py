"""nginx in front of two app servers, on the very files in deploy/ (docs/deploy.md).

Runs where CI's second pass runs: DATABASE_URL on PostgreSQL, REDIS_URL set,
and nginx installed. REQUIRE_NGINX=1 (.ci/run) turns a missing part into a
failure instead of a skip. Everything listens on loopback only, and every
process started here is stopped here.

The test's clients connect from their own loopback addresses (127.0.x.2):
nginx sees each as a different client network, and none of them is the
trusted proxy, 127.0.0.1, that nginx connects to the app servers from.
"""

import concurrent.futures
import gzip
import json
import os
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy import nginx_runner
from tests.site.app_servers import (
    GUNICORN_CONFIG,
    PERMALINK,
    AppServer,
    Reader,
    fetch,
    free_port,
    fresh_postgres_database,
    get,
    manage,
    query,
)

SLUG = "leg-cramps-at-night"
ARTICLE = f"/articles/{SLUG}/"
RATE_LIMIT = 3  # comments per client network per hour (a window no test run straddles)
MODERATOR = ("night-moderator", secrets.token_urlsafe(16))


def _missing() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "needs DATABASE_URL=postgres://..."
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL"
    for name, package in (("nginx", "nginx-light"), ("envsubst", "gettext-base")):
        if not nginx_runner.tool(name):
            return f"needs {name} (apt-get install {package})"
    return None


@pytest.fixture(scope="module", autouse=True)
def cluster_requirements():
    """PostgreSQL, Redis and nginx, or a skip; a failure when REQUIRE_NGINX=1."""
    if reason := _missing():
        nginx_runner.skip_or_fail(reason)


@pytest.fixture(scope="module")
def cluster_database():
    """A PostgreSQL database of its own on CI's server, dropped afterwards."""
    with fresh_postgres_database(os.environ["DATABASE_URL"], "cramps_nginx") as url:
        yield url


@dataclass
class Cluster:
    front: str
    a: AppServer
    b: AppServer
    static_root: Path
    access_log: Path
    database_url: str

    def upstreams_of(self, client: str, method: str, count: int) -> list[str]:
        """The app server nginx sent each of this client's requests to, from its access log.

        nginx logs a request after answering it: wait for the count expected.
        """
        deadline = time.monotonic() + 5
        while True:
            entries = [line.split(" ", 4) for line in self.access_log.read_text().splitlines()]
            upstreams = [
                upstream
                for address, verb, _, _, upstream in entries
                if (address, verb) == (client, method)
            ]
            if len(upstreams) >= count or time.monotonic() > deadline:
                return upstreams
            time.sleep(0.05)

    def status_of(self, pk: int) -> str:
        [(status,)] = query(self.database_url, f"SELECT status FROM comments_comment WHERE id={pk}")
        return status

    def comments_with(self, texts) -> dict[str, int]:
        """How many times each text is stored, straight from the database."""
        quoted = ", ".join("'" + text.replace("'", "''") + "'" for text in texts)
        sql = f"SELECT body, count(*) FROM comments_comment WHERE body IN ({quoted}) GROUP BY body"
        return dict(query(self.database_url, sql))


@pytest.fixture(scope="module")
def cluster(cluster_database, tmp_path_factory):
    """Two gunicorn servers on one PostgreSQL and one Redis, behind nginx on loopback."""
    tmp = tmp_path_factory.mktemp("cluster")
    front_port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "nginx-cluster-test-" + secrets.token_hex(24),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{front_port}",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DATABASE_URL": cluster_database,
        "REDIS_URL": os.environ["REDIS_URL"],
        # Nothing in the shared Redis from other tests or runs can be read as ours.
        "DJANGO_CACHE_KEY_PREFIX": f"nginx-test-{secrets.token_hex(4)}",
        "DJANGO_BEHIND_PROXY": "1",  # and DJANGO_TRUSTED_PROXIES left at its default
        "COMMENT_RATE_LIMITS": f"{RATE_LIMIT}/h",
        # No task worker runs here: the emails it would send may wait in the queue.
        "HEALTHZ_MAX_QUEUE_AGE": "3600",
    }
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_site_content")
    name, password = MODERATOR
    manage(env, "create_moderator", name, "--email", "mod@example.org", "--password", password)

    a, b = (AppServer(env, workers=2, config=GUNICORN_CONFIG) for _ in "ab")
    prefix = tmp / "nginx"
    try:
        a.start()
        b.start()
        rendered = nginx_runner.render(
            prefix / "conf",
            "plain-http",
            PLAIN_LISTEN=f"127.0.0.1:{front_port}",
            SERVER_NAME="127.0.0.1",
            APP_SERVER_1=f"127.0.0.1:{a.port}",
            APP_SERVER_2=f"127.0.0.1:{b.port}",
            STATIC_ROOT=env["DJANGO_STATIC_ROOT"],
        )
        assert rendered.returncode == 0, rendered.stderr
        main = nginx_runner.main_conf(prefix, prefix / "conf" / "cramps.conf")
        front = f"http://127.0.0.1:{front_port}"
        with nginx_runner.running(prefix, main, probe=front + "/robots.txt"):
            yield Cluster(front, a, b, tmp / "static", prefix / "access.log", cluster_database)
    finally:
        for server in (a, b):
            server.stop()


def approve_in_admin(base: str, pk: int) -> None:
    """A moderator logs in to the admin on this server and approves one comment."""
    moderator = Reader()
    same_origin = {"Origin": base, "Referer": base + "/admin/"}
    login = moderator.open(base + "/admin/login/?next=/admin/")
    name, password = MODERATOR
    fields = hidden_fields(login.body, 'name="username"')
    fields |= {"username": name, "password": password, "next": "/admin/"}
    index = moderator.open(
        base + "/admin/login/?next=/admin/", urllib.parse.urlencode(fields).encode(), same_origin
    )
    assert "/admin/logout/" in index.body, "the moderator could not log in"

    queue = base + "/admin/comments/comment/?status__exact=all"
    page = moderator.open(queue)
    action = hidden_fields(page.body, 'name="action"') | {
        "action": "approve",
        "_selected_action": str(pk),
        "index": "0",
    }
    confirm = moderator.open(queue, urllib.parse.urlencode(action).encode(), same_origin)
    decision = hidden_fields(confirm.body, 'name="post"') | {"reason": "Helpful and kind."}
    done = moderator.open(queue, urllib.parse.urlencode(decision).encode(), same_origin)
    assert done.status == 200, done.status


def hidden_fields(html: str, inside: str) -> dict[str, str]:
    """The hidden inputs of the form that contains `inside`."""
    at = html.index(inside)
    form = html[html.rindex("<form", 0, at) : html.index("</form>", at)]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def a_fresh_minute():
    """Rate limits count in fixed minutes: start a short burst well inside one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def acknowledged_pk(location: str) -> int | None:
    """The comment a post's 3xx sends the poster to: its acknowledgement."""
    match = PERMALINK.search(location)
    return int(match[1]) if match else None


def test_a_comment_approved_on_server_a_shows_on_server_b_at_the_very_next_request(cluster):
    guest = Reader(follow_redirects=False, address="127.0.1.2")
    text = "Calf stretches before bed have really helped me."

    status, location = guest.post(cluster.front, SLUG, text)
    pk = acknowledged_pk(location)
    assert status == 303 and pk, (status, location)
    # B has served (and may have cached) the page without it.
    assert text not in get(cluster.b.base + ARTICLE)[2]

    approve_in_admin(cluster.a.base, pk)

    assert cluster.status_of(pk) == "approved"
    assert text in get(cluster.b.base + ARTICLE)[2]
    assert text in get(cluster.front + ARTICLE)[2]


def test_the_rate_limit_counts_posts_through_both_servers(cluster):
    reader = Reader(follow_redirects=False, address="127.0.2.2")
    form = reader.read_form(cluster.front, SLUG)
    a_fresh_minute()

    # One form, several posts: nginx sends them to A and B in turn.
    codes = [
        reader.send(cluster.front, SLUG, form | {"body": f"Counting across servers, post {n}."})[0]
        for n in range(RATE_LIMIT + 1)
    ]

    assert codes == [303] * RATE_LIMIT + [429]
    servers = {f"127.0.0.1:{server.port}" for server in (cluster.a, cluster.b)}
    assert set(cluster.upstreams_of("127.0.2.2", "POST", RATE_LIMIT + 1)) == servers


def test_a_spoofed_forwarded_for_does_not_change_the_client_network(cluster):
    """Whatever a client writes in X-Forwarded-For, through nginx or straight to a server."""
    spoofs = ["198.51.100.1", "127.0.0.1", "203.0.113.9, 127.0.0.1", "::1"]
    through_nginx = Reader(follow_redirects=False, address="127.0.3.2")
    straight = Reader(follow_redirects=False, address="127.0.4.2")
    a_fresh_minute()

    codes = [
        [
            reader.send(
                base,
                SLUG,
                reader.read_form(base, SLUG) | {"body": f"Spoofing {n} via {base}."},
                {"X-Forwarded-For": spoof},
            )[0]
            for n, spoof in enumerate(spoofs)
        ]
        for reader, base in ((through_nginx, cluster.front), (straight, cluster.b.base))
    ]

    assert codes == [[303] * RATE_LIMIT + [429]] * 2


def test_nginx_turns_away_a_flood_of_posts_before_it_reaches_an_app_server(cluster):
    flood = Reader(follow_redirects=False, address="127.0.5.2")

    answers = [
        flood.open(cluster.front + "/comments/post/no-such-article/", b"body=x") for _ in range(30)
    ]

    refused = [answer for answer in answers if answer.status == 429]
    assert refused, [answer.status for answer in answers]
    assert all("Retry-After" not in answer.headers for answer in refused)  # not the app's 429
    posts = cluster.upstreams_of("127.0.5.2", "POST", len(answers))
    assert posts.count("-") == len(refused)  # never passed to an upstream


def test_nginx_refuses_a_body_over_the_apps_limit_without_passing_it_on(cluster):
    reader = Reader(follow_redirects=False, address="127.0.6.2")
    too_big = b"body=" + b"x" * (1024 * 1024)

    answer = reader.open(f"{cluster.front}/comments/post/{SLUG}/", too_big)

    assert answer.status == 413
    assert cluster.upstreams_of("127.0.6.2", "POST", 1) == ["-"]


def test_nginx_keeps_serving_from_b_when_a_dies_during_200_concurrent_posts(cluster):
    """Acknowledged (a 3xx to the comment's permalink) means stored, exactly once."""
    clients, posts_each = 20, 10
    killed_at: list[float] = []
    acknowledged = threading.Semaphore(0)

    def poster(client: int):
        results = []
        for n in range(posts_each):
            # Each post from a network of its own: no rate limit applies.
            reader = Reader(follow_redirects=False, address=f"127.{10 + client}.{n}.2")
            text = f"Cluster post {client}-{n}: magnesium did nothing for me."
            started = time.monotonic()
            status, location = reader.post(cluster.front, SLUG, text)
            results.append((text, started, status, acknowledged_pk(location)))
            if results[-1][3]:
                acknowledged.release()
        return results

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(poster, client) for client in range(clients)]
        for _ in range(50):
            assert acknowledged.acquire(timeout=60), "posts stopped being acknowledged"
        cluster.a.kill()
        killed_at.append(time.monotonic())
        results = [result for future in futures for result in future.result()]

    acked = {text: pk for text, _, _, pk in results if pk}
    after_kill = [pk for _, started, _, pk in results if started > killed_at[0]]
    assert len(results) == clients * posts_each
    assert len(after_kill) >= 50, "server A was not stopped in the middle"
    assert all(after_kill), "nginx did not fail over to B"
    lost = [status for _, _, status, pk in results if not pk]
    assert len(lost) <= clients and set(lost) <= {502, 504}  # cut off inside A, never retried
    assert cluster.comments_with(acked) == dict.fromkeys(acked, 1)
    assert all(get(cluster.front + ARTICLE)[0] == 200 for _ in range(3))


def test_only_each_servers_own_healthz_shows_that_one_is_down(cluster):
    """nginx has no active health checks and fails over: monitor each server (docs/deploy.md)."""
    if cluster.a.process is not None:  # still up when this test runs alone
        cluster.a.kill()

    status, _, body = get(cluster.front + "/healthz")

    assert status == 200 and json.loads(body)["status"] == "ok"
    with pytest.raises(OSError):
        get(cluster.a.base + "/healthz")


def test_static_files_come_from_nginx_with_long_cache_headers_and_gzip(cluster):
    page = get(cluster.front + ARTICLE)[2]
    hashed = re.search(r'"(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)[1]
    plain_name = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", hashed)
    for server in (cluster.a, cluster.b):
        server.stop()
    with pytest.raises(urllib.error.HTTPError) as no_app_server:
        get(cluster.front + ARTICLE)
    assert no_app_server.value.code == 502  # pages are gone ...

    status, headers, body = fetch(cluster.front + hashed)  # ... static files are not
    zipped = fetch(cluster.front + hashed, {"Accept-Encoding": "gzip"})
    unhashed = fetch(cluster.front + plain_name)

    assert status == 200 and headers["Content-Type"] == "text/css"
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    on_disk = cluster.static_root / (hashed.removeprefix("/static/") + ".gz")
    assert zipped[1]["Content-Encoding"] == "gzip"
    assert zipped[2] == on_disk.read_bytes()  # WhiteNoise's file, not compressed again
    assert gzip.decompress(zipped[2]) == body
    assert unhashed[0] == 200 and "max-age=3600" in unhashed[1]["Cache-Control"]
