"""The site served by gunicorn on production settings, and browsers that use it.

Shared by the tests that need a real server: several servers sharing state,
a crash in the middle of posting, a backup while posting, nginx in front of
two servers (tests/deploy/).
"""

import functools
import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.subprocess_env import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
PERMALINK = re.compile(r"#comment-(\d+)$")
SERVER_DOWN = (OSError, http.client.HTTPException)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


def fetch(url, headers=None):
    """Like get(), with request headers and the body as bytes (compressed files)."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def manage(env, *command) -> None:
    """Run a manage.py command on the served site's settings and database."""
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def site_env(home: Path, database_url: str) -> dict[str, str]:
    """Production settings for a site served from home on database_url."""
    env = subprocess_env(home, database_url, DJANGO_STATIC_ROOT=str(home / "static"))
    if os.environ.get("REDIS_URL"):  # CI's second pass: the cache is Redis
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    return env


def prepare_site(env) -> None:
    """Migrated, static files collected, articles loaded: as a deployment does it."""
    for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"],
                    ["load_site_content"]):  # fmt: skip
        manage(env, *command)


class AppServer:
    """gunicorn on a loopback port, in its own process group so it can be killed whole."""

    def __init__(self, env, workers=1, port=None, config=None):
        """config: a gunicorn config file, such as deploy/gunicorn.conf.py."""
        self.env = env
        self.config = config
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        # A file, not a pipe: a full pipe nobody reads would block the server.
        self.log = Path(tempfile.mkdtemp(prefix="gunicorn-")) / "server.log"

    def start(self) -> str:
        with self.log.open("ab") as log:  # the server keeps its own copy of the file
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", *self.options(), "cramps_site.wsgi",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        for _ in range(200):
            try:
                get(self.base + "/")
                return self.base
            except OSError:
                if self.process.poll() is not None:
                    pytest.fail(self.output())
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not answer within 20 seconds\n{self.output()}")

    def options(self) -> list[str]:
        return ["--config", str(self.config)] if self.config else []

    def output(self) -> str:
        """The end of what the server wrote, for a failure message."""
        return self.log.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: a power cut, as the site sees it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


@contextmanager
def serving(env, workers=1):
    """A gunicorn server on a free loopback port, stopped afterwards."""
    server = AppServer(env, workers)
    try:
        yield server.start()
    finally:
        server.stop()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx itself is the answer


class FromAddress(urllib.request.HTTPHandler):
    """Connects from a given loopback address (127.0.x.y): a client network of its own."""

    def __init__(self, address):
        super().__init__()
        self.address = address

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.address, 0))
        return self.do_open(connection, req)


@dataclass
class Answer:
    status: int
    headers: dict
    body: str


class Reader:
    """One browser: its own cookies, posting through whichever server it is sent to.

    follow_redirects=False keeps the answer to a post: a 303 to the comment's permalink.
    address: the loopback address it connects from, 127.0.0.1 unless given.
    """

    def __init__(self, follow_redirects=True, address=None):
        handlers = [urllib.request.HTTPCookieProcessor(CookieJar())]
        if not follow_redirects:
            handlers.append(NoRedirects())
        if address:
            handlers.append(FromAddress(address))
        self.opener = urllib.request.build_opener(*handlers)

    def open(self, url, data=None, headers=None) -> Answer:
        """One request with this browser's cookies; an error status is an answer too."""
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))

    def post_comment(self, base, slug, text) -> int:
        return self.post(base, slug, text)[0]

    def post(self, base, slug, text) -> tuple[int, str]:
        """Read the article, then post the form on it: the status and the Location."""
        return self.send(base, slug, self.read_form(base, slug) | {"body": text})

    def read_form(self, base, slug) -> dict[str, str]:
        """The comment form's fields as the article page gives them (token, CSRF).

        A page cut off because its server died under it (behind nginx, whose
        headers had gone) is loaded again, as a reader would reload it: a GET
        changes nothing. Posts are never sent twice (send()).
        """
        for attempt in range(3):
            try:
                with self.opener.open(f"{base}/articles/{slug}/", timeout=10) as response:
                    html = response.read().decode()
                break
            except (http.client.IncompleteRead, ConnectionResetError):
                if attempt == 2:
                    raise
        form = html[html.index('id="comment-form"') :]
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        return fields | {"body": "", "author_name": "", "author_email": "", "homepage": ""}

    def send(self, base, slug, fields, headers=None) -> tuple[int, str]:
        """Post the form: as a browser on the site's own page would, plus any headers."""
        data = urllib.parse.urlencode(fields).encode()
        same_origin = {"Referer": base + "/", "Origin": base, "Sec-Fetch-Site": "same-origin"}
        request = urllib.request.Request(
            f"{base}/comments/post/{slug}/", data=data, headers=same_origin | (headers or {})
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


@dataclass(frozen=True)
class Outcome:
    """One post and what its client was told."""

    body: str
    status: int | None  # None: the connection died before an answer came
    location: str = ""

    @property
    def acknowledged_id(self) -> int | None:
        """The new comment's id, when the answer was a redirect to its permalink."""
        match = PERMALINK.search(self.location)
        return int(match[1]) if self.status == 303 and match else None


class Crowd:
    """Readers posting comments at once, each numbered; a reader waits out a server that
    is down and carries on. Every post is sent once, never retried."""

    slug = "leg-cramps-at-night"

    def __init__(self, base: str, mark: str, posts_each: int, give_up_after: float = 240):
        self.base = base
        self.mark = mark
        self.posts_each = posts_each
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()
        self.give_up_at = time.monotonic() + give_up_after
        self.stopped = threading.Event()

    def start(self, clients: int) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.reader, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        return threads

    def stop(self) -> None:
        """Each reader ends after the post it is sending."""
        self.stopped.set()

    def finish(self, threads: list[threading.Thread]) -> None:
        for thread in threads:
            thread.join(timeout=max(1, self.give_up_at - time.monotonic()))
        assert not any(thread.is_alive() for thread in threads), "clients did not finish in time"

    def acknowledged_bodies(self) -> dict[str, int]:
        """What each acknowledged post said, and its comment's id."""
        with self.lock:
            return {o.body: o.acknowledged_id for o in self.outcomes if o.acknowledged_id}

    def acknowledged(self) -> int:
        return len(self.acknowledged_bodies())

    def reader(self, number: int) -> None:
        reader = Reader(follow_redirects=False)
        for post in range(self.posts_each):
            if self.stopped.is_set():
                return
            body = f"{self.mark} {number}-{post}: warm socks at night help my calves."
            fields = self.form_when_up(reader)
            if fields is None:
                return
            try:
                status, location = reader.send(self.base, self.slug, fields | {"body": body})
                outcome = Outcome(body, status, location)
            except SERVER_DOWN:  # sent, but was it saved? The database says.
                outcome = Outcome(body, None)
            with self.lock:
                self.outcomes.append(outcome)

    def form_when_up(self, reader) -> dict | None:
        while time.monotonic() < self.give_up_at and not self.stopped.is_set():
            try:
                return reader.read_form(self.base, self.slug)
            except SERVER_DOWN:
                time.sleep(0.05)
        return None


@contextmanager
def fresh_postgres_database(url: str, prefix: str):
    """A new, empty database on the PostgreSQL server that url names; dropped afterwards."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database_url: str, sql: str) -> list[tuple]:
    """Rows straight from a served site's database, SQLite file or PostgreSQL."""
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql).fetchall()
