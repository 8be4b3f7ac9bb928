"""Real servers for tests: gunicorn on loopback ports, and readers that post through them.

Shared by tests/site/test_production_server.py and tests/deploy/.
"""

import functools
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def manage(env, *command):
    """A management command with this environment, as an owner would run it."""
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def wait_until_answering(url, process, log=None, seconds=30):
    """Poll until the server answers at all; fail with its log if it died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    output = Path(log).read_text() if log else ""
    pytest.fail(f"{url} did not start (exit code {process.poll()}):\n{output[-3000:]}")


@dataclass
class AppServer:
    base: str
    process: subprocess.Popen

    def kill(self):
        """SIGKILL to the master and all its workers at once, as a crash would."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        # Workers that outlived their master (none should) go too.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


@contextmanager
def serving(env, workers=1, config=None, log=None):
    """A gunicorn server on a free loopback port, in its own process group, stopped afterwards.

    config: a gunicorn config file (deploy/gunicorn.conf.py); log: a file for its output.
    """
    port = free_port()
    options = ["--config", str(config)] if config else []
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *options, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "cramps_site.wsgi"],
        cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True,
    )  # fmt: skip
    server = AppServer(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_answering(server.base + "/robots.txt", process, log)
        yield server
    finally:
        server.stop()
        if log:
            output.close()


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from a given loopback address: one more client network per address."""

    def __init__(self, address):
        super().__init__()
        self.address = address

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.address, 0))
        return self.do_open(connection, req)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: str

    @property
    def comment_pk(self) -> int | None:
        """The comment a 3xx sends the poster to: the acknowledgement of a post."""
        match = re.search(r"#comment-(\d+)$", self.headers.get("Location", ""))
        return int(match[1]) if match and 300 <= self.status < 400 else None


class Reader:
    """One browser: its own cookies, posting through whichever server it is sent to.

    address: the loopback address it connects from (127.0.0.1 unless given);
    follow: whether it follows the redirect after a post.
    """

    def __init__(self, address=None, follow=True, cookies=None):
        self.cookies = CookieJar() if cookies is None else cookies
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if address:
            handlers.append(_FromAddress(address))
        if not follow:
            handlers.append(_NoRedirects())
        self.opener = urllib.request.build_opener(*handlers)
        self.fields = {}

    def elsewhere(self, address) -> "Reader":
        """The same browser (cookies, form) on another network, not following redirects."""
        moved = Reader(address, follow=False, cookies=self.cookies)
        moved.fields = self.fields
        return moved

    def open(self, url, data=None, headers=None) -> Answer:
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=20) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))

    def read_form(self, base, slug):
        """The comment form's hidden fields, from the article page."""
        page = self.open(f"{base}/articles/{slug}/")
        assert page.status == 200, page.status
        form = page.body[page.body.index('id="comment-form"') :]
        self.fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        return page

    def post(self, base, slug, text, headers=None) -> Answer:
        """Post a guest comment with the form last read (read it first if none)."""
        if not self.fields:
            self.read_form(base, slug)
        fields = self.fields | {"body": text, "author_name": "", "author_email": "", "homepage": ""}
        data = urllib.parse.urlencode(fields).encode()
        same_origin = {"Referer": base + "/", "Origin": base, "Sec-Fetch-Site": "same-origin"}
        return self.open(f"{base}/comments/post/{slug}/", data, same_origin | (headers or {}))

    def post_comment(self, base, slug, text) -> int:
        """Read the article, post a comment: the final status."""
        self.read_form(base, slug)
        return self.post(base, slug, text).status
