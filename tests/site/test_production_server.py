"""gunicorn serves the site on production settings; several servers share state."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture
def production_env(tmp_path):
    """Production settings on a throwaway SQLite database, migrated and loaded."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        # Fresh each run: rate-limit keys in a shared Redis never carry over.
        "DJANGO_SECRET_KEY": "production-test-" + secrets.token_hex(24),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
    }
    if os.environ.get("REDIS_URL"):  # CI's second pass: the cache is Redis
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"],
                    ["load_site_content"]):  # fmt: skip
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return env


def test_gunicorn_serves_pages_and_hashed_compressed_static_files(production_env):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cramps_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2"],
        cwd=ROOT, env=production_env, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, headers, html = get(base + "/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(server.stderr.read().decode() if server.poll() is not None else "no start")
        assert status == 200
        assert "Couldn't find what you're looking for?" in html
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "static files are not served under hashed names"
        status, headers, _ = get(base + css.group(1))
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
        assert get(base + "/articles/leg-cramps-at-night/")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def serving(env, workers=1):
    """A gunicorn server on a free loopback port, stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cramps_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers)],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class Reader:
    """One browser: its own cookies, posting through whichever server it is sent to."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def post_comment(self, base, slug, text) -> int:
        with self.opener.open(f"{base}/articles/{slug}/", timeout=5) as response:
            html = response.read().decode()
        form = html[html.index('id="comment-form"') :]
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        fields.update(body=text, author_name="", author_email="", homepage="")
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            f"{base}/comments/post/{slug}/",
            data=data,
            headers={"Referer": base + "/", "Origin": base, "Sec-Fetch-Site": "same-origin"},
        )
        try:
            with self.opener.open(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def test_rate_limits_hold_across_two_app_servers(production_env):
    """Two gunicorn servers, one database and cache: the third post is refused."""
    env = production_env | {"COMMENT_RATE_LIMITS": "2/m"}
    reader = Reader()
    with serving(env) as first, serving(env) as second:
        codes = [
            reader.post_comment(first, "leg-cramps-at-night", "Stretching helps me a lot."),
            reader.post_comment(second, "leg-cramps-at-night", "Magnesium did nothing for me."),
            reader.post_comment(first, "leg-cramps-at-night", "Warm baths help too, I find."),
        ]
    assert codes == [200, 200, 429]  # 200: the redirect after a post, followed


def test_a_decision_shows_at_once_on_every_server_and_worker(production_env):
    """Pages are kept in each process; the version in the shared database ends them all."""
    reader, moderator_shell = Reader(), [sys.executable, "manage.py", "shell", "-c"]
    approve_all = (
        "from comments import decisions; from comments.models import Comment; "
        "decisions.approve(Comment.objects.all())"
    )
    article = "/articles/leg-cramps-at-night/"
    with serving(production_env, workers=2) as first, serving(production_env) as second:
        reader.post_comment(first, "leg-cramps-at-night", "Cold floors stop mine at once.")
        before = [get(base + article)[2] for base in (first, first, second)]  # cached now
        subprocess.run([*moderator_shell, approve_all], cwd=ROOT, env=production_env, check=True)
        after = [get(base + article)[2] for base in (first, first, second, second)]

    assert not any("Cold floors stop mine at once." in page for page in before)
    assert all("Cold floors stop mine at once." in page for page in after)
