"""The site served by gunicorn on production settings, and browsers that use it.

Shared by the tests that need a real server: several servers sharing state,
a crash in the middle of posting, a backup while posting, nginx in front of
two servers (tests/deploy/).
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
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
PERMALINK = re.compile(r"#comment-(\d+)$")


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


class AppServer:
    """gunicorn on a loopback port, in its own process group so it can be killed whole."""

    def __init__(self, env, workers=1, port=None, config=None, log=None):
        """config: a gunicorn config file (deploy/gunicorn.conf.py); log: a file for its output."""
        self.env = env
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.config = config
        self.log = log

    def start(self) -> str:
        options = ["--config", str(self.config)] if self.config else []
        output = {"stderr": subprocess.PIPE, "stdout": subprocess.DEVNULL}
        if self.log:
            with open(self.log, "ab") as log:
                output = {"stderr": log, "stdout": log}
                self.process = self._popen(options, output)
        else:
            self.process = self._popen(options, output)
        for _ in range(200):
            try:
                get(self.base + "/")
                return self.base
            except OSError:
                if self.process.poll() is not None:
                    pytest.fail(self._output())
                time.sleep(0.1)
        self.stop()
        pytest.fail("gunicorn did not answer within 20 seconds")

    def _popen(self, options, output):
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *options, "cramps_site.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, start_new_session=True, **output,
        )  # fmt: skip

    def _output(self) -> str:
        return Path(self.log).read_text() if self.log else self.process.stderr.read().decode()

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: a power cut, as the site sees it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


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

    def post_comment(self, base, slug, text) -> int:
        return self.post(base, slug, text)[0]

    def post(self, base, slug, text, headers=None) -> tuple[int, str]:
        """Read the article, then post the form on it: the status and the Location."""
        return self.submit(base, slug, text, self.comment_form(base, slug), headers)

    def comment_form(self, base, slug) -> dict[str, str]:
        """The hidden fields of the comment form under the article."""
        html = self.open(f"{base}/articles/{slug}/").body
        form = html[html.index('id="comment-form"') :]
        return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))

    def submit(self, base, slug, text, form, headers=None) -> tuple[int, str]:
        """Post a comment with a form read before: the status and the Location."""
        fields = form | {"body": text, "author_name": "", "author_email": "", "homepage": ""}
        data = urllib.parse.urlencode(fields).encode()
        same_origin = {"Referer": base + "/", "Origin": base, "Sec-Fetch-Site": "same-origin"}
        answer = self.open(f"{base}/comments/post/{slug}/", data, same_origin | (headers or {}))
        return answer.status, answer.headers.get("Location", "")

    def open(self, url, data=None, headers=None) -> Answer:
        """One request with this browser's cookies; an error status is an answer too."""
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))
